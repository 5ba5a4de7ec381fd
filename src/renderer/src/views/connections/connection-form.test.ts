import { describe, expect, it } from 'vitest';
import { connectionFields } from '../../../../shared/schemas/connection-definitions';
import { connectionResolver, initialValues, isRemovable, type ConnectionFormValues } from './connection-form';

// The connection form checks with the contract's own schemas; these show that what a builder
// types (lines, name=value pairs, a number as text, empty secrets) becomes the request main
// expects, and that each wrong shape is named on its own field.

async function resolve(authType: Parameters<typeof connectionResolver>[0], mode: 'create' | 'edit', values: ConnectionFormValues) {
  const result = await connectionResolver(authType, mode)(values, undefined, { fields: {}, shouldUseNativeValidation: false });
  return result as unknown as { values: Record<string, unknown>; errors: Record<string, Record<string, { message: string }>> };
}

const clientCredentials = (overrides: Record<string, string | boolean> = {}): ConnectionFormValues => ({
  values: {
    ...initialValues('oauth2_client_credentials'),
    name: 'Machine',
    provider: 'oidc',
    clientId: 'machine',
    tokenUrl: 'https://auth.example.com/token',
    clientSecret: 's3cret',
    ...overrides,
  },
  targets: [
    { workspaceId: '00000000-0000-4000-8000-000000000001', selected: true, remoteName: '' },
    { workspaceId: '00000000-0000-4000-8000-000000000002', selected: false, remoteName: 'ignored' },
  ],
});

describe('the connection form', () => {
  it('turns lines into scopes, name=value lines into maps, and ticked rows into targets', async () => {
    const result = await resolve(
      'oauth2_client_credentials',
      'create',
      clientCredentials({ scopes: 'api:read\napi:write', extraParams: 'audience=https://api\n\n', customHeaders: 'X-Tenant=acme' }),
    );
    expect(result.errors).toEqual({});
    expect(result.values).toEqual({
      definition: expect.objectContaining({
        authType: 'oauth2_client_credentials',
        scopes: ['api:read', 'api:write'],
        extraParams: { audience: 'https://api' },
        customHeaders: { 'X-Tenant': 'acme' },
        basicAuthInHeader: false,
        clientSecret: 's3cret',
      }),
      targets: [{ workspaceId: '00000000-0000-4000-8000-000000000001', remoteName: null }],
    });
  });

  it('names each wrong field: a map line without "=", a plain-http token URL, an empty secret, a bad header name', async () => {
    const result = await resolve(
      'oauth2_client_credentials',
      'create',
      clientCredentials({
        extraParams: 'audience',
        tokenUrl: 'http://auth.example.com/token',
        clientSecret: '',
        customHeaders: 'Bad Header=x',
      }),
    );
    expect(result.values).toEqual({});
    expect(result.errors.values?.extraParams?.message).toBe('line 1 must be name=value');
    expect(result.errors.values?.tokenUrl?.message).toMatch(/https/);
    expect(result.errors.values?.clientSecret?.message).toBe('must not be empty');
    expect(result.errors.values?.customHeaders?.message).toBe(
      "entry “Bad Header” must be a header name (letters, digits and !#$%&'*+.^_`|~-, no spaces)",
    );
  });

  it('refuses a lifetime that is not a whole number of seconds in range, and an unknown algorithm', async () => {
    const base = {
      ...initialValues('private_key_jwt'),
      name: 'J',
      provider: 'p',
      issuer: 'i',
      audience: 'a',
      subject: 's',
      secretKey: 'k',
    };
    for (const [text, message] of [
      ['1.5', /whole number/],
      ['abc', /whole number/],
      ['30', /at least 60/],
    ] as const) {
      const result = await resolve('private_key_jwt', 'create', { values: { ...base, expirationSeconds: text }, targets: [] });
      expect(result.errors.values?.expirationSeconds?.message).toMatch(message);
    }
    const ok = await resolve('private_key_jwt', 'create', { values: { ...base, expirationSeconds: '' }, targets: [] });
    expect(ok.values.definition).toMatchObject({ expirationSeconds: 3600, algorithm: 'HS256' });
    const bad = await resolve('private_key_jwt', 'create', { values: { ...base, algorithm: 'none' }, targets: [] });
    expect(bad.errors.values?.algorithm).toBeDefined();
  });

  it('when editing, leaves an empty sensitive field out (kept as it is), and never pre-fills one', async () => {
    const values = initialValues('basic_auth', { name: 'B', provider: 'p', username: 'svc', password: 'would-be-leak' });
    expect(values.password).toBe('');
    const result = await resolve('basic_auth', 'edit', { values, targets: [] });
    expect(result.errors).toEqual({});
    expect(result.values.definition).toEqual({ authType: 'basic_auth', name: 'B', provider: 'p', username: 'svc' });
    const created = await resolve('basic_auth', 'create', { values, targets: [] });
    expect(created.errors.values?.password?.message).toBe('must not be empty');
  });

  it('when editing, sends null for an optional sensitive part marked removed; never for a required one, nor with a new value', async () => {
    const values = { ...initialValues('mtls', { name: 'Bank', provider: 'bank' }) };
    const removed = await resolve('mtls', 'edit', { values, targets: [], removed: { keyPassphrase: true, clientKey: true } });
    expect(removed.errors).toEqual({});
    // The client key is required: a tick for it (which the form never shows) changes nothing.
    expect(removed.values.definition).toEqual({ authType: 'mtls', name: 'Bank', provider: 'bank', keyPassphrase: null });
    const both = await resolve('mtls', 'edit', {
      values: { ...values, keyPassphrase: 'new one' },
      targets: [],
      removed: { keyPassphrase: true },
    });
    expect(both.errors.values?.keyPassphrase?.message).toMatch(/^cannot be both replaced and removed/);
    // Creating has nothing to remove.
    const created = await resolve('mtls', 'create', { values, targets: [], removed: { caCertificate: true } });
    expect((created.errors.values ?? {}).caCertificate).toBeUndefined();
    expect(isRemovable(connectionFields.mtls.caCertificate!, 'edit', true)).toBe(true);
    expect(isRemovable(connectionFields.mtls.caCertificate!, 'edit', false)).toBe(false);
    expect(isRemovable(connectionFields.mtls.clientKey!, 'edit', true)).toBe(false);
    expect(isRemovable(connectionFields.mtls.provider!, 'edit', true)).toBe(false);
  });

  it("names a target's invalid name by its row", async () => {
    const form = clientCredentials();
    form.targets[0]!.remoteName = 'x'.repeat(201);
    const result = await resolve('oauth2_client_credentials', 'create', form);
    expect(result.errors.targets?.[0]).toEqual({ remoteName: { type: 'validation', message: 'must be at most 200 characters' } });
  });
});
