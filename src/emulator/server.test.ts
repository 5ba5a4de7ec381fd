import { describe, expect, it } from 'vitest';
import { startEmulator } from './server';
import { workspaceIdForKey } from './seeds';
import { FULL_KEY, raw, sdk, sdkError, useEmulator } from '../../test/support/emulator';

describe('emulator server', () => {
  const emulator = useEmulator({ keys: [{ key: 'sk_one' }, { key: 'sk_two' }] });

  it('keeps each key in its own workspace', async () => {
    const one = sdk(emulator(), 'sk_one');
    const two = sdk(emulator(), 'sk_two');
    await one.conversationalAi.secrets.create({ name: 'ONLY_IN_ONE', value: 'v' });
    expect((await one.conversationalAi.secrets.list({ search: 'ONLY_IN_ONE' })).secrets).toHaveLength(1);
    expect((await two.conversationalAi.secrets.list({ search: 'ONLY_IN_ONE' })).secrets).toHaveLength(0);
    const [userOne, userTwo] = await Promise.all([one.user.get(), two.user.get()]);
    expect(userOne.workspaceId).not.toBe(userTwo.workspaceId);
    const idsOne = (await one.conversationalAi.secrets.list()).secrets.map((s) => s.secretId);
    const idsTwo = (await two.conversationalAi.secrets.list()).secrets.map((s) => s.secretId);
    expect(idsOne.filter((id) => idsTwo.includes(id))).toEqual([]);
    const otherWorkspace = await raw(emulator(), 'GET', `/v1/convai/secrets/${idsOne[0]}`, { apiKey: 'sk_two' });
    expect(otherWorkspace.status).toBe(404);
  });

  it('adds keys at run time; re-adding one keeps its workspace', async () => {
    emulator().addKey({ key: 'sk_late', seed: 'empty' });
    const late = sdk(emulator(), 'sk_late');
    await late.conversationalAi.secrets.create({ name: 'KEEP', value: 'v' });
    emulator().addKey({ key: 'sk_late', seed: 'demo' });
    expect((await late.conversationalAi.secrets.list()).secrets.map((s) => s.name)).toEqual(['KEEP']);
  });

  it('answers unknown routes with a JSON 404 and wrong methods with 405', async () => {
    const unknown = await raw(emulator(), 'GET', '/v1/voices', { apiKey: 'sk_one' });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toBe('application/json');
    expect(unknown.json).toMatchObject({ detail: { status: 'not_found', message: expect.any(String) } });
    expect((await raw(emulator(), 'GET', '/')).status).toBe(404);
    const wrongMethod = await raw(emulator(), 'PUT', '/v1/convai/secrets', { apiKey: 'sk_one' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET, POST');
  });

  it('counts /v1 requests by route', async () => {
    const before = emulator().stats();
    await sdk(emulator(), 'sk_one').conversationalAi.secrets.list({ pageSize: 1 });
    await raw(emulator(), 'GET', '/_emulator/health');
    const after = emulator().stats();
    expect(after.requests - before.requests).toBe(1);
    expect((after.byRoute['GET /v1/convai/secrets'] ?? 0) - (before.byRoute['GET /v1/convai/secrets'] ?? 0)).toBe(1);
  });
});

describe('emulator lifecycle', () => {
  it('gives seeded data the same ids on every start', async () => {
    const snapshot = async () => {
      const emulator = await startEmulator({ keys: [{ key: FULL_KEY }] });
      try {
        const client = sdk(emulator);
        const [secrets, connections] = await Promise.all([client.conversationalAi.secrets.list(), client.workspace.authConnections.list()]);
        return { secrets, connections };
      } finally {
        await emulator.close();
      }
    };
    const first = await snapshot();
    const second = await snapshot();
    expect(second).toEqual(first);
  });

  it('refuses a host that is not loopback and bad options', async () => {
    await expect(startEmulator({ host: '0.0.0.0' })).rejects.toThrow(/host/);
    await expect(startEmulator({ host: '192.168.1.10' })).rejects.toThrow(/loopback/);
    await expect(startEmulator({ seed: 'bench:x' as 'demo' })).rejects.toThrow(/seed/);
    await expect(startEmulator({ inUseDeleteStatus: 200 })).rejects.toThrow(/inUseDeleteStatus/);
  });

  it('serves the default key when none are given, and closes with keep-alive sockets open', async () => {
    const emulator = await startEmulator({ seed: 'empty' });
    const client = sdk(emulator, 'sk_emulator_demo');
    expect((await client.conversationalAi.secrets.list()).secrets).toEqual([]);
    await emulator.close();
    await expect(fetch(`${emulator.url}/_emulator/health`)).rejects.toThrow();
  });
});

const SECRETS_ONLY_KEY = 'sk_test_secrets_only';

describe('user and auth', () => {
  const emulator = useEmulator({
    keys: [{ key: FULL_KEY }, { key: SECRETS_ONLY_KEY, permissions: ['convai_read', 'convai_write'] }],
  });

  it('identifies the workspace through /v1/user, accepted by the SDK', async () => {
    const user = await sdk(emulator()).user.get();
    expect(user.workspaceId).toBe(workspaceIdForKey(FULL_KEY));
    expect(user.firstName).toBe('Avery');
    expect(user.subscription.tier).toBe('creator');
    expect(user.seatType).toBe('workspace_admin');
    const wire = await raw(emulator(), 'GET', '/v1/user', { apiKey: FULL_KEY });
    expect(wire.text).not.toContain('xi_api_key"');
    expect(wire.text).not.toContain(FULL_KEY);
  });

  it('serves /v1/user/subscription, accepted by the SDK', async () => {
    const subscription = await sdk(emulator()).user.subscription.get();
    expect(subscription).toMatchObject({ tier: 'creator', status: 'active', openInvoices: [], hasOpenInvoices: false });
  });

  it('answers 401 invalid_api_key for an unknown or missing key', async () => {
    const unknown = await sdkError(sdk(emulator(), 'sk_nobody').conversationalAi.secrets.list());
    expect(unknown.statusCode).toBe(401);
    expect(unknown.body).toEqual({ detail: { status: 'invalid_api_key', message: 'Invalid API key' } });
    const missing = await raw(emulator(), 'GET', '/v1/user');
    expect(missing.status).toBe(401);
    expect(missing.headers.get('content-type')).toBe('application/json');
  });

  it('answers 401 missing_permissions naming the permission', async () => {
    const client = sdk(emulator(), SECRETS_ONLY_KEY);
    await expect(client.conversationalAi.secrets.list({ pageSize: 1 })).resolves.toBeDefined();
    const noUser = await sdkError(client.user.get());
    expect(noUser.statusCode).toBe(401);
    expect(noUser.body).toEqual({
      detail: {
        status: 'missing_permissions',
        message: 'The API key you used is missing the permission user_read to execute this operation.',
      },
    });
    const noWorkspace = await sdkError(client.workspace.authConnections.list());
    expect((noWorkspace.body as { detail: { message: string } }).detail.message).toContain('workspace_read');
  });
});
