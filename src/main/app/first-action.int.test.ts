import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { buildDomain, call, removeTempDirs, tempDir, testKeychainService } from '../../../test/support/harness';
import { recordingLauncher } from '../../../test/support/recording-host';
import type { Keychain } from '../vault/keychain';
import { createKeytarKeychain } from '../vault/keytar-keychain';
import type { Domain } from './composition';

// The first action after the API host stopped for being idle: the host is started ahead of need
// (so its start overlaps the keychain reads, or the user reading a plan), and a workspace whose
// address refuses connections fails at once, with one attempt. Real host, SDK, keychain, SQLite.

const apiKey = 'sk_first_action_0001';
let emulator: RunningEmulator;
const domains: Domain[] = [];

beforeAll(async () => {
  emulator = await startEmulator({ keys: [{ key: apiKey, seed: 'empty' }] });
});
afterEach(async () => {
  for (const domain of domains.splice(0)) await domain.close();
  removeTempDirs();
});
afterAll(() => emulator.close());

/** A domain on the recording launcher and the real keychain, each read noted in the timeline. */
function domainWith(
  recorder: ReturnType<typeof recordingLauncher>,
  options: { api?: { maxRetries?: number; timeoutSeconds?: number }; dataDir?: string; keychainService?: string } = {},
) {
  const keytar = createKeytarKeychain(options.keychainService ?? testKeychainService());
  const keychain: Keychain = {
    description: keytar.description,
    get: (ref) => {
      recorder.timeline.push('keychain read');
      return keytar.get(ref);
    },
    set: (ref, value) => keytar.set(ref, value),
    delete: (ref) => keytar.delete(ref),
  };
  const domain = buildDomain({
    apiHost: recorder.launch,
    keychain,
    apiHostIdleStopMs: 100,
    api: options.api,
    dataDir: options.dataDir ?? tempDir(),
  });
  domains.push(domain);
  return domain;
}

async function addEmulatorWorkspace(domain: Domain): Promise<string> {
  const outcome = await call(domain, 'workspaces:add', { label: 'Staging', residency: 'custom', baseUrl: emulator.url, apiKey });
  if (outcome.outcome !== 'saved') throw new Error(outcome.outcome);
  return outcome.workspace.id;
}

/** A loopback port nothing listens on: bound by the system, then let go. */
async function refusedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('the first action after a quiet minute', () => {
  it('fails a sync of a loopback port that refuses, saying nothing answers there, after one attempt of each request and no retry', async () => {
    const recorder = recordingLauncher();
    // Retries are on (for a 429 or a 5xx): a refusal must still be final at once.
    const domain = domainWith(recorder, { api: { maxRetries: 2, timeoutSeconds: 30 } });
    const port = await refusedPort();
    const added = await call(domain, 'workspaces:add', {
      label: 'Local server',
      residency: 'custom',
      baseUrl: `http://127.0.0.1:${port}`,
      apiKey: 'sk_nowhere_0001',
      saveUnverified: true,
    });
    if (added.outcome !== 'saved') throw new Error(added.outcome);
    const retries: unknown[] = [];
    domain.events.subscribe((event, payload) => {
      if (event === 'sync:progress' && (payload as { retry: unknown }).retry) retries.push(payload);
    });

    const { results } = await call(domain, 'inventory:sync', { workspaceIds: [added.workspace.id] });

    expect(results[0]).toMatchObject({
      ok: false,
      problem: {
        code: 'unreachable',
        message: `Nothing answers at 127.0.0.1:${port} on this computer (the connection was refused): is the emulator (or the server meant to be there) running?`,
      },
    });
    // One attempt of each request of a sync (the auth connections and variables go with the
    // secrets), none repeated.
    expect([...recorder.calls()].sort()).toEqual(['listAuthConnections', 'listEnvironmentVariables', 'streamSecrets']);
    expect(recorder.received.filter((message) => message.type === 'retry')).toEqual([]);
    expect(retries).toEqual([]);
  });

  it('starts the API host while the first sync after a start reads its key from the keychain, not after', async () => {
    const dataDir = tempDir();
    const keychainService = testKeychainService();
    const before = domainWith(recordingLauncher(), { dataDir, keychainService });
    const workspaceId = await addEmulatorWorkspace(before);
    await before.close();
    const recorder = recordingLauncher();
    const domain = domainWith(recorder, { dataDir, keychainService });

    const { results } = await call(domain, 'inventory:sync', { workspaceIds: [workspaceId] });

    expect(results[0]).toMatchObject({ ok: true });
    expect(recorder.timeline.slice(0, 2)).toEqual(['host started', 'keychain read']);
  });

  it('starts the API host when a push plan is shown, so Apply finds it running', async () => {
    const recorder = recordingLauncher();
    const domain = domainWith(recorder);
    const workspaceId = await addEmulatorWorkspace(domain);
    await call(domain, 'localSecrets:create', {
      name: 'TWILIO_AUTH_TOKEN',
      value: 'first-action-value-1',
      targets: [{ workspaceId, remoteName: null }],
    });
    expect(await recorder.exits[0]).toMatch(/exit/);
    const callsBefore = recorder.calls().length;

    const plan = await call(domain, 'push:plan', { secretIds: [], workspaceIds: [workspaceId], force: false, deletions: [] });

    // Nothing was sent yet: the host only started.
    expect(recorder.hosts).toHaveLength(2);
    expect(recorder.calls()).toHaveLength(callsBefore);
    const applied = await call(domain, 'push:apply', { planId: plan.id });
    expect(applied.items.map((item) => item.status)).toEqual(['done']);
    expect(recorder.hosts).toHaveLength(2);
  });

  it('makes no host for a plan with nothing to send', async () => {
    const recorder = recordingLauncher();
    const domain = domainWith(recorder);
    await call(domain, 'push:plan', { secretIds: [], workspaceIds: [], force: false, deletions: [] });
    expect(recorder.hosts).toHaveLength(0);
  });

  it('gets the API host ready when the user comes back to the window, if there is a workspace to reach', async () => {
    const recorder = recordingLauncher();
    const domain = domainWith(recorder);
    domain.warmUp();
    expect(recorder.hosts).toHaveLength(0);

    await addEmulatorWorkspace(domain);
    expect(await recorder.exits[0]).toMatch(/exit/);
    domain.warmUp();
    expect(recorder.hosts).toHaveLength(2);
    // Unused, it stops again as an idle host does.
    expect(await recorder.exits[1]).toMatch(/exit/);
  });
});
