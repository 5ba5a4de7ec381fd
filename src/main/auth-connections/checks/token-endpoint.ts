// Asking a token endpoint for a token (client credentials, or a JWT assertion) and reading its
// answer the way ElevenLabs would, into facts a builder can check: which token came back, when
// it expires, which scopes were granted. The token itself is only remembered to be scrubbed.
import { CheckFetchError, checkFetch, hostOf, type CheckFetchOptions } from './check-fetch';
import type { CheckRecorder } from './report';

export interface TokenRequest {
  tokenUrl: string;
  form: Record<string, string>;
  headers: Record<string, string>;
}

const TOKEN_FIELDS = ['access_token', 'id_token', 'refresh_token'] as const;

/** Sends the form; records a "Token request" step and the facts. Returns whether a token came back. */
export async function requestToken(
  report: CheckRecorder,
  request: TokenRequest,
  wanted: 'access_token' | 'id_token',
  options: CheckFetchOptions,
): Promise<boolean> {
  const host = hostOf(request.tokenUrl);
  // Custom headers first; the form's own content type and accept replace any of theirs, whatever their case.
  const headers = new Headers(request.headers);
  headers.set('content-type', 'application/x-www-form-urlencoded');
  headers.set('accept', 'application/json');
  let reply;
  try {
    reply = await checkFetch(request.tokenUrl, { method: 'POST', headers, body: new URLSearchParams(request.form).toString() }, options);
  } catch (error) {
    if (error instanceof CheckFetchError) report.step('Token request', 'failed', error.message);
    else report.failure('Token request', error);
    return false;
  }
  let body: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = JSON.parse(reply.text);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
  } catch {
    body = undefined;
  }
  // Whatever came back is a credential to hide, even in an error answer.
  for (const field of TOKEN_FIELDS) if (typeof body?.[field] === 'string') report.secret(body[field] as string);
  report.facts.httpStatus = reply.status;

  if (reply.status < 200 || reply.status > 299) {
    const oauthError = typeof body?.error === 'string' ? report.serverText(body.error, 80) : null;
    const description = typeof body?.error_description === 'string' ? report.serverText(body.error_description) : null;
    const said = oauthError
      ? `: ${oauthError}${description ? ` (${description})` : ''}`
      : body
        ? ''
        : ` (${reply.contentType || 'no content type'})`;
    const hint =
      oauthError === 'invalid_client'
        ? ' The client id or secret is wrong, or the client may not use this grant.'
        : oauthError === 'invalid_grant'
          ? ' The signed assertion was not accepted: check issuer, subject, audience and key.'
          : oauthError === 'invalid_scope'
            ? ' A requested scope is not allowed for this client.'
            : '';
    report.step('Token request', 'failed', `${host} refused the token request with HTTP ${reply.status}${said}.${hint}`);
    return false;
  }
  if (!body) {
    report.step(
      'Token request',
      'failed',
      `${host} answered HTTP ${reply.status}, but not with JSON (${reply.contentType || 'no content type'}).`,
    );
    return false;
  }
  if (typeof body[wanted] !== 'string' || body[wanted] === '') {
    const present = TOKEN_FIELDS.filter((field) => typeof body[field] === 'string');
    report.step(
      'Token request',
      'failed',
      `${host} answered without ${wanted}${present.length > 0 ? ` (it sent ${present.join(', ')})` : ''}, the field this connection reads.`,
    );
    return false;
  }

  const expiresIn = Number(body.expires_in);
  const scope = typeof body.scope === 'string' ? body.scope.split(' ').filter((s) => s !== '') : null;
  const tokenType = typeof body.token_type === 'string' ? report.serverText(body.token_type, 40) : null;
  report.facts.tokenField = wanted;
  report.facts.tokenType = tokenType;
  report.facts.expiresInSeconds = Number.isFinite(expiresIn) ? expiresIn : null;
  report.facts.scopesGranted = scope?.map((s) => report.serverText(s, 100)) ?? null;
  const parts = [`${wanted === 'access_token' ? 'Token' : 'ID token'} received from ${host}`];
  parts.push(Number.isFinite(expiresIn) ? `expires in ${expiresIn} s` : 'no expiry given');
  parts.push(
    scope === null ? 'no scopes listed in the answer' : scope.length === 0 ? 'no scopes granted' : `scopes granted: ${scope.join(' ')}`,
  );
  report.step('Token request', 'passed', `${parts.join(', ')}.`);
  return true;
}
