import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../emulator/server';
import { ConnectionDefinitionSchema, type ConnectionDefinitionInput } from '../../../shared/schemas/connection-definitions';
import { AppError } from '../../errors';
import { silentLogger } from '../../logging/logger';
import { defaultApiSettings } from '../types';
import { createRemoteGateway, nodeHostLauncher, type RemoteGateway } from './remote-gateway';
import type { WorkspaceApi } from '../gateway';

// The auth-connection operations from main, through the real API host process running the
// official SDK, against the emulator: what the plan will call to create, update, delete and find.

const apiKey = 'sk_auth_connections_0001';
const CANARY = 'canary-sensitive-3e7d90b1f2';
let emulator: RunningEmulator;
let gateway: RemoteGateway;
let api: WorkspaceApi;

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const definition = (input: ConnectionDefinitionInput) => ConnectionDefinitionSchema.parse(input);

beforeAll(async () => {
  emulator = await startEmulator({ keys: [{ key: apiKey, seed: 'empty' }] });
  gateway = createRemoteGateway(nodeHostLauncher(), { ...defaultApiSettings, timeoutSeconds: 5, maxRetries: 0 }, silentLogger);
  api = gateway.forWorkspace({ baseUrl: emulator.url, apiKey });
});
afterAll(async () => {
  gateway?.close();
  await emulator?.close();
});

async function rejection(call: Promise<unknown>): Promise<AppError> {
  const outcome = await call.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(AppError);
  return outcome as AppError;
}

describe('auth-connection operations through the API host', () => {
  it('creates a connection with exactly the sensitive values given, and reads back only public fields', async () => {
    const created = await api.createAuthConnection({
      definition: definition({
        authType: 'oauth2_client_credentials',
        name: 'CRM',
        provider: 'salesforce',
        clientId: 'client-1',
        tokenUrl: 'https://login.example.com/token',
        clientSecret: `${CANARY}-secret`,
        scopes: ['api'],
        extraParams: { audience: 'crm' },
        basicAuthInHeader: true,
        customHeaders: { 'X-Tenant': 'acme' },
      }),
    });
    expect(created).toMatchObject({
      name: 'CRM',
      authType: 'oauth2_client_credentials',
      provider: 'salesforce',
      status: 'active',
      details: { clientId: 'client-1', tokenUrl: 'https://login.example.com/token', scopes: ['api'], basicAuthInHeader: true },
      usedBy: { tools: [], mcpServers: [], integrationConnections: [] },
    });
    expect(JSON.stringify(created)).not.toContain(CANARY);
    expect(emulator.authConnectionCredentials(apiKey, created.connectionId)).toEqual({ client_secret: sha256(`${CANARY}-secret`) });

    const mtls = await api.createAuthConnection({
      definition: definition({
        authType: 'mtls',
        name: 'Bank',
        provider: 'bank',
        clientCertificate: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
        clientKey: '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n',
        keyPassphrase: `${CANARY}-pass`,
      }),
    });
    expect(Object.keys(emulator.authConnectionCredentials(apiKey, mtls.connectionId)).sort()).toEqual([
      'client_certificate',
      'client_key',
      'key_passphrase',
    ]);
  });

  it('updates in place, never sending name or token URL', async () => {
    const created = await api.createAuthConnection({
      definition: definition({
        authType: 'oauth2_jwt',
        name: 'DocuSign',
        provider: 'docusign',
        issuer: 'iss',
        audience: 'aud',
        subject: 'sub',
        tokenUrl: 'https://account.example.com/oauth/token',
        secretKey: `${CANARY}-v1`,
      }),
    });
    const updated = await api.updateAuthConnection({
      connectionId: created.connectionId,
      // A caller that passes the whole definition still cannot rename or re-point it.
      update: {
        authType: 'oauth2_jwt',
        subject: 'sub-2',
        secretKey: `${CANARY}-v2`,
        name: 'Other',
        tokenUrl: 'https://x.example.com',
      } as never,
    });
    expect(updated).toMatchObject({ name: 'DocuSign', details: { subject: 'sub-2', tokenUrl: 'https://account.example.com/oauth/token' } });
    expect(emulator.authConnectionCredentials(apiKey, created.connectionId)).toEqual({ secret_key: sha256(`${CANARY}-v2`) });
  });

  it('finds connections by exact name', async () => {
    await api.createAuthConnection({
      definition: definition({ authType: 'bearer_auth', name: 'Twin', provider: 'p', token: `${CANARY}-a` }),
    });
    await api.createAuthConnection({
      definition: definition({ authType: 'bearer_auth', name: 'Twin', provider: 'p', token: `${CANARY}-b` }),
    });
    await api.createAuthConnection({
      definition: definition({ authType: 'bearer_auth', name: 'Twins', provider: 'p', token: `${CANARY}-c` }),
    });
    const found = await api.findAuthConnectionsByName({ name: 'Twin' });
    expect(found.map((c) => c.name)).toEqual(['Twin', 'Twin']);
    expect(await api.findAuthConnectionsByName({ name: 'Nobody' })).toEqual([]);
  });

  it('deletes one nothing uses, and passes on the refusal of one in use, naming its users', async () => {
    const unused = await api.createAuthConnection({
      definition: definition({ authType: 'basic_auth', name: 'Unused', provider: 'p', username: 'u', password: `${CANARY}-pw` }),
    });
    await expect(api.deleteAuthConnection({ connectionId: unused.connectionId })).resolves.toEqual({ deleted: true });
    expect(await api.findAuthConnectionsByName({ name: 'Unused' })).toEqual([]);

    const used = await api.createAuthConnection({
      definition: definition({ authType: 'bearer_auth', name: 'Used', provider: 'p', token: `${CANARY}-used` }),
    });
    emulator.addAuthConnectionUser(apiKey, { authConnectionId: used.connectionId, kind: 'tool', name: 'lookup_order' });
    const listed = await api.findAuthConnectionsByName({ name: 'Used' });
    expect(listed[0]?.usedBy.tools).toEqual([{ id: expect.any(String), name: 'lookup_order' }]);
    const refused = await rejection(api.deleteAuthConnection({ connectionId: used.connectionId }));
    expect(refused.code).toBe('remote_rejected');
    expect(refused.message).toMatch(
      /^ElevenLabs refused the request \(HTTP 400\): Auth connection Used cannot be deleted because it is in use by tool "lookup_order"/,
    );
    expect(await api.findAuthConnectionsByName({ name: 'Used' })).toHaveLength(1);
  });

  it('reports the API refusing a bad body without repeating the sensitive values it echoed', async () => {
    // expiration_seconds beyond the API's bound (bypassing the app's own check) gets a 422 whose
    // `input` repeats the whole body, the secret key included.
    const parsed = definition({
      authType: 'private_key_jwt',
      name: 'PK',
      provider: 'p',
      issuer: 'i',
      audience: 'a',
      subject: 's',
      secretKey: `${CANARY}-pk`,
    });
    const refused = await rejection(api.createAuthConnection({ definition: { ...parsed, expirationSeconds: 10 } as typeof parsed }));
    expect(refused.code).toBe('remote_rejected');
    expect(refused.message).toMatch(/HTTP 422/);
    expect(JSON.stringify(refused.toIpcError())).not.toContain(CANARY);
    const unknown = await rejection(
      api.updateAuthConnection({ connectionId: 'ac_missing', update: { authType: 'bearer_auth', token: `${CANARY}-x` } }),
    );
    expect(unknown.code).toBe('remote_not_found');
    expect((await rejection(api.deleteAuthConnection({ connectionId: 'ac_missing' }))).code).toBe('remote_not_found');
  });
});
