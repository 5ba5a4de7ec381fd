import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../emulator/server';
import {
  buildDomain,
  call,
  clearKeychainService,
  filesUnder,
  keychainAccounts,
  removeTempDirs,
  testKeychainService,
} from '../testing/harness';

// Canary: unique keys go in through every path that handles a key (add, add unverified,
// re-key, sync, failures); then no file the app wrote, no log line, no IPC reply and no event
// may contain one. The keychain must, which proves the canaries were really used.

const canaries = Array.from({ length: 4 }, () => `sk_canary_${randomUUID().replace(/-/g, '')}`);
const [productionKey, stagingKey, replacementKey, unreachableKey] = canaries as [string, string, string, string];
const keychainService = testKeychainService();
let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({
    seed: 'demo',
    keys: [{ key: productionKey, seed: 'bench:150' }, { key: stagingKey }, { key: replacementKey, seed: 'bench:150' }],
  });
});

afterAll(async () => {
  await emulator.close();
  await clearKeychainService(keychainService);
  removeTempDirs();
});

describe('canary keys', () => {
  it('never reach the database, the logs, an IPC reply or an event', async () => {
    const domain = buildDomain({ keychainService });
    const seen: string[] = [];
    domain.events.subscribe((event, payload) => seen.push(JSON.stringify({ event, payload })));
    const dispatch = domain.dispatch;
    const recorded = async (channel: string, request: unknown) => {
      const reply = await dispatch(channel, request);
      seen.push(JSON.stringify(reply));
      return reply;
    };
    const calls = { ...domain, dispatch: recorded };

    const production = await call(calls, 'workspaces:add', { label: 'Production', residency: 'custom', baseUrl: emulator.url, apiKey: productionKey });
    const staging = await call(calls, 'workspaces:add', { label: 'Staging', residency: 'custom', baseUrl: emulator.url, apiKey: stagingKey });
    await call(calls, 'workspaces:add', { label: 'Gone', residency: 'custom', baseUrl: 'http://127.0.0.1:9', apiKey: unreachableKey });
    await call(calls, 'workspaces:add', { label: 'Gone', residency: 'custom', baseUrl: 'http://127.0.0.1:9', apiKey: unreachableKey, saveUnverified: true });
    if (production.outcome !== 'saved' || staging.outcome !== 'saved') throw new Error('setup failed');

    await call(calls, 'inventory:sync', { workspaceIds: [] });
    emulator.injectFault({ status: 401 });
    await call(calls, 'inventory:sync', { workspaceIds: [] });
    emulator.clearFaults();
    await call(calls, 'workspaces:replaceKey', { workspaceId: staging.workspace.id, apiKey: replacementKey, acceptWorkspaceMismatch: true });
    await call(calls, 'inventory:sync', { workspaceIds: [] });
    await call(calls, 'workspaces:list', {});
    await call(calls, 'inventory:searchSecrets', { query: '', workspaceId: null, usage: 'any', presence: 'all', usedBy: null, offset: 0, limit: 500 });
    await recorded('workspaces:add', { label: 'Bad', residency: 'custom', baseUrl: emulator.url, apiKey: `${productionKey} with space` });
    await recorded('workspaces:add', { label: 'x'.repeat(500), residency: 'default', apiKey: productionKey });
    await domain.close();

    // Positive control: the canaries are in the keychain, so they were really handled.
    expect(await keychainAccounts(keychainService)).toHaveLength(3);

    const files = filesUnder(domain.paths.dataDir);
    expect(files.some((f) => f.endsWith('.sqlite'))).toBe(true);
    expect(files.some((f) => f.endsWith('main.log'))).toBe(true);
    for (const file of files) {
      const content = fs.readFileSync(file).toString('latin1');
      for (const canary of canaries) expect(content.includes(canary), `${canary} in ${file}`).toBe(false);
    }
    expect(seen.length).toBeGreaterThan(20);
    for (const message of seen) {
      for (const canary of canaries) expect(message.includes(canary), `${canary} in ${message.slice(0, 200)}`).toBe(false);
    }
  });
});
