import type { ElevenLabs } from '@elevenlabs/elevenlabs-js';
import { describe, expect, it } from 'vitest';
import { FULL_KEY, raw, sdk, sdkError, useEmulator } from '../../test/support/emulator';

const CANARY = 'canary-credential-41d7e2';

const CREATE_REQUESTS: ElevenLabs.workspace.AuthConnectionsCreateRequestBody[] = [
  {
    authType: 'oauth2_client_credentials',
    name: 'CRM',
    provider: 'salesforce',
    clientId: 'client-1',
    tokenUrl: 'https://login.example.com/token',
    clientSecret: CANARY,
    scopes: ['api'],
    extraParams: { audience: 'crm' },
    basicAuthInHeader: true,
    customHeaders: { 'X-Tenant': 'acme' },
  },
  { authType: 'custom_header_auth', name: 'Weather', provider: 'openweather', headerName: 'X-Api-Key', token: CANARY },
  { authType: 'basic_auth', name: 'Billing', provider: 'billing', username: 'svc', password: CANARY },
  { authType: 'bearer_auth', name: 'Docs', provider: 'docs', token: CANARY },
  {
    authType: 'oauth2_jwt',
    name: 'DocuSign',
    provider: 'docusign',
    issuer: 'iss',
    audience: 'aud',
    subject: 'sub',
    tokenUrl: 'https://account.example.com/oauth/token',
    secretKey: CANARY,
    algorithm: 'RS256',
    keyId: 'k1',
    expirationSeconds: 300,
    scopes: ['signature'],
    tokenResponseField: 'access_token',
  },
  { authType: 'private_key_jwt', name: 'Okta', provider: 'okta', issuer: 'iss', audience: 'aud', subject: 'sub', secretKey: CANARY },
  {
    authType: 'mtls',
    name: 'Bank',
    provider: 'bank',
    clientCertificate: CANARY,
    clientKey: CANARY,
    caCertificate: CANARY,
    keyPassphrase: CANARY,
  },
];

describe('auth connections', () => {
  const emulator = useEmulator();
  const client = () => sdk(emulator()).workspace.authConnections;

  it('lists the seeded connections, read-only types included', async () => {
    const { authConnections } = await client().list();
    const types = authConnections.map((connection) => connection.authType);
    expect(authConnections.length).toBeGreaterThanOrEqual(4);
    expect(types).toEqual(expect.arrayContaining(['oauth2_client_credentials', 'api_integration_oauth2_auth_code', 'slack_bot_auth']));
    const google = authConnections.find((c) => c.authType === 'api_integration_oauth2_auth_code');
    expect(google?.usedBy?.integrationConnections).toEqual([{ id: expect.any(String), name: 'Google Calendar' }]);
    expect(authConnections.some((c) => (c.usedBy?.tools ?? []).length > 0)).toBe(true);
    expect(authConnections.some((c) => (c.usedBy?.mcpServers ?? []).length > 0)).toBe(true);
  });

  it('creates each of the seven creatable types and never returns a write-only field', async () => {
    for (const request of CREATE_REQUESTS) {
      const created = await client().create(request);
      expect(created).toMatchObject({ authType: request.authType, name: request.name, status: 'active', id: expect.any(String) });
      expect(JSON.stringify(created)).not.toContain(CANARY);
    }
    const listed = await raw(emulator(), 'GET', '/v1/workspace/auth-connections', { apiKey: FULL_KEY });
    expect(listed.text).not.toContain(CANARY);
    expect(listed.text).not.toMatch(/client_secret|secret_key|password|client_key|client_certificate|"token"/);
    const jwt = (listed.json as { auth_connections: Record<string, unknown>[] }).auth_connections.find((c) => c.name === 'DocuSign');
    expect(jwt).toMatchObject({
      issuer: 'iss',
      token_url: 'https://account.example.com/oauth/token',
      algorithm: 'RS256',
      expiration_seconds: 300,
    });
  });

  it('answers 422 for a type that cannot be created, a missing tag and missing fields', async () => {
    const post = (body: unknown) => raw(emulator(), 'POST', '/v1/workspace/auth-connections', { apiKey: FULL_KEY, body });
    const readOnly = await post({ auth_type: 'slack_bot_auth', name: 'x', provider: 'Slack' });
    expect(readOnly.status).toBe(422);
    expect(readOnly.json).toMatchObject({ detail: [{ type: 'union_tag_invalid', loc: ['body'], ctx: { tag: 'slack_bot_auth' } }] });
    expect((await post({ name: 'x', provider: 'p', token: 't' })).json).toMatchObject({
      detail: [{ type: 'union_tag_not_found', loc: ['body'] }],
    });
    const incomplete = { auth_type: 'basic_auth', name: 'x', provider: 'p' };
    const missing = await post(incomplete);
    expect(missing.json).toEqual({
      detail: [
        { type: 'missing', loc: ['body', 'basic_auth', 'username'], msg: 'Field required', input: incomplete },
        { type: 'missing', loc: ['body', 'basic_auth', 'password'], msg: 'Field required', input: incomplete },
      ],
    });
    const badAlgorithm = await post({
      auth_type: 'private_key_jwt',
      name: 'x',
      provider: 'p',
      issuer: 'i',
      audience: 'a',
      subject: 's',
      secret_key: 'k',
      algorithm: 'none',
    });
    expect(badAlgorithm.json).toMatchObject({ detail: [{ type: 'enum', loc: ['body', 'private_key_jwt', 'algorithm'] }] });
    const wrongTokenType = client().create(
      { authType: 'bearer_auth', name: 'x', provider: 'p', token: 't' },
      { additionalBodyParameters: { token: 5 } },
    );
    const viaSdk = await sdkError(wrongTokenType);
    expect(viaSdk.statusCode).toBe(422);
  });

  it('updates an updatable type, keeping omitted fields and dropping write-only ones', async () => {
    const created = await client().create({
      authType: 'oauth2_client_credentials',
      name: 'To update',
      provider: 'acme',
      clientId: 'old',
      tokenUrl: 'https://t.example.com',
      clientSecret: CANARY,
      extraParams: { a: '1', b: '2' },
    });
    const updated = await client().update(created.id, {
      authType: 'oauth2_client_credentials',
      clientId: 'new',
      clientSecret: `${CANARY}-2`,
      extraParams: { a: '9' },
    });
    expect(updated).toMatchObject({
      id: created.id,
      name: 'To update',
      provider: 'acme',
      clientId: 'new',
      tokenUrl: 'https://t.example.com',
      extraParams: { a: '9' },
    });
    expect(JSON.stringify(updated)).not.toContain(CANARY);
  });

  it('refuses an update whose auth_type does not match, and unknown ids', async () => {
    const created = await client().create({ authType: 'basic_auth', name: 'Mismatch', provider: 'p', username: 'u', password: 'pw' });
    const mismatch = await sdkError(client().update(created.id, { authType: 'bearer_auth', token: 't' }));
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.body).toMatchObject({ detail: { status: 'auth_type_mismatch' } });
    const unknown = await sdkError(client().update('ac_nope', { authType: 'basic_auth', username: 'x' }));
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).toMatchObject({ detail: { status: 'auth_connection_not_found' } });
    const readOnly = await raw(emulator(), 'PATCH', `/v1/workspace/auth-connections/${created.id}`, {
      apiKey: FULL_KEY,
      body: { auth_type: 'mtls', client_key: 'k' },
    });
    expect(readOnly.json).toMatchObject({ detail: [{ type: 'union_tag_invalid' }] });
  });

  it('deletes with 200 and a JSON body', async () => {
    const created = await client().create({ authType: 'bearer_auth', name: 'Gone soon', provider: 'p', token: 't' });
    const reply = await client().delete(created.id).withRawResponse();
    expect(reply.rawResponse.status).toBe(200);
    expect(reply.rawResponse.headers.get('content-type')).toBe('application/json');
    expect(reply.data).toEqual({ status: 'ok' });
    const { authConnections } = await client().list();
    expect(authConnections.some((c) => c.id === created.id)).toBe(false);
    expect((await sdkError(client().delete(created.id))).statusCode).toBe(404);
  });
});
