import { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SearchSecretsRequest, SyncProgress } from '../../shared/schemas/inventory';
import type { Domain } from '../app/composition';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { buildDomain, call, clearKeychainService, removeTempDirs, testKeychainService } from '../../../test/support/harness';
import { refusedPort } from '../../../test/support/refused-port';
import type { HostLauncher } from '../elevenlabs/api-host/protocol';
import { nodeHostLauncher } from '../elevenlabs/api-host/remote-gateway';

let emulator: RunningEmulator;
const keychainService = testKeychainService();
const domains: Domain[] = [];

beforeAll(async () => {
  emulator = await startEmulator({
    seed: 'demo',
    keys: [
      { key: 'sk_inv_bench_0001', seed: 'bench:250' },
      { key: 'sk_inv_demo_0002', seed: 'demo' },
      { key: 'sk_inv_secrets_only_0003', seed: 'demo', permissions: ['convai_read', 'convai_write', 'user_read'] },
      { key: 'sk_inv_large_0004', seed: 'bench:2500' },
    ],
  });
});

afterEach(async () => {
  emulator.clearFaults();
  for (const domain of domains.splice(0)) await domain.close();
  await clearKeychainService(keychainService);
});

afterAll(async () => {
  await emulator.close();
  removeTempDirs();
});

async function workspaceWith(apiKey: string, options: Parameters<typeof buildDomain>[0] = {}) {
  const domain = buildDomain({ keychainService, ...options });
  domains.push(domain);
  const added = await call(domain, 'workspaces:add', {
    label: `Workspace of ${apiKey.slice(7, 11)}`,
    residency: 'custom',
    baseUrl: emulator.url,
    apiKey,
  });
  if (added.outcome !== 'saved') throw new Error(added.outcome);
  return { domain, workspaceId: added.workspace.id };
}

const search = (domain: Domain, request: Partial<SearchSecretsRequest>) =>
  call(domain, 'inventory:searchSecrets', {
    query: '',
    workspaceId: null,
    usage: 'any',
    presence: 'present',
    usedBy: null,
    offset: 0,
    limit: 500,
    ...request,
  });

describe('sync', () => {
  it('fetches every secret in one unpaged reply when it can, with dependants', async () => {
    const { domain, workspaceId } = await workspaceWith('sk_inv_bench_0001');
    const progress: SyncProgress[] = [];
    domain.events.subscribe((event, payload) => {
      if (event === 'sync:progress') progress.push(payload as SyncProgress);
    });
    const listsBefore = emulator.stats().byRoute['GET /v1/convai/secrets'] ?? 0;
    const { results } = await call(domain, 'inventory:sync', { workspaceIds: [workspaceId] });
    expect(results).toEqual([
      {
        workspaceId,
        ok: true,
        problem: null,
        secretCount: 250,
        removedSecretCount: 0,
        authConnectionCount: expect.any(Number),
        changes: { added: 250, removed: 0 },
      },
    ]);
    expect(progress.filter((p) => p.phase === 'secrets').map((p) => p.secretsFetched)).toEqual([250]);
    // One request for all 250 secrets.
    expect((emulator.stats().byRoute['GET /v1/convai/secrets'] ?? 0) - listsBefore).toBe(1);
    expect(progress.at(-1)?.phase).toBe('done');

    const all = await search(domain, {});
    expect(all.total).toBe(250);
    expect(new Set(all.items.map((s) => s.secretId)).size).toBe(250);
    const names = all.items.map((s) => s.name.toLowerCase());
    expect(names).toEqual([...names].sort());

    const workspace = (await call(domain, 'workspaces:list', {})).workspaces[0]!;
    expect(workspace.sync).toMatchObject({ status: 'ok', secretCount: 250, problem: null });
    expect(workspace.sync.lastSuccessAt).toBeGreaterThan(0);
  });

  it('writes a large unpaged reply batch by batch, asking for the auth connections and variables with it', async () => {
    // What crosses between main and the API host, in order (retry notices aside).
    const order: string[] = [];
    const launch: HostLauncher = (settings) => {
      const channel = nodeHostLauncher()(settings);
      channel.onMessage((message) => order.push(`${message.type} ${message.id}`));
      return {
        ...channel,
        send: (message) => {
          if (message.type === 'call') order.push(`call ${message.operation} ${message.id}`);
          channel.send(message);
        },
      };
    };
    const { domain, workspaceId } = await workspaceWith('sk_inv_large_0004', { apiHost: launch });
    const progress: SyncProgress[] = [];
    domain.events.subscribe((event, payload) => {
      if (event === 'sync:progress') progress.push(payload as SyncProgress);
    });
    const listsBefore = emulator.stats().byRoute['GET /v1/convai/secrets'] ?? 0;
    const { results } = await call(domain, 'inventory:sync', { workspaceIds: [workspaceId] });
    expect(results[0]).toMatchObject({ ok: true, secretCount: 2500, changes: { added: 2500, removed: 0 } });
    // One request, handed over in three batches of one page.
    expect((emulator.stats().byRoute['GET /v1/convai/secrets'] ?? 0) - listsBefore).toBe(1);
    const secrets = progress.filter((p) => p.phase === 'secrets');
    expect(secrets.map((p) => [p.pagesFetched, p.secretsFetched])).toEqual([
      [1, 1000],
      [1, 2000],
      [1, 2500],
    ]);
    expect((await search(domain, { limit: 1 })).total).toBe(2500);

    const stream = order.find((entry) => entry.startsWith('call streamSecrets'))!.split(' ')[2];
    const events = order.flatMap((entry, at) => (entry === `event ${stream}` ? [at] : []));
    const authCall = order.findIndex((entry) => entry.startsWith('call listAuthConnections'));
    const variablesCall = order.findIndex((entry) => entry.startsWith('call listEnvironmentVariables'));
    expect(events).toHaveLength(3);
    // Asked for while the secrets are on their way, not after them: their round trips overlap.
    expect(authCall).toBeGreaterThan(-1);
    expect(authCall).toBeLessThan(events[0]!);
    expect(variablesCall).toBeGreaterThan(-1);
    expect(variablesCall).toBeLessThan(events[0]!);
  });

  it('falls back to pages of 100 when the unpaged reply fails, and reports each page', async () => {
    const { domain, workspaceId } = await workspaceWith('sk_inv_bench_0001');
    const progress: SyncProgress[] = [];
    domain.events.subscribe((event, payload) => {
      if (event === 'sync:progress') progress.push(payload as SyncProgress);
    });
    emulator.injectFault({ status: 502, pathPrefix: '/v1/convai/secrets', method: 'GET', count: 1 });
    const { results } = await call(domain, 'inventory:sync', { workspaceIds: [workspaceId] });
    expect(results[0]).toMatchObject({ ok: true, secretCount: 250 });
    expect(progress.filter((p) => p.phase === 'secrets').map((p) => p.secretsFetched)).toEqual([100, 200, 250]);
  });

  it('shows a retry it is waiting out, with when it will start', async () => {
    const { domain, workspaceId } = await workspaceWith('sk_inv_demo_0002', { api: { maxRetries: 1, maxRetryWaitSeconds: 2 } });
    const progress: SyncProgress[] = [];
    domain.events.subscribe((event, payload) => {
      if (event === 'sync:progress') progress.push(payload as SyncProgress);
    });
    emulator.injectFault({ status: 429, retryAfter: 1, pathPrefix: '/v1/workspace/auth-connections', count: 1 });
    const before = Date.now();
    const { results } = await call(domain, 'inventory:sync', { workspaceIds: [workspaceId] });
    expect(results[0]?.ok).toBe(true);
    const waiting = progress.find((p) => p.retry !== null);
    expect(waiting).toMatchObject({ phase: 'auth_connections', retry: { code: 'rate_limited', attempt: 1 } });
    expect(waiting!.retry!.retryAt).toBeGreaterThanOrEqual(before + 1000);
  });

  it('finds secrets by any part of the name, filters unused ones and ones used by an agent or tool', async () => {
    const { domain, workspaceId } = await workspaceWith('sk_inv_demo_0002');
    await call(domain, 'inventory:sync', { workspaceIds: [workspaceId] });
    const all = await search(domain, {});
    const sample = all.items.find((s) => s.dependantCount > 0)!;
    const fragment = sample.name.slice(2, 7).toLowerCase();
    const found = await search(domain, { query: fragment });
    expect(found.items.map((s) => s.name)).toContain(sample.name);
    expect(found.items.every((s) => s.name.toLowerCase().includes(fragment))).toBe(true);

    const unused = await search(domain, { usage: 'unused' });
    expect(unused.total).toBeGreaterThan(0);
    expect(unused.items.every((s) => s.dependantCount === 0)).toBe(true);
    expect(unused.total + (await search(domain, { usage: 'used' })).total).toBe(all.total);

    const detail = await call(domain, 'inventory:getSecret', { workspaceId, secretId: sample.secretId });
    expect(detail.dependants.length).toBe(sample.dependantCount);
    expect(detail.workspaceLabel).toBe('Workspace of demo');

    const { dependants } = await call(domain, 'inventory:listDependants', { workspaceId });
    const agent = dependants.find((d) => d.kind === 'agent' && d.name)!;
    const usedByAgent = await search(domain, { usedBy: { workspaceId, kind: 'agent', dependantId: agent.dependantId } });
    expect(usedByAgent.total).toBe(agent.secretCount);
    for (const secret of usedByAgent.items) {
      const { dependants: ofSecret } = await call(domain, 'inventory:getSecret', { workspaceId, secretId: secret.secretId });
      expect(ofSecret.some((d) => d.kind === 'agent' && d.id === agent.dependantId)).toBe(true);
    }
  });

  it('pages long dependant lists from the dependencies route', async () => {
    const { domain, workspaceId } = await workspaceWith('sk_inv_demo_0002', { api: { dependencyLimit: 1 } });
    const reference = await workspaceWith('sk_inv_demo_0002');
    await call(domain, 'inventory:sync', { workspaceIds: [workspaceId] });
    await call(reference.domain, 'inventory:sync', { workspaceIds: [reference.workspaceId] });
    const limited = await search(domain, {});
    const full = await search(reference.domain, {});
    expect(limited.items.map((s) => [s.name, s.dependantCount, s.dependantsTruncated])).toEqual(
      full.items.map((s) => [s.name, s.dependantCount, false]),
    );
    expect(limited.items.some((s) => s.counts.agents + s.counts.tools > 2)).toBe(true);
  });

  it('marks secrets that disappeared remotely instead of dropping them', async () => {
    const { domain, workspaceId } = await workspaceWith('sk_inv_bench_0001');
    const sdk = new ElevenLabsClient({ apiKey: 'sk_inv_bench_0001', baseUrl: emulator.url, maxRetries: 0 });
    const created = await sdk.conversationalAi.secrets.create({ name: 'zz_short_lived_token', value: 'irrelevant-value' });
    await call(domain, 'inventory:sync', { workspaceIds: [workspaceId] });
    await sdk.conversationalAi.secrets.delete(created.secretId);

    const { results } = await call(domain, 'inventory:sync', { workspaceIds: [workspaceId] });
    expect(results[0]).toMatchObject({ ok: true, secretCount: 250, removedSecretCount: 1 });
    const removed = await search(domain, { presence: 'removed' });
    expect(removed.items.map((s) => s.name)).toEqual(['zz_short_lived_token']);
    expect(removed.items[0]?.removedRemotelyAt).toBeGreaterThan(0);
    expect((await search(domain, { presence: 'all' })).total).toBe(251);
  });

  it('keeps the previous inventory when a sync fails halfway, and remembers why', async () => {
    const { domain, workspaceId } = await workspaceWith('sk_inv_bench_0001');
    await call(domain, 'inventory:sync', { workspaceIds: [workspaceId] });
    const before = await search(domain, { presence: 'all' });

    const sdk = new ElevenLabsClient({ apiKey: 'sk_inv_bench_0001', baseUrl: emulator.url, maxRetries: 0 });
    const extra = await sdk.conversationalAi.secrets.create({ name: 'aaa_new_secret', value: 'v' });
    // The unpaged reply fails, so the sync pages: page 1 answers, page 2 fails.
    emulator.injectFault({ status: 503, pathPrefix: '/v1/convai/secrets', method: 'GET', count: 1 });
    emulator.injectFault({ status: 503, pathPrefix: '/v1/convai/secrets', method: 'GET', count: 1, skip: 1 });
    const failed = await call(domain, 'inventory:sync', { workspaceIds: [workspaceId] });
    await sdk.conversationalAi.secrets.delete(extra.secretId);

    expect(failed.results[0]).toMatchObject({ ok: false, secretCount: 250, problem: { code: 'server_error' } });
    expect(await search(domain, { presence: 'all' })).toEqual(before);
    const workspace = (await call(domain, 'workspaces:list', {})).workspaces[0]!;
    expect(workspace.sync.status).toBe('failed');
    expect(workspace.sync.problem?.message).toMatch(/server error \(HTTP 503/);
  });

  it('records an unreachable workspace for the offline banner, and still answers from the cache', async () => {
    const { domain, workspaceId } = await workspaceWith('sk_inv_demo_0002');
    await call(domain, 'inventory:sync', { workspaceIds: [workspaceId] });
    domain.db.prepare('UPDATE workspaces SET base_url = ? WHERE id = ?').run(`http://127.0.0.1:${await refusedPort()}`, workspaceId);
    const { results } = await call(domain, 'inventory:sync', { workspaceIds: [workspaceId] });
    expect(results[0]?.problem).toMatchObject({ code: 'unreachable' });
    const workspace = (await call(domain, 'workspaces:list', {})).workspaces[0]!;
    expect(workspace.reachability).toBe('unreachable');
    expect(workspace.sync.lastSuccessAt).not.toBeNull();
    expect((await search(domain, {})).total).toBe(workspace.sync.secretCount);
  });

  it('can be cancelled; the previous inventory stays', async () => {
    const { domain, workspaceId } = await workspaceWith('sk_inv_bench_0001');
    emulator.injectFault({ delayMs: 3000, pathPrefix: '/v1/convai/secrets' });
    const running = call(domain, 'inventory:sync', { workspaceIds: [workspaceId] });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await call(domain, 'inventory:cancelSync', {})).toEqual({ cancelled: 1 });
    const { results } = await running;
    expect(results[0]).toMatchObject({ ok: false, problem: { code: 'cancelled' }, secretCount: 0 });
  });

  it('syncs secrets for a key that may not list auth connections, and says what is missing', async () => {
    const { domain, workspaceId } = await workspaceWith('sk_inv_secrets_only_0003');
    const { results } = await call(domain, 'inventory:sync', { workspaceIds: [workspaceId] });
    expect(results[0]).toMatchObject({
      ok: true,
      authConnectionCount: 0,
      problem: { code: 'missing_permission', permission: 'workspace_read' },
    });
    expect(results[0]?.secretCount).toBeGreaterThan(0);
    // Where the user looks: the workspace says its key may not read auth connections, and so does their list.
    const [workspace] = (await call(domain, 'workspaces:list', {})).workspaces;
    expect(workspace?.access).toEqual({
      secrets: { state: 'allowed', permission: null },
      authConnections: { state: 'denied', permission: 'workspace_read' },
    });
    expect(await call(domain, 'authConnections:list', { workspaceId: null, query: '' })).toEqual({
      connections: [],
      unreadable: [{ workspaceId, permission: 'workspace_read' }],
    });
  });

  it('lists auth connections with their non-sensitive settings; dashboard-only types are read-only', async () => {
    const { domain, workspaceId } = await workspaceWith('sk_inv_demo_0002');
    await call(domain, 'inventory:sync', { workspaceIds: [workspaceId] });
    const { connections } = await call(domain, 'authConnections:list', { workspaceId, query: '' });
    expect(connections.length).toBeGreaterThanOrEqual(4);
    expect(connections.some((c) => c.readOnly)).toBe(true);
    expect(connections.some((c) => !c.readOnly)).toBe(true);
    const json = JSON.stringify(connections);
    expect(json).not.toMatch(/client_?secret|password|secret_?key|"token"/i);
  });
});
