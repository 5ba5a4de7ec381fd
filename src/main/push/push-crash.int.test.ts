import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { buildDomain, call, clearKeychainService, removeTempDirs, tempDir, testKeychainService } from '../../../test/support/harness';

// Kills a process in the middle of applying a plan (SIGKILL: no cleanup), then restarts: the plan
// says truthfully what was applied and what was not, and applying it again finishes the job
// with no duplicate and nothing missing.

const child = path.join(__dirname, '../../../test/support/push-child.ts');
const apiKey = 'sk_push_crash_00001';
const keychainService = testKeychainService();
const dataDir = tempDir();
const COUNT = 40;
let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({ keys: [{ key: apiKey, seed: 'empty' }] });
});
afterAll(async () => {
  await emulator.close();
  await clearKeychainService(keychainService);
  removeTempDirs();
});

/** Runs the applying child and kills it once `killAfterDone` items are done. */
function applyAndKill(planId: string, killAfterDone: number, dir = dataDir): Promise<{ done: number }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, dir, keychainService, planId], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let done = 0;
    let output = '';
    proc.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      done = (output.match(/^progress done$/gm) ?? []).length;
      if (done >= killAfterDone) proc.kill('SIGKILL');
    });
    proc.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    proc.on('error', reject);
    proc.on('exit', () =>
      output.includes('result ') ? reject(new Error(`the apply finished before the kill:\n${output}`)) : resolve({ done }),
    );
  });
}

describe('a push killed mid-apply', () => {
  it('leaves a truthful plan, and applying it again leaves no duplicate and nothing missing', async () => {
    let domain = buildDomain({ dataDir, keychainService });
    const added = await call(domain, 'workspaces:add', { label: 'Crash', residency: 'custom', baseUrl: emulator.url, apiKey });
    if (added.outcome !== 'saved') throw new Error(added.outcome);
    await call(domain, 'inventory:sync', { workspaceIds: [] });
    for (let i = 0; i < COUNT; i++) {
      await call(domain, 'localSecrets:create', {
        name: `CRASH_${String(i).padStart(2, '0')}`,
        value: `crash-value-${i}`,
        targets: [{ workspaceId: added.workspace.id, remoteName: null }],
      });
    }
    const plan = await call(domain, 'push:plan', { secretIds: [], workspaceIds: [], force: false, deletions: [] });
    expect(plan.counts.create).toBe(COUNT);
    await domain.close();

    // Slow enough that the kill lands mid-way.
    emulator.injectFault({ delayMs: 40, method: 'POST' });
    const { done } = await applyAndKill(plan.id, 12);
    emulator.clearFaults();
    expect(done).toBeGreaterThanOrEqual(12);
    const landed = emulator.secretsOf(apiKey).length;
    expect(landed).toBeGreaterThan(0);
    expect(landed).toBeLessThan(COUNT);

    domain = buildDomain({ dataDir, keychainService });
    const after = await call(domain, 'push:latest', {});
    expect(after.plan).toMatchObject({ id: plan.id, status: 'interrupted' });
    const statuses = after.plan!.items.map((item) => item.status);
    // Truthful: what it knows landed is done, what was on the wire "sending", the rest untouched.
    expect(statuses.filter((s) => s === 'done').length).toBeLessThanOrEqual(landed);
    expect(statuses.filter((s) => s === 'done' || s === 'sending').length).toBeGreaterThanOrEqual(landed);
    expect(statuses.every((s) => ['done', 'sending', 'planned'].includes(s))).toBe(true);

    const finished = await call(domain, 'push:apply', { planId: plan.id });
    expect(finished.items.every((item) => item.status === 'done')).toBe(true);
    const names = emulator
      .secretsOf(apiKey)
      .map((s) => s.name)
      .sort();
    expect(names).toEqual(Array.from({ length: COUNT }, (_, i) => `CRASH_${String(i).padStart(2, '0')}`));
    const secrets = await call(domain, 'localSecrets:list', { query: '', tag: null });
    expect(secrets.secrets.every((s) => s.targets[0]!.state === 'in_sync')).toBe(true);
    await domain.close();
  }, 120_000);

  it('connections kept here: a truthful plan after the kill, and no duplicate when applied again (matched by name)', async () => {
    const connectionsKey = 'sk_push_crash_conn01';
    const connectionsDir = tempDir();
    emulator.addKey({ key: connectionsKey, seed: 'empty' });
    let domain = buildDomain({ dataDir: connectionsDir, keychainService });
    const added = await call(domain, 'workspaces:add', {
      label: 'Crash connections',
      residency: 'custom',
      baseUrl: emulator.url,
      apiKey: connectionsKey,
    });
    if (added.outcome !== 'saved') throw new Error(JSON.stringify(added));
    await call(domain, 'inventory:sync', { workspaceIds: [] });
    const names = Array.from({ length: COUNT / 2 }, (_, i) => `Crash connection ${String(i).padStart(2, '0')}`);
    for (const name of names) {
      await call(domain, 'keptConnections:create', {
        definition: { authType: 'bearer_auth', name, provider: 'crash', token: `crash-token-${name}` },
        targets: [{ workspaceId: added.workspace.id, remoteName: null }],
      });
    }
    const plan = await call(domain, 'push:plan', { secretIds: [], workspaceIds: [], force: false, deletions: [] });
    expect(plan.counts.create).toBe(names.length);
    await domain.close();

    const listed = async () => {
      const response = await fetch(`${emulator.url}/v1/workspace/auth-connections`, { headers: { 'xi-api-key': connectionsKey } });
      return ((await response.json()) as { auth_connections: { name: string }[] }).auth_connections.map((c) => c.name).sort();
    };
    emulator.injectFault({ delayMs: 40, method: 'POST', key: connectionsKey });
    await applyAndKill(plan.id, 6, connectionsDir);
    emulator.clearFaults();
    const landed = (await listed()).length;
    expect(landed).toBeGreaterThan(0);
    expect(landed).toBeLessThan(names.length);

    domain = buildDomain({ dataDir: connectionsDir, keychainService });
    const after = await call(domain, 'push:latest', {});
    expect(after.plan).toMatchObject({ id: plan.id, status: 'interrupted' });
    const statuses = after.plan!.items.map((item) => item.status);
    expect(statuses.filter((s) => s === 'done').length).toBeLessThanOrEqual(landed);
    expect(statuses.filter((s) => s === 'done' || s === 'sending').length).toBeGreaterThanOrEqual(landed);

    const finished = await call(domain, 'push:apply', { planId: plan.id });
    expect(finished.items.every((item) => item.status === 'done')).toBe(true);
    expect(await listed()).toEqual(names);
    const kept = await call(domain, 'keptConnections:list', { query: '' });
    expect(kept.connections.every((c) => c.targets[0]!.state === 'in_sync')).toBe(true);
    await domain.close();
  }, 120_000);
});
