import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../emulator/server';
import { AppError } from '../../errors';
import { silentLogger } from '../../logging/logger';
import { defaultApiSettings, type ApiSettings } from '../types';
import { recordingLauncher } from '../../../../test/support/recording-host';
import type { FromHost, HostLauncher } from './protocol';
import { createRemoteGateway, type RemoteGateway } from './remote-gateway';

// The main side of the API host, against the real host process running the real SDK against
// the emulator: what happens when the host dies mid-call, a call is aborted, a page callback
// throws, a host never answers, and a host sits idle.

const apiKey = 'sk_gateway_test_0001';
let emulator: RunningEmulator;
const gateways: RemoteGateway[] = [];
const settings: ApiSettings = { ...defaultApiSettings, timeoutSeconds: 5, maxRetries: 0 };

beforeAll(async () => {
  emulator = await startEmulator({ keys: [{ key: apiKey, seed: 'bench:100' }] });
});
afterEach(() => {
  emulator.clearFaults();
  for (const gateway of gateways.splice(0)) gateway.close();
});
afterAll(() => emulator.close());

function gatewayWith(launch: HostLauncher, options: { idleStopMs?: number } = {}, apiSettings = settings): RemoteGateway {
  const gateway = createRemoteGateway(launch, apiSettings, silentLogger, options);
  gateways.push(gateway);
  return gateway;
}

const target = () => ({ baseUrl: emulator.url, apiKey });

describe('the API host seen from main', () => {
  it('fails a call whose host dies mid-call with a clear error, and starts a new host for the next', async () => {
    const { launch, hosts, sent } = recordingLauncher();
    const api = gatewayWith(launch).forWorkspace(target());
    await api.getUser({});
    emulator.injectFault({ delayMs: 5_000, count: 1 });
    const dying = api.listSecrets({ pageSize: 5 }).catch((error: unknown) => error);
    // Kill it once the call has been handed over.
    expect(sent.at(-1)).toMatchObject({ type: 'call', operation: 'listSecrets' });
    hosts[0]!.kill();
    expect(await dying).toMatchObject({ code: 'internal', message: expect.stringMatching(/stopped unexpectedly/) });
    // The killed host may have died before its request reached the emulator, leaving the slow
    // fault for the next call; that call is about the new host, not the delay.
    emulator.clearFaults();
    const page = await api.listSecrets({ pageSize: 5 });
    expect(page.items).toHaveLength(5);
    expect(hosts).toHaveLength(2);
  });

  it('cancels a call when its signal aborts, and tells the host to stop it', async () => {
    const { launch, sent } = recordingLauncher();
    const api = gatewayWith(launch).forWorkspace(target());
    emulator.injectFault({ delayMs: 10_000, count: 1 });
    const controller = new AbortController();
    const call = api.listSecrets({ pageSize: 5 }, { signal: controller.signal }).catch((error: unknown) => error);
    controller.abort();
    expect(await call).toMatchObject({ code: 'cancelled' });
    const [request] = sent.filter((m) => m.type === 'call');
    expect(sent).toContainEqual({ type: 'abort', id: request!.id });
    // The host is free for the next call at once (the aborted request does not hold it).
    emulator.clearFaults();
    await expect(api.listSecrets({ pageSize: 1 })).resolves.toMatchObject({ items: [expect.anything()] });
  });

  it('stops a stream whose page callback throws, and asks for no further pages', async () => {
    const { launch } = recordingLauncher();
    const api = gatewayWith(launch).forWorkspace(target());
    const before = emulator.stats().byRoute['GET /v1/convai/secrets'] ?? 0;
    let pages = 0;
    const streaming = api
      .streamSecrets(
        { pageSize: 10 },
        {
          onEvent: () => {
            pages += 1;
            throw new AppError('storage_failed', 'The database refused the page.');
          },
        },
      )
      .catch((error: unknown) => error);
    expect(await streaming).toMatchObject({ code: 'storage_failed', message: 'The database refused the page.' });
    expect(pages).toBe(1);
    // Page 1 and, at most, the page already requested while page 1 was handled.
    expect((emulator.stats().byRoute['GET /v1/convai/secrets'] ?? 0) - before).toBeLessThanOrEqual(2);
  });

  it('gives up on a host that never answers, at the deadline', async () => {
    const silent: HostLauncher = () => ({
      send: () => undefined,
      onMessage: (_listener: (message: FromHost) => void) => undefined,
      onExit: () => undefined,
      onOutput: () => undefined,
      kill: () => undefined,
    });
    const api = gatewayWith(silent, {}, { ...settings, timeoutSeconds: 0.1, maxRetries: 0, maxRetryWaitSeconds: 0 }).forWorkspace(target());
    const started = Date.now();
    await expect(api.getUser({})).rejects.toMatchObject({ code: 'timeout', message: expect.stringMatching(/stopped waiting after 5 s/) });
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('stops an idle host and starts it again on the next call', async () => {
    const { launch, hosts, exits } = recordingLauncher();
    const api = gatewayWith(launch, { idleStopMs: 50 }).forWorkspace(target());
    await api.getUser({});
    expect(await exits[0]).toMatch(/exit/);
    await expect(api.getUser({})).resolves.toMatchObject({ workspaceId: expect.any(String) });
    expect(hosts).toHaveLength(2);
  });

  it('starts the host ahead of need when warmed up, and the next call finds it running', async () => {
    const { launch, hosts, calls } = recordingLauncher();
    const gateway = gatewayWith(launch);
    gateway.warmUp();
    expect(hosts).toHaveLength(1);
    expect(calls()).toEqual([]);
    await expect(gateway.forWorkspace(target()).getUser({})).resolves.toMatchObject({ workspaceId: expect.any(String) });
    gateway.warmUp();
    expect(hosts).toHaveLength(1);
  });

  it('stops a warmed-up host that nothing uses, as an idle one', async () => {
    const { launch, exits, calls } = recordingLauncher();
    gatewayWith(launch, { idleStopMs: 50 }).warmUp();
    expect(await exits[0]).toMatch(/exit/);
    expect(calls()).toEqual([]);
  });
});
