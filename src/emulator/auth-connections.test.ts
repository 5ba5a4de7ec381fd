import { createHash } from 'node:crypto';
import type { ElevenLabs } from '@elevenlabs/elevenlabs-js';
import { describe, expect, it } from 'vitest';
import { FULL_KEY, raw, sdk, sdkError, useEmulator } from '../../test/support/emulator';
import { startEmulator } from './server';

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

describe('auth connections: in use, status, credentials sent, and the spec bounds', () => {
  const emulator = useEmulator();
  const client = () => sdk(emulator()).workspace.authConnections;
  const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
  const control = (path: string, body: unknown) => raw(emulator(), 'POST', `/_emulator/${path}`, { body });

  it('lists the tools and MCP servers that use a connection, and refuses to delete it while they do', async () => {
    const created = await client().create({ authType: 'bearer_auth', name: 'Shared gateway', provider: 'gw', token: CANARY });
    const toolId = emulator().addAuthConnectionUser(FULL_KEY, { authConnectionId: created.id, kind: 'tool', name: 'lookup_order' });
    const viaHttp = await control('auth-connection-users', {
      key: FULL_KEY,
      authConnectionId: created.id,
      kind: 'mcp_server',
      name: 'Orders MCP',
    });
    expect(viaHttp.json).toEqual({ ok: true, id: expect.stringMatching(/^mcp_/) });
    emulator().addAuthConnectionUser(FULL_KEY, { authConnectionId: created.id, kind: 'tool', name: 'secret_tool', accessible: false });

    const listed = (await client().list()).authConnections.find((c) => c.id === created.id);
    expect(listed?.usedBy?.tools).toEqual([
      { type: 'available', id: toolId, name: 'lookup_order', createdAtUnixSecs: expect.any(Number), accessLevel: 'admin' },
      { type: 'unknown', id: expect.any(String) },
    ]);
    expect(listed?.usedBy?.mcpServers).toMatchObject([{ type: 'available', name: 'Orders MCP' }]);

    const refused = await sdkError(client().delete(created.id));
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toEqual({
      detail: {
        status: 'auth_connection_in_use',
        message:
          'Auth connection Shared gateway cannot be deleted because it is in use by tool "lookup_order", MCP server "Orders MCP", ' +
          '1 resource you cannot access. Point them at another connection first.',
      },
    });
    expect((await client().list()).authConnections.some((c) => c.id === created.id)).toBe(true);
  });

  it('refuses to delete a seeded connection that tools use, with the configured status', async () => {
    const inUse = (await client().list()).authConnections.find((c) => (c.usedBy?.tools ?? []).length > 0)!;
    const refused = await sdkError(client().delete(inUse.id));
    expect(refused.body).toMatchObject({ detail: { status: 'auth_connection_in_use' } });
    const strict = await startEmulator({ keys: [{ key: FULL_KEY }], inUseDeleteStatus: 409 });
    try {
      const other = sdk(strict).workspace.authConnections;
      const seeded = (await other.list()).authConnections.find((c) => (c.usedBy?.tools ?? []).length > 0)!;
      expect((await sdkError(other.delete(seeded.id))).statusCode).toBe(409);
    } finally {
      await strict.close();
    }
  });

  it('reports the status ElevenLabs sets, and new credentials make the connection active again', async () => {
    const created = await client().create({ authType: 'basic_auth', name: 'Status', provider: 'p', username: 'u', password: CANARY });
    expect(created).toMatchObject({ status: 'active', statusUpdatedAt: expect.any(String) });
    const set = await control('auth-connection-status', {
      key: FULL_KEY,
      authConnectionId: created.id,
      status: 'credential_invalid',
      statusDetail: 'The API answered 401.',
    });
    expect(set.json).toEqual({ ok: true });
    const listed = (await client().list()).authConnections.find((c) => c.id === created.id);
    expect(listed).toMatchObject({ status: 'credential_invalid', statusDetail: 'The API answered 401.' });
    // A change without credentials leaves the status alone; new credentials clear it.
    expect(await client().update(created.id, { authType: 'basic_auth', provider: 'p2' })).toMatchObject({ status: 'credential_invalid' });
    const renewed = await client().update(created.id, { authType: 'basic_auth', password: `${CANARY}-2` });
    expect(renewed).toMatchObject({ status: 'active' });
    expect(renewed.statusDetail).toBeUndefined();
  });

  it('keeps a digest of each write-only field sent, so a test can confirm the exact values without the emulator keeping them', async () => {
    const created = await client().create({
      authType: 'mtls',
      name: 'Digests',
      provider: 'bank',
      clientCertificate: `${CANARY}-cert`,
      clientKey: `${CANARY}-key`,
      keyPassphrase: `${CANARY}-pass`,
    });
    expect(emulator().authConnectionCredentials(FULL_KEY, created.id)).toEqual({
      client_certificate: sha256(`${CANARY}-cert`),
      client_key: sha256(`${CANARY}-key`),
      key_passphrase: sha256(`${CANARY}-pass`),
    });
    const jwt = await client().create({
      authType: 'oauth2_jwt',
      name: 'Digests JWT',
      provider: 'p',
      issuer: 'i',
      audience: 'a',
      subject: 's',
      tokenUrl: 'https://t.example.com',
      secretKey: `${CANARY}-v1`,
    });
    await client().update(jwt.id, { authType: 'oauth2_jwt', secretKey: `${CANARY}-v2` });
    const viaHttp = await control('auth-connection-credentials', { key: FULL_KEY, authConnectionId: jwt.id });
    expect(viaHttp.json).toEqual({ sha256: { secret_key: sha256(`${CANARY}-v2`) } });
    expect(viaHttp.text).not.toContain(CANARY);
  });

  it('never changes name or token_url on update, and refuses types that cannot be updated in place', async () => {
    const created = await client().create({
      authType: 'oauth2_client_credentials',
      name: 'Fixed',
      provider: 'p',
      clientId: 'c',
      tokenUrl: 'https://fixed.example.com/token',
      clientSecret: CANARY,
    });
    const updated = await client().update(
      created.id,
      { authType: 'oauth2_client_credentials', clientId: 'c2' },
      { additionalBodyParameters: { name: 'Renamed', token_url: 'https://other.example.com/token' } },
    );
    expect(updated).toMatchObject({ name: 'Fixed', tokenUrl: 'https://fixed.example.com/token', clientId: 'c2' });
    const pk = await client().create({
      authType: 'private_key_jwt',
      name: 'PK',
      provider: 'p',
      issuer: 'i',
      audience: 'a',
      subject: 's',
      secretKey: CANARY,
    });
    for (const authType of ['private_key_jwt', 'custom_header_auth', 'mtls']) {
      const reply = await raw(emulator(), 'PATCH', `/v1/workspace/auth-connections/${pk.id}`, {
        apiKey: FULL_KEY,
        body: { auth_type: authType, issuer: 'x' },
      });
      expect(reply.status).toBe(422);
      expect(reply.json).toMatchObject({ detail: [{ type: 'union_tag_invalid', loc: ['body'], ctx: { tag: authType } }] });
    }
  });

  it('holds expiration_seconds to 60–86400 and map values to strings, as the published spec does', async () => {
    const body = { auth_type: 'private_key_jwt', name: 'x', provider: 'p', issuer: 'i', audience: 'a', subject: 's', secret_key: 'k' };
    const post = (extra: Record<string, unknown>) =>
      raw(emulator(), 'POST', '/v1/workspace/auth-connections', { apiKey: FULL_KEY, body: { ...body, ...extra } });
    expect((await post({ expiration_seconds: 59 })).json).toMatchObject({
      detail: [{ type: 'greater_than_equal', loc: ['body', 'private_key_jwt', 'expiration_seconds'], ctx: { ge: 60 } }],
    });
    expect((await post({ expiration_seconds: 86_401 })).json).toMatchObject({
      detail: [{ type: 'less_than_equal', loc: ['body', 'private_key_jwt', 'expiration_seconds'], ctx: { le: 86_400 } }],
    });
    expect((await post({ expiration_seconds: 86_400 })).status).toBe(200);
    const created = await client().create({
      authType: 'oauth2_client_credentials',
      name: 'Maps',
      provider: 'p',
      clientId: 'c',
      tokenUrl: 'https://t.example.com',
      clientSecret: CANARY,
    });
    const nullValue = await raw(emulator(), 'PATCH', `/v1/workspace/auth-connections/${created.id}`, {
      apiKey: FULL_KEY,
      body: { auth_type: 'oauth2_client_credentials', custom_headers: { 'X-A': null } },
    });
    expect(nullValue.json).toMatchObject({
      detail: [{ type: 'string_type', loc: ['body', 'oauth2_client_credentials', 'custom_headers', 'X-A'] }],
    });
  });

  it('answers the control endpoints with the field at fault', async () => {
    expect(
      (await control('auth-connection-users', { key: 'sk_nobody', authConnectionId: 'x', kind: 'tool', name: 'n' })).json,
    ).toMatchObject({
      detail: { status: 'invalid_request', field: 'key' },
    });
    expect(
      (await control('auth-connection-users', { key: FULL_KEY, authConnectionId: 'ac_nope', kind: 'tool', name: 'n' })).json,
    ).toMatchObject({
      detail: { field: 'authConnectionId' },
    });
    expect((await control('auth-connection-status', { key: FULL_KEY, authConnectionId: 'x', status: 'broken' })).json).toMatchObject({
      detail: { field: 'status' },
    });
    expect((await control('auth-connection-credentials', { key: FULL_KEY, authConnectionId: 'x', value: 1 })).json).toMatchObject({
      detail: { field: 'value' },
    });
  });
});
