import { describe, expect, it } from 'vitest';
import {
  ConnectionDefinitionSchema,
  connectionFields,
  definitionSchemas,
  sensitiveFieldsOf,
  sensitiveValuesOf,
  type ConnectionAuthType,
} from '../../shared/schemas/connection-definitions';
import { creatableAuthTypes } from '../../shared/schemas/auth-connections';
import { describeInvalidRequest } from '../ipc/dispatcher';

// The definitions a builder types in, refused the way the user will read it: the dispatcher's
// message names the field. Every field of every type gets each of its wrong shapes.

const CERT = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n';
const KEY = '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49\n-----END PRIVATE KEY-----\n';

const VALID: Record<ConnectionAuthType, Record<string, unknown>> = {
  oauth2_client_credentials: {
    authType: 'oauth2_client_credentials',
    name: 'CRM',
    provider: 'salesforce',
    clientId: 'client-1',
    tokenUrl: 'https://login.example.com/token',
    clientSecret: 'client-secret-value',
    scopes: ['api', 'refresh'],
    extraParams: { audience: 'crm' },
    basicAuthInHeader: true,
    customHeaders: { 'X-Tenant': 'acme' },
  },
  oauth2_jwt: {
    authType: 'oauth2_jwt',
    name: 'DocuSign',
    provider: 'docusign',
    issuer: 'iss',
    audience: 'aud',
    subject: 'sub',
    tokenUrl: 'https://account.example.com/oauth/token',
    secretKey: KEY,
    algorithm: 'RS256',
    keyId: 'k1',
    expirationSeconds: 300,
    extraParams: { tenant: 't1' },
    scopes: ['signature'],
    tokenResponseField: 'id_token',
  },
  private_key_jwt: {
    authType: 'private_key_jwt',
    name: 'Okta',
    provider: 'okta',
    issuer: 'iss',
    audience: 'aud',
    subject: 'sub',
    secretKey: 'a-shared-hmac-secret-of-some-length',
    algorithm: 'HS512',
    keyId: 'k2',
    expirationSeconds: 86_400,
    extraParams: {},
  },
  basic_auth: { authType: 'basic_auth', name: 'Billing', provider: 'billing', username: 'svc', password: 'pw with spaces ' },
  bearer_auth: { authType: 'bearer_auth', name: 'Docs', provider: 'docs', token: 'bearer-token-value' },
  custom_header_auth: { authType: 'custom_header_auth', name: 'Weather', provider: 'ow', headerName: 'X-Api-Key', token: 'hdr-token' },
  mtls: {
    authType: 'mtls',
    name: 'Bank',
    provider: 'bank',
    clientCertificate: CERT,
    clientKey: KEY,
    caCertificate: CERT,
    keyPassphrase: 'p',
  },
};

const MISSING = Symbol('missing');
type Bad = unknown;

/** Wrong shapes shared by kinds of field. */
const textCases: Bad[] = [MISSING, '', '   ', 5, null, ['x'], 'x'.repeat(1001)];
const optionalTextCases: Bad[] = ['', 5, null, 'x'.repeat(201)];
const sensitiveCases: Bad[] = [MISSING, '', 5, null, { value: 'x' }, 'x'.repeat(64 * 1024 + 1)];
const urlCases: Bad[] = [
  MISSING,
  '',
  'not a url',
  'http://auth.example.com/token',
  'ftp://auth.example.com/token',
  'https://user:pw@auth.example.com/token',
  7,
];
const scopesCases: Bad[] = ['api', [5], ['has space'], [''], Array.from({ length: 101 }, (_, i) => `s${i}`)];
const mapCases: Bad[] = [
  'a=b',
  ['a'],
  { a: 5 },
  { a: null },
  { '': 'x' },
  Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])),
];
const headerMapCases: Bad[] = [...mapCases, { 'Bad Header': 'v' }, { 'X-Ok': 'line\nbreak' }];
const algorithmCases: Bad[] = ['none', 'ES256', 'hs256', 256, null];
const expirationCases: Bad[] = [59, 86_401, 300.5, '300', null, -1];

const FIELD_CASES: Record<ConnectionAuthType, Record<string, Bad[]>> = {
  oauth2_client_credentials: {
    name: textCases,
    provider: textCases,
    clientId: textCases,
    tokenUrl: urlCases,
    clientSecret: sensitiveCases,
    scopes: scopesCases,
    extraParams: mapCases,
    basicAuthInHeader: ['true', 1, null],
    customHeaders: headerMapCases,
  },
  oauth2_jwt: {
    name: textCases,
    provider: textCases,
    issuer: textCases,
    audience: textCases,
    subject: textCases,
    tokenUrl: urlCases,
    secretKey: [...sensitiveCases, 'not-a-pem-for-rs256'],
    algorithm: algorithmCases,
    keyId: optionalTextCases,
    expirationSeconds: expirationCases,
    extraParams: mapCases,
    scopes: scopesCases,
    tokenResponseField: ['refresh_token', 'ACCESS_TOKEN', 1, null],
  },
  private_key_jwt: {
    name: textCases,
    provider: textCases,
    issuer: textCases,
    audience: textCases,
    subject: textCases,
    secretKey: [...sensitiveCases, KEY],
    algorithm: algorithmCases,
    keyId: optionalTextCases,
    expirationSeconds: expirationCases,
    extraParams: mapCases,
  },
  basic_auth: { name: textCases, provider: textCases, username: [...textCases, 'user:name'], password: sensitiveCases },
  bearer_auth: { name: textCases, provider: textCases, token: sensitiveCases },
  custom_header_auth: {
    name: textCases,
    provider: textCases,
    headerName: [...textCases, 'X Api Key', 'X-Api-Key:', 'naïve'],
    token: [...sensitiveCases, 'line\r\nInjected: yes'],
  },
  mtls: {
    name: textCases,
    provider: textCases,
    clientCertificate: [...sensitiveCases, KEY, 'MIIBszCCAVmgAwIBAgIU'],
    clientKey: [...sensitiveCases, CERT, '-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----'],
    caCertificate: ['', 5, null, KEY],
    keyPassphrase: ['', 5, null],
  },
};

function withField(base: Record<string, unknown>, field: string, value: Bad): Record<string, unknown> {
  const copy = { ...base };
  if (value === MISSING) delete copy[field];
  else copy[field] = value;
  return copy;
}

function refusal(request: Record<string, unknown>) {
  const parsed = ConnectionDefinitionSchema.safeParse(request);
  expect(parsed.success, `accepted ${JSON.stringify(request).slice(0, 200)}`).toBe(false);
  return describeInvalidRequest(parsed.error!.issues, request);
}

describe('connection definitions', () => {
  it('accept a complete definition of each of the seven types, and fill in the API defaults', () => {
    for (const authType of creatableAuthTypes) {
      expect(ConnectionDefinitionSchema.safeParse(VALID[authType]).success, authType).toBe(true);
    }
    const minimal = ConnectionDefinitionSchema.parse({
      authType: 'oauth2_jwt',
      name: 'Min',
      provider: 'p',
      issuer: 'i',
      audience: 'a',
      subject: 's',
      tokenUrl: 'http://127.0.0.1:8999/token',
      secretKey: 'shared',
    });
    expect(minimal).toMatchObject({
      algorithm: 'HS256',
      expirationSeconds: 3600,
      tokenResponseField: 'access_token',
      scopes: [],
      extraParams: {},
    });
    const cc = ConnectionDefinitionSchema.parse({
      ...VALID.oauth2_client_credentials,
      basicAuthInHeader: undefined,
      tokenUrl: 'http://localhost:8080/t',
    });
    expect(cc).toMatchObject({ basicAuthInHeader: false });
  });

  for (const authType of creatableAuthTypes) {
    it(`refuse every wrong shape of every ${authType} field with an error naming the field`, () => {
      const cases = FIELD_CASES[authType];
      // Every field of the type is exercised (the table cannot silently miss a new field).
      expect(Object.keys(cases).sort()).toEqual(Object.keys(connectionFields[authType]).sort());
      for (const [field, bads] of Object.entries(cases)) {
        for (const bad of bads) {
          const error = refusal(withField(VALID[authType], field, bad));
          // The field, or one entry of it (`extraParams.audience`, `scopes.0`).
          expect(error.field, `${field} = ${String(bad).slice(0, 40)}`).toMatch(new RegExp(`^${field}(\\.|$)`));
          expect(error.message).toMatch(new RegExp(`^Invalid request: ${field}[. ]`));
        }
      }
    });
  }

  it('refuses a missing or unknown type, and fields of another type', () => {
    expect(refusal({ name: 'x', provider: 'p', token: 't' }).field).toBe('authType');
    expect(refusal({ ...VALID.bearer_auth, authType: 'slack_bot_auth' }).field).toBe('authType');
    const stray = refusal({ ...VALID.bearer_auth, clientSecret: 'x' });
    expect(stray.message).toMatch(/unknown field "clientSecret"/);
  });

  it('gives a sensible message for the common mistakes', () => {
    const message = (authType: ConnectionAuthType, field: string, value: Bad) => refusal(withField(VALID[authType], field, value)).message;
    expect(message('oauth2_client_credentials', 'tokenUrl', 'http://auth.example.com/t')).toBe(
      'Invalid request: tokenUrl must use https (plain http is only allowed for 127.0.0.1 or localhost).',
    );
    expect(message('oauth2_client_credentials', 'clientSecret', MISSING)).toBe('Invalid request: clientSecret is required.');
    expect(message('oauth2_jwt', 'algorithm', 'none')).toMatch(
      /algorithm must be one of "HS256", "HS384", "HS512", "RS256", "RS384", "RS512"/,
    );
    expect(message('oauth2_jwt', 'expirationSeconds', 30)).toBe('Invalid request: expirationSeconds must be at least 60 seconds.');
    expect(message('oauth2_jwt', 'expirationSeconds', 90.5)).toBe('Invalid request: expirationSeconds must be a whole number.');
    expect(message('oauth2_jwt', 'secretKey', 'plain')).toMatch(/secretKey must be a PEM private key .* for RS256/);
    expect(message('private_key_jwt', 'secretKey', KEY)).toMatch(/HS512 signs with a shared secret/);
    expect(message('oauth2_client_credentials', 'extraParams', { audience: 5 })).toBe(
      'Invalid request: extraParams.audience must be a string.',
    );
    expect(message('mtls', 'clientKey', CERT)).toMatch(/clientKey must be a PEM private key/);
  });

  it('never echoes a sensitive value in its message', () => {
    const planted = 'planted-canary-9f3e1a77';
    for (const authType of creatableAuthTypes) {
      for (const field of sensitiveFieldsOf(authType)) {
        // Too long for any sensitive field, so that field itself is refused.
        const bad = { ...VALID[authType], [field]: `${planted}${'x'.repeat(64 * 1024)}` };
        const parsed = ConnectionDefinitionSchema.safeParse(bad);
        const error = describeInvalidRequest(parsed.error!.issues, bad);
        expect(error.field).toBe(field);
        expect(parsed.error!.message).not.toContain(planted);
        expect(JSON.stringify(error)).not.toContain(planted);
      }
    }
  });

  it('says which fields are sensitive and which the API can update', () => {
    expect(sensitiveFieldsOf('oauth2_client_credentials')).toEqual(['clientSecret']);
    expect(sensitiveFieldsOf('mtls')).toEqual(['clientCertificate', 'clientKey', 'caCertificate', 'keyPassphrase']);
    expect(sensitiveFieldsOf('custom_header_auth')).toEqual(['token']);
    expect(sensitiveFieldsOf('oauth2_jwt')).toEqual(['secretKey']);
    expect(connectionFields.oauth2_client_credentials.tokenUrl!.updatable).toBe(false);
    expect(connectionFields.oauth2_client_credentials.name!.updatable).toBe(false);
    expect(connectionFields.oauth2_client_credentials.clientSecret!.updatable).toBe(true);
    expect(connectionFields.private_key_jwt.issuer!.updatable).toBe(false);
    expect(Object.values(connectionFields.mtls).some((info) => info.updatable)).toBe(false);
    for (const authType of creatableAuthTypes) {
      for (const [field, info] of Object.entries(connectionFields[authType])) {
        expect(info.description.length, `${authType}.${field}`).toBeGreaterThan(20);
      }
      // The table and the schema describe the same fields.
      const shape = Object.keys((definitionSchemas[authType] as unknown as { shape: object }).shape).filter((f) => f !== 'authType');
      expect(shape.sort()).toEqual(Object.keys(connectionFields[authType]).sort());
    }
    const parsed = ConnectionDefinitionSchema.parse(VALID.mtls);
    expect(sensitiveValuesOf(parsed)).toEqual({ clientCertificate: CERT, clientKey: KEY, caCertificate: CERT, keyPassphrase: 'p' });
  });
});
