import { afterEach, describe, expect, it, vi } from 'vitest';
import { rawHttpRequest } from '../../test/support/hostile-http';
import { startEmulator } from './server';
import { FULL_KEY, raw, sdk, useEmulator } from '../../test/support/emulator';
import type { RunningEmulator } from './types';
import { WorkspaceState } from './workspace-state';

// The emulator listens on loopback inside the app (the demo) and beside it (tests, the CLI).
// Any web page the user opens can reach a loopback port: it must not take orders from one.

const own = (emulator: RunningEmulator) => `127.0.0.1:${emulator.port}`;

function crossSitePost(emulator: RunningEmulator, path: string, body: unknown, origin?: string) {
  // What a <form> or a no-cors fetch on another site can send without a preflight.
  const headers: Record<string, string> = { 'content-type': 'text/plain' };
  if (origin !== undefined) headers.origin = origin;
  return rawHttpRequest(emulator.port, { method: 'POST', target: path, host: own(emulator), headers, body: JSON.stringify(body) });
}

describe('emulator against web pages', () => {
  const emulator = useEmulator();
  // A refusal that failed must not turn the next test's requests into 503s.
  afterEach(() => emulator().clearFaults());

  it('refuses a cross-site POST to the control endpoints; nothing changes', async () => {
    const fault = await crossSitePost(emulator(), '/_emulator/faults', { status: 503, pathPrefix: '/' }, 'https://evil.example');
    expect(fault.status).toBe(403);
    const key = await crossSitePost(emulator(), '/_emulator/keys', { key: 'sk_from_evil' }, 'https://evil.example');
    expect(key.status).toBe(403);
    // Without an Origin (an old browser, a stripped header) text/plain is still refused.
    const noOrigin = await crossSitePost(emulator(), '/_emulator/faults', { status: 503, pathPrefix: '/' });
    expect(noOrigin.status).toBe(415);
    const noOriginKey = await crossSitePost(emulator(), '/_emulator/keys', { key: 'sk_from_evil' });
    expect(noOriginKey.status).toBe(415);

    expect((await sdk(emulator()).user.get()).workspaceId).toMatch(/^ws_/);
    expect((await raw(emulator(), 'GET', '/v1/user', { apiKey: 'sk_from_evil' })).status).toBe(401);
    const stats = await raw(emulator(), 'GET', '/_emulator/stats');
    expect(stats.status).toBe(200);
    expect(stats.json).toMatchObject({ byRoute: { 'GET /v1/user': expect.any(Number) } });
  });

  it('refuses any request from another origin, and accepts its own', async () => {
    const api = await rawHttpRequest(emulator().port, {
      target: '/v1/user',
      host: own(emulator()),
      headers: { origin: 'https://evil.example', 'xi-api-key': FULL_KEY },
    });
    expect(api.status).toBe(403);
    expect(api.body).not.toContain('Avery');
    const opaque = await rawHttpRequest(emulator().port, {
      target: '/_emulator/health',
      host: own(emulator()),
      headers: { origin: 'null' },
    });
    expect(opaque.status).toBe(403);
    const sameOrigin = await rawHttpRequest(emulator().port, {
      method: 'POST',
      target: '/_emulator/faults',
      host: own(emulator()),
      headers: { origin: `http://${own(emulator())}`, 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ status: 503, pathPrefix: '/v1/nothing' }),
    });
    expect(sameOrigin.status).toBe(200);
    expect((await raw(emulator(), 'DELETE', '/_emulator/faults')).status).toBe(200);
  });

  it('refuses a Host that is not its own loopback address and port (DNS rebinding)', async () => {
    for (const host of ['evil.example', `evil.example:${emulator().port}`, `127.0.0.1:${emulator().port + 1}`]) {
      const api = await rawHttpRequest(emulator().port, { target: '/v1/user', host, headers: { 'xi-api-key': FULL_KEY } });
      expect(api.status).toBe(421);
      expect(api.body).not.toContain('Avery');
      const control = await rawHttpRequest(emulator().port, {
        method: 'POST',
        target: '/_emulator/keys',
        host,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ key: 'sk_rebound' }),
      });
      expect(control.status).toBe(421);
    }
    expect((await raw(emulator(), 'GET', '/v1/user', { apiKey: 'sk_rebound' })).status).toBe(401);
    const localhost = await rawHttpRequest(emulator().port, {
      target: '/v1/user',
      host: `localhost:${emulator().port}`,
      headers: { 'xi-api-key': FULL_KEY },
    });
    expect(localhost.status).toBe(200);
  });

  it('survives malformed request targets', async () => {
    expect((await rawHttpRequest(emulator().port, { target: '/%', host: own(emulator()) })).status).toBe(404);
    const secret = await rawHttpRequest(emulator().port, {
      target: '/v1/convai/secrets/%',
      host: own(emulator()),
      headers: { 'xi-api-key': FULL_KEY },
    });
    expect(secret.status).toBe(404);
    expect((await rawHttpRequest(emulator().port, { target: '/v1/convai/secrets/%E0%A4%A', host: own(emulator()) })).status).toBe(404);
    expect((await rawHttpRequest(emulator().port, { target: 'http://[', host: own(emulator()) })).status).toBe(400);
    expect((await raw(emulator(), 'GET', '/_emulator/health')).json).toMatchObject({ status: 'ok' });
  });
});

describe('emulator without control endpoints', () => {
  const emulator = useEmulator({ controlEndpoints: false });

  it('answers 404 on every /_emulator path and still serves the API', async () => {
    expect((await raw(emulator(), 'GET', '/_emulator/health')).status).toBe(404);
    expect((await raw(emulator(), 'GET', '/_emulator/stats')).status).toBe(404);
    expect((await raw(emulator(), 'POST', '/_emulator/keys', { body: { key: 'sk_injected' } })).status).toBe(404);
    expect((await raw(emulator(), 'POST', '/_emulator/faults', { body: { status: 503, pathPrefix: '/' } })).status).toBe(404);
    expect((await raw(emulator(), 'DELETE', '/_emulator/faults')).status).toBe(404);
    expect((await raw(emulator(), 'GET', '/v1/user', { apiKey: 'sk_injected' })).status).toBe(401);
    expect((await sdk(emulator()).user.get()).workspaceId).toMatch(/^ws_/);
  });
});

describe('emulator error log', () => {
  const SECRET_VALUE = 'canary-secret-value-3f9c1a';
  const QUERY_CANARY = 'canary-query-77d2';

  afterEach(() => {
    vi.restoreAllMocks();
  });

  /** Makes creating a secret throw an error that carries the value, as a careless bug would. */
  function breakCreateSecret(): void {
    vi.spyOn(WorkspaceState.prototype, 'createSecret').mockImplementation((_name: string, value: string) => {
      throw new TypeError(`could not store ${value}`);
    });
  }

  async function postSecret(emulator: RunningEmulator) {
    return raw(emulator, 'POST', `/v1/convai/secrets?trace=${QUERY_CANARY}`, {
      apiKey: FULL_KEY,
      body: { type: 'new', name: 'CANARY', value: SECRET_VALUE },
    });
  }

  it('logs only the error name, route and status through the log option', async () => {
    const lines: string[] = [];
    const emulator = await startEmulator({
      keys: [{ key: FULL_KEY }],
      log: (message, fields) => lines.push(JSON.stringify({ message, fields })),
    });
    const stderr = vi.spyOn(process.stderr, 'write');
    const consoleError = vi.spyOn(console, 'error');
    try {
      // Refusals and bad targets are answers, not errors: nothing to log.
      for (const target of ['/%', 'http://[', `/v1/convai/secrets/%?trace=${QUERY_CANARY}`]) {
        await rawHttpRequest(emulator.port, { target, host: own(emulator), headers: { 'xi-api-key': FULL_KEY } });
      }
      await rawHttpRequest(emulator.port, { target: '/v1/user', host: 'evil.example', headers: { origin: 'https://evil.example' } });
      expect(lines).toEqual([]);
      breakCreateSecret();
      const reply = await postSecret(emulator);
      expect(reply.status).toBe(500);
      expect(reply.text).not.toContain(SECRET_VALUE);
    } finally {
      await emulator.close();
    }
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toEqual({
      message: expect.any(String),
      fields: { error: 'TypeError', route: 'POST /v1/convai/secrets', status: 500 },
    });
    for (const canary of [SECRET_VALUE, QUERY_CANARY, FULL_KEY, 'could not store']) expect(lines[0]).not.toContain(canary);
    expect(stderr).not.toHaveBeenCalled();
    expect(consoleError).not.toHaveBeenCalled();
  });

  it('writes one line to stderr by default, without request data', async () => {
    const emulator = await startEmulator({ keys: [{ key: FULL_KEY }] });
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      breakCreateSecret();
      expect((await postSecret(emulator)).status).toBe(500);
    } finally {
      await emulator.close();
    }
    expect(consoleError).not.toHaveBeenCalled();
    expect(written).toHaveLength(1);
    expect(written[0]).toBe('emulator: unexpected error error=TypeError route="POST /v1/convai/secrets" status=500\n');
    for (const canary of [SECRET_VALUE, QUERY_CANARY, FULL_KEY, 'could not store']) expect(written[0]).not.toContain(canary);
  });
});
