import { afterEach, describe, expect, it } from 'vitest';
import { parseFaultSpec } from './faults';
import { FULL_KEY, raw, sdk, sdkError, useEmulator } from '../../test/support/emulator';

const OTHER_KEY = 'sk_test_other';

describe('fault injection', () => {
  const emulator = useEmulator({ keys: [{ key: FULL_KEY }, { key: OTHER_KEY }] });
  afterEach(() => emulator().clearFaults());
  const requestsTo = (route: string) => emulator().stats().byRoute[route] ?? 0;

  it('429 with Retry-After: 1 makes the SDK send 3 requests, then throw', async () => {
    emulator().injectFault({ status: 429, retryAfter: 1 });
    const before = requestsTo('GET /v1/user');
    // maxRetries undefined: the SDK's default of 2 retries.
    const error = await sdkError(sdk(emulator(), FULL_KEY, { maxRetries: undefined }).user.get());
    expect(requestsTo('GET /v1/user') - before).toBe(3);
    expect(error.statusCode).toBe(429);
    expect(error.body).toMatchObject({ detail: { code: 'rate_limit_exceeded' } });
    expect(error.rawResponse?.headers.get('retry-after')).toBe('1');
  });

  it('sends Retry-After and X-RateLimit-Reset only when given', async () => {
    emulator().injectFault({ status: 429, count: 1 });
    const bare = await raw(emulator(), 'GET', '/v1/user', { apiKey: FULL_KEY });
    expect(bare.status).toBe(429);
    expect(bare.headers.get('retry-after')).toBeNull();
    expect(bare.headers.get('x-ratelimit-reset')).toBeNull();
    emulator().injectFault({ status: 429, rateLimitReset: 1_900_000_000, count: 1 });
    const withReset = await raw(emulator(), 'GET', '/v1/user', { apiKey: FULL_KEY });
    expect(withReset.headers.get('x-ratelimit-reset')).toBe('1900000000');
    expect((await raw(emulator(), 'GET', '/v1/user', { apiKey: FULL_KEY })).status).toBe(200);
  });

  it('500 answers with an internal_error body; a counted 503 lets the retry succeed', async () => {
    emulator().injectFault({ status: 500, count: 1 });
    const error = await sdkError(sdk(emulator()).conversationalAi.secrets.list());
    expect(error.statusCode).toBe(500);
    expect(error.body).toMatchObject({ detail: { status: 'internal_error' } });

    emulator().injectFault({ status: 503, count: 1, method: 'GET', pathPrefix: '/v1/convai/' });
    const before = requestsTo('GET /v1/convai/secrets');
    const page = await sdk(emulator(), FULL_KEY, { maxRetries: 1 }).conversationalAi.secrets.list({ pageSize: 1 });
    expect(page.secrets).toHaveLength(1);
    expect(requestsTo('GET /v1/convai/secrets') - before).toBe(2);
  });

  it('401 faults look like a revoked key', async () => {
    emulator().injectFault({ status: 401, count: 1 });
    const error = await sdkError(sdk(emulator()).user.get());
    expect(error.body).toEqual({ detail: { status: 'invalid_api_key', message: 'Invalid API key' } });
  });

  it('a slow reply makes the SDK time out without blocking other requests', async () => {
    emulator().injectFault({ delayMs: 2_000, key: FULL_KEY });
    const slow = sdkError(sdk(emulator(), FULL_KEY, { timeoutInSeconds: 0.3 }).user.get());
    const started = Date.now();
    await expect(sdk(emulator(), OTHER_KEY).user.get()).resolves.toBeDefined();
    expect(Date.now() - started).toBeLessThan(1_000);
    const error = await slow;
    expect(error.message).toContain('timeout');
    expect(error.statusCode).toBeUndefined();
  });

  it('delays a status fault before answering it', async () => {
    emulator().injectFault({ delayMs: 200, status: 500, count: 1 });
    const started = Date.now();
    const error = await sdkError(sdk(emulator()).user.get());
    expect(error.statusCode).toBe(500);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('a malformed 200 makes the SDK throw its ParseError', async () => {
    emulator().injectFault({ malformed: true });
    const list = await sdk(emulator())
      .conversationalAi.secrets.list()
      .then(
        () => undefined,
        (error: unknown) => error as Error,
      );
    expect(list?.name).toBe('ParseError');
    expect(list?.message).toContain('Missing required key "id"');
    for (const call of [() => sdk(emulator()).user.get(), () => sdk(emulator()).workspace.authConnections.list()]) {
      const error = await call().then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(error?.name).toBe('ParseError');
    }
  });

  it('can carry a write out and still answer with the fault: the create landed though the client saw a 500', async () => {
    emulator().injectFault({ status: 500, afterHandling: true, method: 'POST', count: 1 });
    const error = await sdkError(sdk(emulator()).conversationalAi.secrets.create({ name: 'LANDED_ANYWAY', value: 'v' }));
    expect(error.statusCode).toBe(500);
    const listed = await sdk(emulator()).conversationalAi.secrets.list({ search: 'LANDED_ANYWAY' });
    expect(listed.secrets.map((secret) => secret.name)).toEqual(['LANDED_ANYWAY']);
    expect(() => parseFaultSpec({ afterHandling: true })).toThrow(/afterHandling/);
  });

  it('applies a per-key fault only to that key', async () => {
    emulator().injectFault({ status: 500, key: OTHER_KEY });
    expect((await sdkError(sdk(emulator(), OTHER_KEY).user.get())).statusCode).toBe(500);
    await expect(sdk(emulator(), FULL_KEY).user.get()).resolves.toBeDefined();
  });

  it('applies a method fault only to that method', async () => {
    emulator().injectFault({ status: 503, method: 'post' });
    expect((await sdkError(sdk(emulator()).conversationalAi.secrets.create({ name: 'X', value: 'v' }))).statusCode).toBe(503);
    await expect(sdk(emulator()).conversationalAi.secrets.list({ pageSize: 1 })).resolves.toBeDefined();
  });

  it('lets the first matching requests through when asked to skip them', async () => {
    emulator().injectFault({ status: 503, skip: 1, count: 1 });
    await expect(sdk(emulator()).conversationalAi.secrets.list({ pageSize: 1 }, { maxRetries: 0 })).resolves.toBeDefined();
    expect((await sdkError(sdk(emulator()).conversationalAi.secrets.list({ pageSize: 1 }, { maxRetries: 0 }))).statusCode).toBe(503);
    await expect(sdk(emulator()).conversationalAi.secrets.list({ pageSize: 1 }, { maxRetries: 0 })).resolves.toBeDefined();
  });

  it('refuses meaningless or mistyped faults, naming the field', () => {
    expect(() => parseFaultSpec({ count: 2 })).toThrow(/status/);
    expect(() => parseFaultSpec({ status: 200 })).toThrow(/status/);
    expect(() => parseFaultSpec({ status: 500, retry_after: 1 })).toThrow(/retry_after: unknown field/);
    expect(() => parseFaultSpec({ malformed: true, status: 500 })).toThrow(/malformed/);
    expect(() => emulator().injectFault({ delayMs: -1 })).toThrow(/delayMs/);
  });
});

describe('control endpoints', () => {
  const emulator = useEmulator();

  it('injects and clears faults over HTTP; faults never touch /_emulator', async () => {
    const injected = await raw(emulator(), 'POST', '/_emulator/faults', { body: { status: 503, pathPrefix: '/' } });
    expect(injected.status).toBe(200);
    expect((await raw(emulator(), 'GET', '/v1/user', { apiKey: FULL_KEY })).status).toBe(503);
    expect((await raw(emulator(), 'GET', '/_emulator/health')).json).toMatchObject({ status: 'ok' });
    expect((await raw(emulator(), 'DELETE', '/_emulator/faults')).status).toBe(200);
    expect((await raw(emulator(), 'GET', '/v1/user', { apiKey: FULL_KEY })).status).toBe(200);
  });

  it('refuses a bad body with a 400 naming the field', async () => {
    const badStatus = await raw(emulator(), 'POST', '/_emulator/faults', { body: { status: 'x' } });
    expect(badStatus.status).toBe(400);
    expect(badStatus.headers.get('content-type')).toBe('application/json');
    expect(badStatus.json).toMatchObject({ detail: { status: 'invalid_request', field: 'status' } });
    const notJson = await raw(emulator(), 'POST', '/_emulator/faults', { rawBody: '{' });
    expect(notJson.json).toMatchObject({ detail: { field: 'body' } });
    const badPermission = await raw(emulator(), 'POST', '/_emulator/keys', { body: { key: 'sk_x', permissions: ['admin'] } });
    expect(badPermission.json).toMatchObject({ detail: { field: 'permissions' } });
    expect((await raw(emulator(), 'GET', '/_emulator/nothing')).status).toBe(404);
  });

  it('adds keys and reports stats over HTTP', async () => {
    const added = await raw(emulator(), 'POST', '/_emulator/keys', { body: { key: 'sk_http', permissions: ['user_read'], seed: 'empty' } });
    expect(added.json).toMatchObject({ ok: true, workspace_id: expect.stringMatching(/^ws_/) });
    const user = await sdk(emulator(), 'sk_http').user.get();
    expect(user.workspaceId).toBe((added.json as { workspace_id: string }).workspace_id);
    expect((await sdkError(sdk(emulator(), 'sk_http').conversationalAi.secrets.list())).statusCode).toBe(401);
    const stats = await raw(emulator(), 'GET', '/_emulator/stats');
    expect(stats.json).toMatchObject({ requests: expect.any(Number), byRoute: { 'GET /v1/user': expect.any(Number) } });
  });
});
