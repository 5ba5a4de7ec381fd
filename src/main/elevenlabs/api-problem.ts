import { noAnswerText } from '../../shared/hosts';
import { AppError } from '../errors';
import { Redactor } from '../logging/redactor';
import { BodyTooLargeError, RedirectRefusedError } from './guarded-fetch';
import { cutAtWord } from '../../shared/text';

interface SdkLikeError {
  name?: string;
  message?: string;
  statusCode?: number;
  body?: unknown;
  cause?: unknown;
  rawResponse?: { headers?: { get(name: string): string | null } };
}

export interface ProblemContext {
  /** The API's host as the user configured it (never text from the server). */
  host: string;
  /** Every credential the operation holds: server text quoted to the user is scrubbed of them. */
  credentials?: Redactor;
  /** Whether the caller aborted the request (the only reliable sign of a cancellation). */
  aborted?: boolean;
  now?: () => number;
}

/** Longest piece of server text ever quoted to the user. */
export const MAX_QUOTED_SERVER_TEXT = 160;

/** Error codes ElevenLabs documents; any other `detail.code` is not repeated to the user. */
const KNOWN_DETAIL_CODES = new Set([
  'invalid_api_key',
  'missing_permissions',
  'rate_limit_exceeded',
  'concurrent_limit_exceeded',
  'too_many_concurrent_requests',
  'system_busy',
]);

/** What an ElevenLabs permission name looks like (`convai_read`, `user_read`...). */
const PERMISSION_SHAPE = /^[a-z]{2,24}(?:_[a-z]{2,24}){1,3}$/;
/** A pydantic `loc` element: a field name or a list index. */
const LOC_SHAPE = /^[A-Za-z_][A-Za-z0-9_]{0,63}$|^\d{1,6}$/;

/**
 * Turns whatever the SDK threw into one clear AppError whose message is built from what the app
 * knows (status, known codes, field names), never from server text as received. The one piece
 * of server prose that helps the user (a 4xx message, such as a 422's `msg`) is cut short, made
 * one line, and scrubbed of every credential the operation holds. Branches on the status code,
 * not on error classes (the SDK throws the base class for most statuses).
 */
export function toApiProblem(error: unknown, context: ProblemContext): AppError {
  if (error instanceof AppError) return error;
  const { host } = context;
  const now = context.now ?? Date.now;
  const e = (error ?? {}) as SdkLikeError;
  const status = typeof e.statusCode === 'number' ? e.statusCode : undefined;

  if (status === undefined) {
    if (context.aborted) return new AppError('cancelled', 'Cancelled.');
    if (e.cause instanceof RedirectRefusedError) {
      return new AppError(
        'unexpected_response',
        `${host} answered with a redirect (HTTP ${e.cause.status}). Agent Keyring does not follow redirects, so your API key is never sent to another address. Check the workspace's address.`,
      );
    }
    if (e.cause instanceof BodyTooLargeError) {
      return new AppError(
        'unexpected_response',
        `${host} sent a reply too large to read (over ${Math.round(e.cause.limitBytes / 1024 / 1024)} MB). Nothing was changed.`,
      );
    }
    if (e.name === 'ElevenLabsTimeoutError' || e.cause === 'timeout' || e.message === '"timeout"') {
      return new AppError('timeout', `${host} did not answer in time. It may be slow or down; try again later.`);
    }
    if (e.name === 'ParseError') {
      const where = parsePath(String(e.message ?? ''));
      return new AppError(
        'unexpected_response',
        `${host} sent a reply Agent Keyring could not understand${where ? ` (at ${where})` : ''}. Nothing was changed.`,
      );
    }
    return new AppError('unreachable', noAnswerText(host, connectionRefused(e)));
  }

  const detail = detailOf(e.body, context.credentials);
  const knownCode = detail.code !== undefined && KNOWN_DETAIL_CODES.has(detail.code) ? detail.code : undefined;
  switch (true) {
    case status === 401 && detail.code === 'missing_permissions': {
      const permission = permissionIn(detail.rawMessage, context.credentials);
      return new AppError(
        'missing_permission',
        `This API key is valid but lacks the ${permission ?? 'required'} permission. Edit the key's permissions in the ElevenLabs dashboard, or use another key.`,
        permission ? { permission } : {},
      );
    }
    case status === 401:
      return new AppError(
        'invalid_key',
        `ElevenLabs (${host}) did not accept this API key${knownCode ? ` (${knownCode})` : ''}. Check that it was copied whole and has not been deleted or disabled.`,
      );
    case status === 403:
      return new AppError('missing_permission', `This API key is not allowed to do that (${host} answered 403).`);
    case status === 404:
      return new AppError('remote_not_found', `${host} could not find it (404). It may have been deleted in the dashboard.`);
    case status === 408:
      return new AppError('timeout', `${host} timed out handling the request (408). Try again later.`);
    case status === 429: {
      const retryAfterSeconds = retryAfterOf(e, now);
      const when = retryAfterSeconds === undefined ? 'Wait a moment' : `Try again in ${formatSeconds(retryAfterSeconds)}`;
      return new AppError(
        'rate_limited',
        `ElevenLabs is rate-limiting this key${knownCode ? ` (${knownCode})` : ''}. ${when}.`,
        retryAfterSeconds === undefined ? {} : { retryAfterSeconds },
      );
    }
    case status >= 500 && status <= 599:
      return new AppError('server_error', `ElevenLabs had a server error (HTTP ${status} from ${host}). Try again later.`);
    case status >= 400 && status <= 499:
      return new AppError(
        'remote_rejected',
        `ElevenLabs refused the request (HTTP ${status})${detail.quoted ? `: ${detail.quoted}` : '.'}`,
      );
    default:
      return new AppError('unexpected_response', `${host} answered with an unexpected status (HTTP ${status}). Nothing was changed.`);
  }
}

/** Whether the request failed because the connection was refused (ECONNREFUSED, in fetch's cause chain). */
function connectionRefused(error: SdkLikeError): boolean {
  let cause: unknown = error;
  for (let depth = 0; depth < 4 && cause !== null && typeof cause === 'object'; depth++) {
    if ((cause as { code?: unknown }).code === 'ECONNREFUSED') return true;
    cause = (cause as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * `detail` is an object for most errors and a list of pydantic issues for 422. `quoted` is the
 * safe-to-show form of its message; `rawMessage` is only ever matched against known shapes.
 */
function detailOf(body: unknown, credentials: Redactor | undefined): { code?: string; rawMessage?: string; quoted?: string } {
  const detail = body !== null && typeof body === 'object' ? (body as { detail?: unknown }).detail : undefined;
  if (Array.isArray(detail)) {
    const first = detail[0] as { loc?: unknown; msg?: unknown } | undefined;
    const loc = Array.isArray(first?.loc) ? first.loc.map(String) : [];
    const shaped = loc.length > 0 && loc.every((part) => LOC_SHAPE.test(part)) ? loc.join('.') : undefined;
    const where = shaped !== undefined && !credentials?.touches(shaped) ? shaped : undefined;
    const message = typeof first?.msg === 'string' ? quote(first.msg, credentials) : undefined;
    return { quoted: message ? `${where ? `${where}: ` : ''}${message}` : undefined };
  }
  if (detail !== null && typeof detail === 'object') {
    const d = detail as { code?: unknown; status?: unknown; message?: unknown };
    const code = typeof d.code === 'string' ? d.code : typeof d.status === 'string' ? d.status : undefined;
    const rawMessage = typeof d.message === 'string' ? d.message : undefined;
    return { code, rawMessage, quoted: rawMessage === undefined ? undefined : quote(rawMessage, credentials) };
  }
  return typeof detail === 'string' ? { quoted: quote(detail, credentials) } : {};
}

/** Server prose made fit to show: one line, short, and without any credential the operation holds. */
function quote(text: string, credentials: Redactor | undefined): string | undefined {
  const scrubbed = (credentials ?? new Redactor()).scrub(text);
  // eslint-disable-next-line no-control-regex
  const oneLine = scrubbed.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
  if (!oneLine) return undefined;
  return cutAtWord(oneLine, MAX_QUOTED_SERVER_TEXT);
}

/** The permission a `missing_permissions` message names, if it looks like one and is no credential. */
function permissionIn(message: string | undefined, credentials: Redactor | undefined): string | undefined {
  const candidate = /permission\s+([a-z_]+)/i.exec(message ?? '')?.[1];
  if (!candidate || !PERMISSION_SHAPE.test(candidate)) return undefined;
  return credentials?.touches(candidate) ? undefined : candidate;
}

/** The location part of the SDK's ParseError (`response -> secrets -> [0]: ...`), as a path. */
function parsePath(message: string): string | undefined {
  const path = message.split(':')[0]?.trim() ?? '';
  const parts = path.split('->').map((part) => part.trim());
  if (parts.length === 0 || !parts.every((part) => /^(?:[A-Za-z_][A-Za-z0-9_]{0,63}|\[\d{1,6}\])$/.test(part))) return undefined;
  return parts.join('.').replace(/\.\[/g, '[');
}

/** A server's Retry-After is believed up to a day; beyond that it is noise. */
const MAX_RETRY_AFTER_SECONDS = 86_400;

function retryAfterOf(e: SdkLikeError, now: () => number): number | undefined {
  const seconds = rawRetryAfterOf(e, now);
  return seconds === undefined ? undefined : Math.min(seconds, MAX_RETRY_AFTER_SECONDS);
}

function rawRetryAfterOf(e: SdkLikeError, now: () => number): number | undefined {
  const headers = e.rawResponse?.headers;
  const retryAfter = headers?.get('retry-after');
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, Math.ceil((date - now()) / 1000));
  }
  const reset = Number(headers?.get('x-ratelimit-reset'));
  if (Number.isFinite(reset) && reset > 0) return Math.max(0, Math.ceil(reset - now() / 1000));
  return undefined;
}

export function formatSeconds(seconds: number): string {
  if (seconds < 90) return `${seconds} s`;
  return `${Math.ceil(seconds / 60)} min`;
}
