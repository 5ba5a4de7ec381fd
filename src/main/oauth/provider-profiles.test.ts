import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Domain } from '../app/composition';
import { buildDomain, call, removeTempDirs } from '../../../test/support/harness';

// The "add a provider" form needs the redirect URI to register before anything is saved: the
// builder creates their OAuth app with it, and only then has a client id to enter.

const domains: Domain[] = [];
afterEach(async () => {
  for (const domain of domains.splice(0)) await domain.close();
});
afterAll(() => removeTempDirs());

describe('provider profiles in accounts:list', () => {
  it('lists every kind with the redirect URI to register, its client-secret need and note, before any provider is saved', async () => {
    const domain = buildDomain();
    domains.push(domain);
    const { providers, profiles } = await call(domain, 'accounts:list', {});
    expect(providers).toEqual([]);
    expect(profiles.map((p) => p.kind)).toEqual(['google', 'slack', 'github', 'microsoft', 'custom']);
    const byKind = Object.fromEntries(profiles.map((p) => [p.kind, p]));
    expect(byKind['google']).toMatchObject({
      displayName: 'Google',
      redirectUri: 'http://127.0.0.1/callback/google',
      clientSecretNeeded: 'required',
      fixedPorts: [],
      note: expect.stringContaining('Desktop app'),
    });
    expect(byKind['slack']).toMatchObject({
      redirectUri: 'http://localhost:53682/callback/slack',
      fixedPorts: [53682, 53683, 53684],
      clientSecretNeeded: 'optional',
    });
    expect(byKind['microsoft']).toMatchObject({ redirectUri: 'http://localhost/callback/microsoft', clientSecretNeeded: 'none' });
    expect(byKind['custom']).toMatchObject({
      redirectUri: 'http://127.0.0.1/callback/custom',
      clientSecretNeeded: 'optional',
      defaultScopes: ['openid', 'offline_access'],
      pkce: true,
      note: null,
    });
  });

  it('gives a saved provider the same redirect URI its profile announced', async () => {
    const domain = buildDomain();
    domains.push(domain);
    const { profiles } = await call(domain, 'accounts:list', {});
    const saved = await call(domain, 'accounts:saveProvider', {
      kind: 'custom',
      name: 'Local IdP',
      clientId: 'client',
      authorizeUrl: 'https://idp.example/auth',
      tokenUrl: 'https://idp.example/token',
    });
    expect(saved.redirectUri).toBe(profiles.find((p) => p.kind === 'custom')!.redirectUri);
    expect(saved.scopes).toEqual(profiles.find((p) => p.kind === 'custom')!.defaultScopes);
  });
});
