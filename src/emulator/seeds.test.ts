import { describe, expect, it } from 'vitest';
import { buildSeed, workspaceIdForKey } from './seeds';
import { WorkspaceState } from './workspace-state';

const OPTIONS = { caseSensitiveSearch: true, inUseDeleteStatus: 400 };

describe('seeds', () => {
  it('builds the demo workspace a voice-agent builder would have', () => {
    const demo = buildSeed('demo', 'sk_seed');
    expect(demo.secrets.length).toBeGreaterThanOrEqual(12);
    expect(demo.secrets.length).toBeLessThanOrEqual(16);
    expect(demo.agents.map((agent) => agent.name)).toEqual(
      expect.arrayContaining(['Front Desk Receptionist', 'Appointment Scheduler', 'Support Triage', 'Outbound Sales Caller']),
    );
    expect(demo.phoneNumbers.map((phone) => phone.provider)).toEqual(expect.arrayContaining(['twilio', 'sip_trunk']));
    expect(demo.phoneNumbers.every((phone) => /^\+[1-9]\d{7,14}$/.test(phone.phoneNumber))).toBe(true);
    expect(demo.agents.some((agent) => agent.accessLevel === null)).toBe(true);
    expect(demo.authConnections.length).toBeGreaterThanOrEqual(4);
    expect(demo.authConnections.length).toBeLessThanOrEqual(6);
    expect(demo.profile).toMatchObject({ tier: 'creator', workspaceId: workspaceIdForKey('sk_seed') });
  });

  it('builds nothing for empty', () => {
    const empty = buildSeed('empty', 'sk_seed');
    expect([empty.secrets, empty.agents, empty.tools, empty.authConnections].every((list) => list.length === 0)).toBe(true);
  });

  it('builds bench:N deterministically, unique names, about 60% used', () => {
    const first = buildSeed('bench:2000', 'sk_bench');
    const again = buildSeed('bench:2000', 'sk_bench');
    const otherKey = buildSeed('bench:2000', 'sk_other');
    expect(again).toEqual(first);
    expect(otherKey.secrets[0]?.id).not.toBe(first.secrets[0]?.id);

    const names = first.secrets.map((secret) => secret.name);
    expect(new Set(names).size).toBe(2000);
    expect(names[42]).toMatch(/^[a-z_]+_00042$/);

    const used = new Set([
      ...first.tools.flatMap((tool) => tool.secretIds),
      ...first.agents.flatMap((agent) => agent.secretIds),
      ...first.phoneNumbers.flatMap((phone) => phone.secretIds),
      ...first.mcpServers.flatMap((mcp) => mcp.secretIds),
      ...first.webhookSecretIds,
    ]);
    expect(used.size / 2000).toBeGreaterThan(0.55);
    expect(used.size / 2000).toBeLessThan(0.65);
    expect(first.agents).toHaveLength(50);
    expect(first.tools).toHaveLength(80);
  });

  it('builds and pages 100,000 secrets quickly', () => {
    const started = performance.now();
    const state = new WorkspaceState(buildSeed('bench:100000', 'sk_big'), OPTIONS);
    const built = performance.now() - started;
    expect(state.secretCount).toBe(100_000);
    expect(built).toBeLessThan(5_000);

    const pageStarted = performance.now();
    let cursor: string | undefined;
    for (let page = 0; page < 100; page += 1) {
      const result = state.listSecrets({ pageSize: 100, search: '', cursor });
      cursor = result.next_cursor ?? undefined;
    }
    expect(performance.now() - pageStarted).toBeLessThan(1_000);
  });
});
