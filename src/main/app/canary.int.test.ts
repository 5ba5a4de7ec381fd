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
import { refusedPort } from '../../../test/support/refused-port';

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
    await call(calls, 'workspaces:add', {
      label: 'Gone',
      residency: 'custom',
      baseUrl: `http://127.0.0.1:${await refusedPort()}`,
      apiKey: unreachableKey,
    });
    await call(calls, 'workspaces:add', {
      label: 'Gone',
      residency: 'custom',
      baseUrl: `http://127.0.0.1:${await refusedPort()}`,
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
  }, 120_000); // dozens of calls, many waiting out faults
});

describe('canary local secret values', () => {
  it('are found only in the keychain and in the explicit reveal', async () => {
    await clearKeychainService(keychainService);
    const hostOutput: string[] = [];
    const apiHost: HostLauncher = (settings) => {
      const channel = nodeHostLauncher()(settings);
      channel.onOutput((line) => hostOutput.push(line));
      return channel;
    };
    const values = [
      `sk_${randomBytes(24).toString('hex')}`,
      randomBytes(16).toString('hex'),
      `pa"ss\\wörd ${randomBytes(6).toString('hex')}`,
      `-----BEGIN PRIVATE KEY-----\n${randomBytes(30).toString('base64')}\n-----END PRIVATE KEY-----`,
      `Zq${randomBytes(3).toString('hex')}`,
    ];
    const domain = buildDomain({ keychainService, apiHost });
    const seen: string[] = [];
    const reveals: string[] = [];
    domain.events.subscribe((event, payload) => seen.push(JSON.stringify({ event, payload })));
    const record = async (channel: string, request: unknown) => {
      const reply = await domain.dispatch(channel, request);
      (channel === 'localSecrets:reveal' ? reveals : seen).push(JSON.stringify(reply));
      return reply;
    };
    const added = await call(domain, 'workspaces:add', { label: 'Canary', residency: 'custom', baseUrl: emulator.url, apiKey: stagingKey });
    if (added.outcome !== 'saved') throw new Error(added.outcome);
    const workspaceId = added.workspace.id;
    await record('inventory:sync', { workspaceIds: [workspaceId] });

    const created = await record('localSecrets:create', {
      name: 'CANARY_ONE',
      value: values[0],
      targets: [{ workspaceId, remoteName: null }],
    });
    if (!created.ok) throw new Error(created.error.message);
    const id = (created.data as { id: string }).id;
    await record('localSecrets:rotate', { id, value: values[1] });
    await record('localSecrets:create', { name: 'CANARY_QUOTED', value: values[2], targets: [{ workspaceId, remoteName: null }] });
    const content = `CANARY_PEM="${values[3]}"\nCANARY_SHORT=${values[4]}\nbroken line ${values[4]}\n`;
    await record('localSecrets:importPreview', { content });
    await record('localSecrets:importApply', { content, names: ['CANARY_PEM', 'CANARY_SHORT'], targetWorkspaceIds: [workspaceId] });
    const plan = (await record('push:plan', { secretIds: [], workspaceIds: [], force: false, deletions: [] })) as {
      ok: true;
      data: { id: string };
    };
    // A refused push (final: a 422 is not retried), then a new plan that sends it.
    emulator.injectFault({ status: 422, method: 'POST', count: 1 });
    await record('push:apply', { planId: plan.data.id });
    emulator.clearFaults();
    const again = (await record('push:plan', { secretIds: [], workspaceIds: [], force: false, deletions: [] })) as {
      ok: true;
      data: { id: string };
    };
    await record('push:apply', { planId: again.data.id });
    await record('localSecrets:reveal', { id, version: 'current' });
    await record('localSecrets:copy', { id, version: 'previous' });
    await record('localSecrets:list', { query: '', tag: null });
    await record('review:list', { rotationDays: 1 });
    await record('activity:list', { workspaceId: null, action: null, result: null, query: '', offset: 0, limit: 100 });
    await record('activity:export', { format: 'csv', filter: { workspaceId: null, action: null, result: null, query: '' } });
    await record('activity:export', { format: 'json', filter: { workspaceId: null, action: null, result: null, query: '' } });
    await record('inventory:export', { format: 'csv', workspaceId: null });
    await record('localSecrets:create', { name: 'bad name', value: values[0] });
    await domain.close();

    // Positive controls: the keychain holds them, the emulator got them, the reveal showed one.
    expect((await keychainAccounts(keychainService)).filter((a) => a.startsWith('local-secret-value/'))).toHaveLength(5);
    expect(emulator.secretsOf(stagingKey).filter((s) => s.name.startsWith('CANARY_'))).toHaveLength(4);
    expect(reveals.join('')).toContain(JSON.stringify(values[1]).slice(1, -1));
    expect(seen.length).toBeGreaterThan(20);
    const escaped = values.flatMap((value) => [value, JSON.stringify(value).slice(1, -1)]);
    expectNowhere(escaped, domain, [...seen, ...hostOutput]);
  });
});
