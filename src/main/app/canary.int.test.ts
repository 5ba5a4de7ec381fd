import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeHostLauncher } from '../elevenlabs/api-host/remote-gateway';
import type { HostLauncher } from '../elevenlabs/api-host/protocol';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { AppError } from '../errors';
import { createKeytarKeychain } from '../vault/keytar-keychain';
import type { Domain } from './composition';
import {
  buildDomain,
  call,
  clearKeychainService,
  filesUnder,
  keychainAccounts,
  removeTempDirs,
  testKeychainService,
} from '../../../test/support/harness';

// Canary: unique keys go in through every path that handles a key (add, add unverified,
// re-key, sync, failures); then no file the app wrote, no log line, no IPC reply and no event
// may contain one. The keychain must, which proves the canaries were really used.

const canaries = Array.from({ length: 4 }, () => `sk_canary_${randomUUID().replace(/-/g, '')}`);
const [productionKey, stagingKey, replacementKey, unreachableKey] = canaries as [string, string, string, string];
/** Keys of every shape, for the failure paths: modern, legacy 32-hex, unprefixed, shortest accepted. */
const shapes = [
  `sk_${randomBytes(24).toString('hex')}`,
  randomBytes(16).toString('hex'),
  `k-${randomBytes(15).toString('base64url')}`,
  `Q${randomBytes(4).toString('hex').slice(0, 7)}`,
];
const keychainService = testKeychainService();
let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({
    seed: 'demo',
    keys: [
      { key: productionKey, seed: 'bench:150' },
      { key: stagingKey },
      { key: replacementKey, seed: 'bench:150' },
      ...shapes.map((key) => ({ key, seed: 'bench:40' as const })),
    ],
  });
});

/** No canary in any file under the data folder, reply, event, or API host output. */
function expectNowhere(secrets: string[], domain: Domain, messages: string[]): void {
  for (const file of filesUnder(domain.paths.dataDir)) {
    const content = fs.readFileSync(file).toString('latin1');
    for (const secret of secrets) expect(content.includes(secret), `${secret} in ${file}`).toBe(false);
  }
  for (const message of messages) {
    for (const secret of secrets) expect(message.includes(secret), `${secret} in ${message.slice(0, 200)}`).toBe(false);
  }
}

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

    const production = await call(calls, 'workspaces:add', {
      label: 'Production',
      residency: 'custom',
      baseUrl: emulator.url,
      apiKey: productionKey,
    });
    const staging = await call(calls, 'workspaces:add', {
      label: 'Staging',
      residency: 'custom',
      baseUrl: emulator.url,
      apiKey: stagingKey,
    });
    await call(calls, 'workspaces:add', { label: 'Gone', residency: 'custom', baseUrl: 'http://127.0.0.1:9', apiKey: unreachableKey });
    await call(calls, 'workspaces:add', {
      label: 'Gone',
      residency: 'custom',
      baseUrl: 'http://127.0.0.1:9',
      apiKey: unreachableKey,
      saveUnverified: true,
    });
    if (production.outcome !== 'saved' || staging.outcome !== 'saved') throw new Error('setup failed');

    await call(calls, 'inventory:sync', { workspaceIds: [] });
    emulator.injectFault({ status: 401 });
    await call(calls, 'inventory:sync', { workspaceIds: [] });
    emulator.clearFaults();
    await call(calls, 'workspaces:replaceKey', {
      workspaceId: staging.workspace.id,
      apiKey: replacementKey,
      acceptWorkspaceMismatch: true,
    });
    await call(calls, 'inventory:sync', { workspaceIds: [] });
    await call(calls, 'workspaces:list', {});
    await call(calls, 'inventory:searchSecrets', {
      query: '',
      workspaceId: null,
      usage: 'any',
      presence: 'all',
      usedBy: null,
      offset: 0,
      limit: 500,
    });
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

describe('canary keys on the failure paths', () => {
  it('stay in the keychain through server errors, timeouts, a dying API host and a failing keychain', async () => {
    await clearKeychainService(keychainService);
    const hostOutput: string[] = [];
    let killHostOnNextSync = false;
    const apiHost: HostLauncher = (settings) => {
      const channel = nodeHostLauncher()(settings);
      channel.onOutput((line) => hostOutput.push(line));
      return {
        ...channel,
        send: (message) => {
          channel.send(message);
          // The API host dies right after it was asked for the first page of a sync.
          if (killHostOnNextSync && message.type === 'call' && message.operation === 'streamSecrets') {
            killHostOnNextSync = false;
            channel.kill();
          }
        },
      };
    };
    // The real keychain, made to fail its third write the way an OS keychain can.
    const real = createKeytarKeychain(keychainService);
    let writes = 0;
    const keychain = {
      ...real,
      set: async (ref: string, value: string) => {
        writes += 1;
        if (writes === 3) throw new AppError('keychain_failed', `The system keychain refused to write an entry: ${value}`);
        return real.set(ref, value);
      },
    };
    const domain = buildDomain({ keychainService, keychain, apiHost, api: { timeoutSeconds: 1, maxRetries: 1, maxRetryWaitSeconds: 1 } });
    const seen: string[] = [];
    domain.events.subscribe((event, payload) => seen.push(JSON.stringify({ event, payload })));
    const record = async (channel: string, request: unknown) => {
      const reply = await domain.dispatch(channel, request);
      seen.push(JSON.stringify(reply));
      return reply;
    };
    const add = (apiKey: string) =>
      record('workspaces:add', { label: 'Shapes', residency: 'custom', baseUrl: emulator.url, apiKey, acceptWorkspaceMismatch: true });

    const faults = [
      { status: 400 },
      { status: 422 },
      { status: 429, retryAfter: 1 },
      { status: 500 },
      { status: 503, retryAfter: 1 },
      { malformed: true },
      { delayMs: 1_500 },
    ];
    for (const fault of faults) {
      emulator.injectFault(fault);
      for (const key of shapes) await add(key);
      emulator.clearFaults();
    }
    // Writes 1 and 2 succeed; write 3 fails in the keychain itself.
    await add(shapes[0]!);
    await add(shapes[1]!);
    expect(await add(shapes[2]!)).toMatchObject({ ok: false, error: { code: 'keychain_failed' } });
    const ids = (await call(domain, 'workspaces:list', {})).workspaces.map((w) => w.id);
    expect(ids).toHaveLength(2);

    for (const fault of faults) {
      emulator.injectFault(fault);
      await record('inventory:sync', { workspaceIds: ids });
      await record('workspaces:replaceKey', { workspaceId: ids[0], apiKey: shapes[3]! });
      emulator.clearFaults();
    }
    killHostOnNextSync = true;
    const crashed = await record('inventory:sync', { workspaceIds: [ids[1]] });
    expect(JSON.stringify(crashed)).toMatch(/stopped unexpectedly/);
    await record('inventory:sync', { workspaceIds: ids });
    await domain.close();

    // Positive control: the canaries were really used, and the kept ones are in the keychain.
    expect(await keychainAccounts(keychainService)).toHaveLength(2);
    expect(seen.length).toBeGreaterThan(40);
    expectNowhere(shapes, domain, [...seen, ...hostOutput]);
  });
});
