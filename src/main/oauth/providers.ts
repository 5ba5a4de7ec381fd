import type { ProviderKind } from '../../shared/schemas/accounts';

/** How a provider's token endpoint answers: by the standard, or in its own way. */
export type TokenDialect = 'standard' | 'slack' | 'github';

/**
 * A provider's quirks: where it sends people and tokens, what its loopback redirect must look
 * like, how to ask for a refresh token, and how its token replies read.
 */
export interface ProviderProfile {
  kind: ProviderKind;
  displayName: string;
  authorizeUrl: string;
  tokenUrl: string;
  /** RFC 7009 revocation (standard), or the provider's own (Slack, GitHub); null: none. */
  revokeUrl: string | null;
  /** Checked against the `iss` of the authorization response where the provider sends one (RFC 9207). */
  issuer: string | null;
  /** Host of the redirect URI: the IP literal where the provider allows it (RFC 8252 §8.3). */
  loopbackHost: '127.0.0.1' | 'localhost';
  /** 'any': an ephemeral port; otherwise the registered ports tried in order. */
  ports: 'any' | number[];
  pkce: boolean;
  clientSecret: 'required' | 'optional' | 'none';
  defaultScopes: string[];
  /** Parameters that make the provider issue a refresh token (and prompt so it does again). */
  refreshParams: Record<string, string>;
  /** Slack asks for user-token scopes in `user_scope`. */
  scopeParam: 'scope' | 'user_scope';
  scopeSeparator: ' ' | ',';
  dialect: TokenDialect;
  /** Where the account's identity comes from when there is no id_token. */
  userinfo: { url: string; field: string } | null;
  /** What to tell the builder when registering their OAuth app. */
  note: string | null;
}

/** Built-in profiles (oauth-providers notes; endpoints as the providers document them). */
export const builtInProfiles: Record<Exclude<ProviderKind, 'custom'>, ProviderProfile> = {
  google: {
    kind: 'google',
    displayName: 'Google',
    authorizeUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
    tokenUrl: 'https://oauth2.googleapis.com/token',
    revokeUrl: 'https://oauth2.googleapis.com/revoke',
    issuer: 'https://accounts.google.com',
    loopbackHost: '127.0.0.1',
    ports: 'any',
    pkce: true,
    clientSecret: 'required',
    defaultScopes: ['openid', 'email'],
    refreshParams: { access_type: 'offline', prompt: 'consent' },
    scopeParam: 'scope',
    scopeSeparator: ' ',
    dialect: 'standard',
    userinfo: null,
    note: 'Create a "Desktop app" OAuth client: Google gives it a secret, which it does not treat as confidential.',
  },
  slack: {
    kind: 'slack',
    displayName: 'Slack',
    authorizeUrl: 'https://slack.com/oauth/v2/authorize',
    tokenUrl: 'https://slack.com/api/oauth.v2.access',
    revokeUrl: 'https://slack.com/api/auth.revoke',
    issuer: null,
    loopbackHost: 'localhost',
    ports: [53682, 53683, 53684],
    pkce: true,
    clientSecret: 'optional',
    defaultScopes: ['users:read'],
    refreshParams: {},
    scopeParam: 'user_scope',
    scopeSeparator: ',',
    dialect: 'slack',
    userinfo: null,
    note: 'Turn on PKCE and token rotation in the Slack app, and register the three localhost redirect URIs (Slack does not accept any port).',
  },
  github: {
    kind: 'github',
    displayName: 'GitHub',
    authorizeUrl: 'https://github.com/login/oauth/authorize',
    tokenUrl: 'https://github.com/login/oauth/access_token',
    revokeUrl: 'https://api.github.com/applications/{client_id}/token',
    issuer: null,
    loopbackHost: '127.0.0.1',
    ports: 'any',
    pkce: true,
    clientSecret: 'required',
    defaultScopes: ['read:user'],
    refreshParams: {},
    scopeParam: 'scope',
    scopeSeparator: ' ',
    dialect: 'github',
    userinfo: { url: 'https://api.github.com/user', field: 'id' },
    note: 'Use a GitHub App with expiring user tokens to get refresh tokens; register http://127.0.0.1/callback/github (GitHub ignores the port).',
  },
  microsoft: {
    kind: 'microsoft',
    displayName: 'Microsoft',
    authorizeUrl: 'https://login.microsoftonline.com/common/oauth2/v2.0/authorize',
    tokenUrl: 'https://login.microsoftonline.com/common/oauth2/v2.0/token',
    revokeUrl: null,
    issuer: null,
    loopbackHost: 'localhost',
    ports: 'any',
    pkce: true,
    clientSecret: 'none',
    defaultScopes: ['openid', 'offline_access', 'User.Read'],
    refreshParams: {},
    scopeParam: 'scope',
    scopeSeparator: ' ',
    dialect: 'standard',
    userinfo: null,
    note: 'Register the "Mobile and desktop applications" platform with http://localhost (the port is ignored).',
  },
};

/** A provider the builder described: the standard, with what they entered. */
export function customProfile(settings: {
  name: string;
  authorizeUrl: string;
  tokenUrl: string;
  revokeUrl: string | null;
  issuer: string | null;
  pkce: boolean;
  scopes: string[];
  /** A fixed port for the redirect URI, for providers that match it exactly; null: any free port. */
  port: number | null;
}): ProviderProfile {
  return {
    kind: 'custom',
    displayName: settings.name,
    authorizeUrl: settings.authorizeUrl,
    tokenUrl: settings.tokenUrl,
    revokeUrl: settings.revokeUrl,
    issuer: settings.issuer,
    loopbackHost: '127.0.0.1',
    ports: settings.port === null ? 'any' : [settings.port],
    pkce: settings.pkce,
    clientSecret: 'optional',
    defaultScopes: settings.scopes,
    // offline_access is how OpenID providers are asked for a refresh token; prompt=consent makes them ask again.
    refreshParams: settings.scopes.includes('offline_access') ? { prompt: 'consent' } : {},
    scopeParam: 'scope',
    scopeSeparator: ' ',
    dialect: 'standard',
    userinfo: null,
    note: null,
  };
}

/** The redirect URI for a provider at a port (the path names the provider, against mix-ups). */
export function redirectUriFor(profile: Pick<ProviderProfile, 'loopbackHost' | 'kind'>, port: number | null): string {
  return `http://${profile.loopbackHost}${port === null ? '' : `:${port}`}/callback/${profile.kind}`;
}
