import * as oauth from 'oauth4webapi';
import type { ErrorCode } from '../../shared/errors';
import { AppError } from '../errors';
import { BodyTooLargeError, guardedFetch, RedirectRefusedError } from '../elevenlabs/guarded-fetch';
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
  /** The provider's name as the builder gave it ("Acme SSO"): what every message calls it. */
  name: string;
  clientId: string;
  clientSecret: string | null;
}

/** What a token request was for: how its failure is said. */
export type TokenStep = 'sign-in' | 'refresh' | 'revoke';

/**
 * Why a token request failed: for good (reconnect), or for now (a refresh is retried later).
 * Its code is the one the API uses for the same situation: server_error (5xx), timeout,
 * unreachable, unexpected_response (not a token reply), remote_rejected (an OAuth error reply),
 * and issuer_mismatch for a sign-in reply from another issuer.
 */
export class TokenError extends AppError {
  override name = 'TokenError';
  constructor(
    code: ErrorCode,
    message: string,
    /** `invalid_grant` and its kind: the grant is gone, only a new sign-in helps. */
    readonly permanent: boolean,
    readonly oauthError: string | null,
  ) {
    super(code, message);
  }
}

/**
 * What an endpoint did ("answered HTTP 500"), before it is said in context: which provider,
 * which endpoint at which host, during which step. Its words come from known codes only.
 */
class EndpointFault extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly what: string,
    readonly permanent = false,
    readonly oauthError: string | null = null,
  ) {
    super(what);
  }
}

const REQUEST_TIMEOUT_MS = 30_000;
const MAX_REPLY_BYTES = 1024 * 1024;
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
    [oauth.customFetch]: guardedFetch(MAX_REPLY_BYTES),
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
 * Checks the callback (state once more, `iss` where the provider's issuer is known, an error
 * reply) and exchanges its code at the token endpoint, sending the same redirect URI again.
 */
export async function exchangeCode(
  client: OAuthClient,
  input: { params: URLSearchParams; state: string; redirectUri: string; codeVerifier: string | null },
): Promise<TokenSet> {
  assertIssuer(client, input.params.get('iss'));
  const as = server(client, input.params.get('iss'));
  const code = input.params.get('code');
  const scrub = redactorFor([
    code ?? '',
    ...(input.codeVerifier ? [input.codeVerifier] : []),
    ...(client.clientSecret ? [client.clientSecret] : []),
  ]);
  let callback: ReturnType<typeof oauth.validateAuthResponse>;
  try {
    callback = oauth.validateAuthResponse(as, { client_id: client.clientId }, input.params, input.state);
  } catch (error) {
    if (error instanceof oauth.AuthorizationResponseError) throw tokenError(error, client, 'sign-in', scrub);
    // oauth4webapi's words about the reply the browser brought back, never the server's.
    const why = error instanceof Error ? cutAtWord(scrub.scrub(error.message), 120) : 'unreadable';
    throw new TokenError(
      'unexpected_response',
      `Could not finish signing in to ${client.name}: its sign-in reply did not check out (${why}). Nothing was linked.`,
      false,
      null,
    );
  }
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
    throw tokenError(error, client, 'sign-in', scrub);
  }
}

/**
 * RFC 9207: a reply whose `iss` names another issuer than the one configured was sent by (or
 * for) another authorization server. Exchanging its code could hand it to the wrong one (a
 * mix-up attack), so the sign-in stops here.
 */
function assertIssuer(client: OAuthClient, iss: string | null): void {
  const expected = client.profile.issuer;
  if (expected === null || iss === null || iss === expected) return;
  const named = hostOf(iss);
  throw new TokenError(
    'issuer_mismatch',
    `Refused the sign-in reply: it says it comes from ${named ? `the issuer at ${named}` : 'another issuer'}, not from ${expected}, the issuer configured for ${client.name}. This can be a mix-up attack (another server answering for ${client.name}), so its code was not used. Nothing was linked.`,
    true,
    null,
  );
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
    throw tokenError(error, client, 'refresh', scrub);
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
        throw oauthFailure(typeof body.error === 'string' ? body.error : 'unknown_error');
      return;
    }
    if (profile.dialect === 'github') {
      const url = profile.revokeUrl.replace('{client_id}', encodeURIComponent(client.clientId));
      const response = await guardedFetch(MAX_REPLY_BYTES)(url, {
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
      if (response.status !== 204 && response.status !== 404) throw statusFault(response.status);
      return;
    }
    const response = await oauth.revocationRequest(server(client), { client_id: client.clientId }, clientAuth(client), token, {
      ...requestOptions(profile.revokeUrl),
      additionalParameters: { token_type_hint: hint },
    });
    await oauth.processRevocationResponse(response);
  } catch (error) {
    throw tokenError(error, client, 'revoke', scrub);
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
  const { fields, text } = await replyFields(response);
  if (profile.dialect === 'slack') return slackTokens(fields);
  if (profile.dialect === 'github') return withUserinfo(client, githubTokens(fields));
  if (!profile.issuer) return standardTokens(fields);
  // The reply was read to say what is wrong with it; oauth4webapi checks it again, with the id_token.
  const again = new Response(text, { status: response.status, headers: response.headers });
  const result =
    grant === 'code'
      ? await oauth.processAuthorizationCodeResponse(as, { client_id: client.clientId }, again)
      : await oauth.processRefreshTokenResponse(as, { client_id: client.clientId }, again);
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
  if (typeof body.access_token !== 'string') throw new EndpointFault('unexpected_response', 'answered without an access token');
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
    throw new EndpointFault('unexpected_response', 'answered without a user token (were user scopes requested?)');
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
    const response = await guardedFetch(MAX_REPLY_BYTES)(userinfo.url, {
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
  return guardedFetch(MAX_REPLY_BYTES)(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(fields),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
}

/**
 * A token reply as fields (JSON, or form-encoded: GitHub's default answer), or what is wrong
 * with it: an OAuth error (whatever the status), a status that is no answer, a body that is not
 * a token reply.
 */
async function replyFields(response: Response): Promise<{ fields: Record<string, unknown>; text: string }> {
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  let fields: Record<string, unknown> | null = null;
  if (/^application\/x-www-form-urlencoded/i.test(type)) fields = Object.fromEntries(new URLSearchParams(text));
  else {
    try {
      const body = JSON.parse(text) as unknown;
      if (body && typeof body === 'object' && !Array.isArray(body)) fields = body as Record<string, unknown>;
    } catch {
      // Below.
    }
  }
  if (fields && typeof fields.error === 'string') throw oauthFailure(fields.error, response.status);
  if (response.status !== 200) throw statusFault(response.status);
  if (!fields) {
    const media = /^[\w.+-]+\/[\w.+-]+/.exec(type)?.[0];
    throw new EndpointFault(
      'unexpected_response',
      `answered something that is not a token reply (HTTP 200${media ? `, ${media.toLowerCase()}` : ''})`,
    );
  }
  return { fields, text };
}

/** A status that is not an answer, said as such. */
function statusFault(status: number): EndpointFault {
  return status >= 500
    ? new EndpointFault('server_error', `answered HTTP ${status} (a server error)`)
    : new EndpointFault('unexpected_response', `answered HTTP ${status}, which is not a token reply`);
}

/** An OAuth error reply; its status is said where it is not the usual 200 or 400 (a 404 means a wrong URL). */
function oauthFailure(code: string, status = 400): EndpointFault {
  const safe = safeCode(code) ?? 'an error code Agent Keyring does not repeat';
  const http = status === 200 || status === 400 ? '' : `HTTP ${status}, `;
  return new EndpointFault('remote_rejected', `refused the request (${http}${safe})`, PERMANENT.has(safe), safeCode(code));
}

function safeCode(code: unknown): string | null {
  return typeof code === 'string' && ERROR_CODE.test(code) ? code : null;
}

/** "auth.acme.test" or "127.0.0.1:4000": where a request went, never its path or query. */
function hostOf(url: string): string | null {
  try {
    const { host } = new URL(url);
    return /^[\w.:[\]-]{1,255}$/.test(host) ? host : null;
  } catch {
    return null;
  }
}

/** Why a request did not get an answer: the network's error codes, in words. */
function unreachableFault(error: Error): EndpointFault {
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  if (code === 'ECONNREFUSED') return new EndpointFault('unreachable', 'could not be reached (the connection was refused)');
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return new EndpointFault('unreachable', 'could not be reached (its host name was not found)');
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET')
    return new EndpointFault('unreachable', 'closed the connection without answering');
  if (typeof code === 'string' && /CERT|SSL|TLS/.test(code) && /^[A-Z0-9_]{1,64}$/.test(code))
    return new EndpointFault('unreachable', `could not be reached securely (its TLS certificate was refused: ${code})`);
  return new EndpointFault('unreachable', 'could not be reached');
}

/** Whatever the request threw, said in context: the provider by its name, the endpoint and its host, the step. */
function tokenError(error: unknown, client: OAuthClient, step: TokenStep, scrub: ReturnType<typeof redactorFor>): TokenError {
  if (error instanceof TokenError) return error;
  const fault = faultOf(error, scrub);
  const endpoint = step === 'revoke' ? client.profile.revokeUrl : client.profile.tokenUrl;
  const where = `the ${step === 'revoke' ? 'revocation' : 'token'} endpoint${hostOf(endpoint ?? '') ? ` at ${hostOf(endpoint ?? '')}` : ''}`;
  const lead = {
    'sign-in': `Could not finish signing in to ${client.name}`,
    refresh: `Could not refresh the token from ${client.name}`,
    revoke: `Could not revoke the token at ${client.name}`,
  }[step];
  const then =
    step === 'sign-in' ? ' Nothing was linked.' : step === 'refresh' && fault.permanent ? ' Reconnect the account to sign in again.' : '';
  return new TokenError(fault.code, `${lead}: ${where} ${fault.what}.${then}`, fault.permanent, fault.oauthError);
}

function faultOf(error: unknown, scrub: ReturnType<typeof redactorFor>): EndpointFault {
  if (error instanceof EndpointFault) return error;
  if (error instanceof oauth.ResponseBodyError) return oauthFailure(error.error);
  if (error instanceof oauth.AuthorizationResponseError) return oauthFailure(error.error);
  if (error instanceof oauth.WWWAuthenticateChallengeError)
    return new EndpointFault('remote_rejected', 'refused the client credentials (HTTP 401)', true, 'invalid_client');
  if (error instanceof RedirectRefusedError)
    return new EndpointFault('unexpected_response', `answered with a redirect (HTTP ${error.status}), which Agent Keyring does not follow`);
  if (error instanceof BodyTooLargeError)
    return new EndpointFault(
      'unexpected_response',
      `answered with more than ${MAX_REPLY_BYTES / 1024 / 1024} MB, which is not a token reply`,
    );
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
    return new EndpointFault('timeout', `did not answer within ${REQUEST_TIMEOUT_MS / 1000} s`);
  if (error instanceof oauth.OperationProcessingError || error instanceof oauth.UnsupportedOperationError) {
    const cause = error.cause;
    if (cause instanceof Response && cause.status !== 200) return statusFault(cause.status);
    // oauth4webapi's own words (an id_token whose issuer or audience is wrong...), never the server's.
    return new EndpointFault('unexpected_response', `sent a reply that did not check out (${cutAtWord(scrub.scrub(error.message), 120)})`);
  }
  if (error instanceof TypeError) return unreachableFault(error);
  return new EndpointFault('unreachable', 'could not be reached');
}
