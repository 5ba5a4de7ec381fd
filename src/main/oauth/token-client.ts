import * as oauth from 'oauth4webapi';
import { AppError } from '../errors';
import { guardedFetch } from '../elevenlabs/guarded-fetch';
import { redactorFor } from '../logging/redactor';
import type { ProviderProfile } from './providers';
import { cutAtWord } from '../../shared/text';

/** A token reply, whoever sent it, in one shape. */
export interface TokenSet {
  accessToken: string;
  refreshToken: string | null;
  /** Seconds from now, when the provider says. */
  expiresIn: number | null;
  /** What was granted, when the provider says (else what was asked for). */
  scopes: string[] | null;
  subject: string | null;
}

/** The provider and the builder's own OAuth app (client id, and secret where needed). */
export interface OAuthClient {
  profile: ProviderProfile;
  clientId: string;
  clientSecret: string | null;
}

/** Why a token request failed: for good (reconnect), or for now (retry later). */
export class TokenError extends AppError {
  override name = 'TokenError';
  constructor(
    message: string,
    /** `invalid_grant` and its kind: the grant is gone, only a new sign-in helps. */
    readonly permanent: boolean,
    readonly oauthError: string | null,
  ) {
    super(permanent ? 'invalid_key' : 'unreachable', message);
  }
}

const REQUEST_TIMEOUT_MS = 30_000;
/** OAuth error codes: short lowercase words. Anything else from a server is not repeated. */
const ERROR_CODE = /^[a-z_]{1,64}$/;
const PERMANENT = new Set([
  'invalid_grant',
  'invalid_client',
  'unauthorized_client',
  'invalid_scope',
  'access_denied',
  'token_revoked',
  'invalid_refresh_token',
  'bad_refresh_token',
  'bad_verification_code',
  'incorrect_client_credentials',
]);

function server(client: OAuthClient, observedIssuer?: string | null): oauth.AuthorizationServer {
  const { profile } = client;
  return {
    // Where the issuer is not known, the one the server names cannot be checked against anything.
    issuer: profile.issuer ?? observedIssuer ?? 'urn:agent-keyring:unknown-issuer',
    authorization_endpoint: profile.authorizeUrl,
    token_endpoint: profile.tokenUrl,
    revocation_endpoint: profile.revokeUrl ?? undefined,
  };
}

function clientAuth(client: OAuthClient): oauth.ClientAuth {
  return client.clientSecret ? oauth.ClientSecretPost(client.clientSecret) : oauth.None();
}

/** Request options: a timeout, capped bodies, no redirects, and plain http only on loopback. */
function requestOptions(url: string) {
  const { hostname, protocol } = new URL(url);
  return {
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    [oauth.customFetch]: guardedFetch(1024 * 1024),
    [oauth.allowInsecureRequests]: protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(hostname),
  };
}

/** The authorization URL: PKCE S256 where the profile uses it, the state, the refresh-token asks. */
export async function authorizationUrl(
  client: OAuthClient,
  input: { redirectUri: string; state: string; codeVerifier: string | null },
): Promise<string> {
  const { profile } = client;
  const url = new URL(profile.authorizeUrl);
  url.searchParams.set('client_id', client.clientId);
  url.searchParams.set('redirect_uri', input.redirectUri);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set(profile.scopeParam, profile.defaultScopes.join(profile.scopeSeparator));
  url.searchParams.set('state', input.state);
  if (input.codeVerifier) {
    url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(input.codeVerifier));
    url.searchParams.set('code_challenge_method', 'S256');
  }
  for (const [name, value] of Object.entries(profile.refreshParams)) url.searchParams.set(name, value);
  return url.href;
}

/**
 * Checks the callback (state once more, `iss` where the provider is known to send one, an error
 * reply) and exchanges its code at the token endpoint, sending the same redirect URI again.
 */
export async function exchangeCode(
  client: OAuthClient,
  input: { params: URLSearchParams; state: string; redirectUri: string; codeVerifier: string | null },
): Promise<TokenSet> {
  const as = server(client, input.params.get('iss'));
  const callback = oauth.validateAuthResponse(as, { client_id: client.clientId }, input.params, input.state);
  const code = callback.get('code');
  const scrub = redactorFor([
    code ?? '',
    ...(input.codeVerifier ? [input.codeVerifier] : []),
    ...(client.clientSecret ? [client.clientSecret] : []),
  ]);
  try {
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      { client_id: client.clientId },
      clientAuth(client),
      callback,
      input.redirectUri,
      input.codeVerifier ?? oauth.nopkce,
      requestOptions(client.profile.tokenUrl),
    );
    return await readTokens(client, as, response, 'code');
  } catch (error) {
    throw tokenError(error, client, scrub);
  }
}

/** One refresh. A rotated refresh token comes back in `refreshToken`. */
export async function refreshTokens(client: OAuthClient, refreshToken: string): Promise<TokenSet> {
  const as = server(client);
  const scrub = redactorFor([refreshToken, ...(client.clientSecret ? [client.clientSecret] : [])]);
  try {
    if (client.profile.dialect !== 'standard') {
      const response = await postForm(client.profile.tokenUrl, {
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        client_id: client.clientId,
        ...(client.clientSecret ? { client_secret: client.clientSecret } : {}),
      });
      return await readTokens(client, as, response, 'refresh');
    }
    const response = await oauth.refreshTokenGrantRequest(
      as,
      { client_id: client.clientId },
      clientAuth(client),
      refreshToken,
      requestOptions(client.profile.tokenUrl),
    );
    return await readTokens(client, as, response, 'refresh');
  } catch (error) {
    throw tokenError(error, client, scrub);
  }
}

/** Revokes a token where the provider allows it: RFC 7009, Slack's auth.revoke, GitHub's API. */
export async function revokeToken(client: OAuthClient, token: string, hint: 'access_token' | 'refresh_token'): Promise<void> {
  const { profile } = client;
  if (!profile.revokeUrl) return;
  const scrub = redactorFor([token, ...(client.clientSecret ? [client.clientSecret] : [])]);
  try {
    if (profile.dialect === 'slack') {
      const response = await postForm(profile.revokeUrl, { token });
      const body = (await response.json().catch(() => ({}))) as { ok?: boolean; error?: string };
      if (body.ok !== true && body.error !== 'invalid_auth' && body.error !== 'token_revoked')
        throw new TokenError(`Slack did not revoke the token (${safeCode(body.error)}).`, false, safeCode(body.error));
      return;
    }
    if (profile.dialect === 'github') {
      const url = profile.revokeUrl.replace('{client_id}', encodeURIComponent(client.clientId));
      const response = await guardedFetch(1024 * 1024)(url, {
        method: 'DELETE',
        headers: {
          accept: 'application/vnd.github+json',
          'content-type': 'application/json',
          authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret ?? ''}`).toString('base64')}`,
        },
        body: JSON.stringify({ access_token: token }),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      // 404: the token is already gone.
      if (response.status !== 204 && response.status !== 404)
        throw new TokenError(`GitHub did not revoke the token (HTTP ${response.status}).`, false, null);
      return;
    }
    const response = await oauth.revocationRequest(server(client), { client_id: client.clientId }, clientAuth(client), token, {
      ...requestOptions(profile.revokeUrl),
      additionalParameters: { token_type_hint: hint },
    });
    await oauth.processRevocationResponse(response);
  } catch (error) {
    throw tokenError(error, client, scrub);
  }
}

/** Reads a token reply by the provider's dialect into one shape. */
async function readTokens(
  client: OAuthClient,
  as: oauth.AuthorizationServer,
  response: Response,
  grant: 'code' | 'refresh',
): Promise<TokenSet> {
  const { profile } = client;
  if (profile.dialect === 'slack') return slackTokens(await replyBody(response));
  if (profile.dialect === 'github') return withUserinfo(client, githubTokens(await replyBody(response)));
  if (!profile.issuer) return standardTokens(await replyBody(response));
  const result =
    grant === 'code'
      ? await oauth.processAuthorizationCodeResponse(as, { client_id: client.clientId }, response)
      : await oauth.processRefreshTokenResponse(as, { client_id: client.clientId }, response);
  return {
    accessToken: result.access_token,
    refreshToken: result.refresh_token ?? null,
    expiresIn: typeof result.expires_in === 'number' ? result.expires_in : null,
    scopes: typeof result.scope === 'string' ? result.scope.split(/[ ,]+/).filter(Boolean) : null,
    subject: oauth.getValidatedIdTokenClaims(result)?.sub ?? null,
  };
}

/** A standard token reply read by hand (providers whose id_token issuer varies, like Microsoft's common endpoint). */
export function standardTokens(body: Record<string, unknown>): TokenSet {
  if (typeof body.error === 'string') throw oauthFailure(body.error);
  if (typeof body.access_token !== 'string') throw new TokenError('The provider answered without an access token.', false, null);
  let subject: string | null = null;
  if (typeof body.id_token === 'string') {
    try {
      // Straight from the token endpoint over TLS: the subject claim is all that is read.
      subject = (JSON.parse(Buffer.from(body.id_token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { sub?: unknown })
        .sub as string;
    } catch {
      subject = null;
    }
  }
  return {
    accessToken: body.access_token,
    refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : null,
    expiresIn: typeof body.expires_in === 'number' ? body.expires_in : Number(body.expires_in) || null,
    scopes: typeof body.scope === 'string' ? body.scope.split(/[ ,]+/).filter(Boolean) : null,
    subject: typeof subject === 'string' ? subject : null,
  };
}

/** Slack: HTTP 200 with `ok:false` on errors; the user token lives under `authed_user`. */
export function slackTokens(body: Record<string, unknown>): TokenSet {
  if (body.ok !== true) throw oauthFailure(typeof body.error === 'string' ? body.error : 'unknown_error');
  const user = (body.authed_user ?? {}) as Record<string, unknown>;
  // A refresh (token rotation) answers at the top level; a sign-in puts the user's token under authed_user.
  const source = typeof user.access_token === 'string' ? user : body;
  if (typeof source.access_token !== 'string')
    throw new TokenError('Slack answered without a user token (were user scopes requested?).', false, null);
  return {
    accessToken: source.access_token,
    refreshToken: typeof source.refresh_token === 'string' ? source.refresh_token : null,
    expiresIn: typeof source.expires_in === 'number' ? source.expires_in : null,
    scopes: typeof source.scope === 'string' ? source.scope.split(',').filter(Boolean) : null,
    subject: typeof user.id === 'string' ? user.id : null,
  };
}

/** GitHub: errors arrive as HTTP 200 with an `error` field. */
export function githubTokens(body: Record<string, unknown>): TokenSet {
  if (typeof body.error === 'string') throw oauthFailure(body.error);
  return standardTokens(body);
}

async function withUserinfo(client: OAuthClient, tokens: TokenSet): Promise<TokenSet> {
  const userinfo = client.profile.userinfo;
  if (!userinfo || tokens.subject) return tokens;
  try {
    const response = await guardedFetch(1024 * 1024)(userinfo.url, {
      headers: { authorization: `Bearer ${tokens.accessToken}`, accept: 'application/json' },
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const body = (await response.json()) as Record<string, unknown>;
    const value = body[userinfo.field];
    return { ...tokens, subject: typeof value === 'string' || typeof value === 'number' ? String(value) : null };
  } catch {
    // The identity is a nicety; the tokens are what matter.
    return tokens;
  }
}

/** Token endpoints answer JSON when asked (GitHub otherwise answers a form). */
async function postForm(url: string, fields: Record<string, string>): Promise<Response> {
  return guardedFetch(1024 * 1024)(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(fields),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
}

/** A token reply as fields: JSON, or form-encoded (GitHub's default answer). */
async function replyBody(response: Response): Promise<Record<string, unknown>> {
  const text = await response.text();
  if (/^application\/x-www-form-urlencoded/i.test(response.headers.get('content-type') ?? '')) {
    return Object.fromEntries(new URLSearchParams(text));
  }
  try {
    const body = JSON.parse(text) as unknown;
    if (body && typeof body === 'object' && !Array.isArray(body)) return body as Record<string, unknown>;
  } catch {
    // Below.
  }
  if (response.status >= 500)
    throw new TokenError(`The provider had a server error (HTTP ${response.status}). Agent Keyring will try again.`, false, null);
  throw new TokenError(`The provider answered something that is not a token reply (HTTP ${response.status}).`, false, null);
}

function oauthFailure(code: string): TokenError {
  const safe = safeCode(code);
  const permanent = PERMANENT.has(safe ?? '');
  return new TokenError(
    permanent
      ? `The provider no longer accepts this sign-in (${safe}). Reconnect the account.`
      : `The provider refused the request (${safe ?? 'an unknown error'}). Agent Keyring will try again.`,
    permanent,
    safe,
  );
}

function safeCode(code: unknown): string | null {
  return typeof code === 'string' && ERROR_CODE.test(code) ? code : null;
}

/** Whatever the request threw, as a TokenError whose words come from known codes only. */
function tokenError(error: unknown, client: OAuthClient, scrub: ReturnType<typeof redactorFor>): TokenError {
  if (error instanceof TokenError) return error;
  if (error instanceof oauth.ResponseBodyError) return oauthFailure(error.error);
  if (error instanceof oauth.AuthorizationResponseError) return oauthFailure(error.error);
  if (error instanceof oauth.WWWAuthenticateChallengeError)
    return new TokenError('The provider refused the client credentials.', true, 'invalid_client');
  const message = error instanceof Error ? error.message : '';
  if (error instanceof oauth.OperationProcessingError) {
    return new TokenError(
      `${client.profile.displayName} sent a reply that did not check out (${cutAtWord(scrub.scrub(message), 120)}).`,
      false,
      null,
    );
  }
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return new TokenError(`${client.profile.displayName} did not answer in time. Agent Keyring will try again.`, false, null);
  }
  return new TokenError(`Could not reach ${client.profile.displayName}. Agent Keyring will try again.`, false, null);
}
