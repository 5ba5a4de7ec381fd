import { AppError } from '../errors';

interface SdkLikeError {
  name?: string;
  message?: string;
  statusCode?: number;
  body?: unknown;
  cause?: unknown;
  rawResponse?: { headers?: { get(name: string): string | null } };
}

/**
 * Turns whatever the SDK threw into one clear, secret-free AppError. Branches on the status
 * code, not on error classes (the SDK throws the base class for most statuses).
 */
export function toApiProblem(error: unknown, host: string, now: () => number = Date.now): AppError {
  if (error instanceof AppError) return error;
  const e = (error ?? {}) as SdkLikeError;
  const message = String(e.message ?? '');
  const status = e.statusCode;

  if (e.name === 'AbortError' || /aborted/i.test(message)) {
    return new AppError('cancelled', 'Cancelled.');
  }
  if (status === undefined) {
    if (/timeout/i.test(message) || e.cause === 'timeout' || e.name === 'ElevenLabsTimeoutError') {
      return new AppError('timeout', `${host} did not answer in time. It may be slow or down; try again later.`);
    }
    if (e.name === 'ParseError') {
      return new AppError(
        'unexpected_response',
        `${host} sent a reply Agent Keyring could not understand (${firstLine(message)}). Nothing was changed.`,
      );
    }
    return new AppError(
      'unreachable',
      `Could not reach ${host}. Check your internet connection or the workspace's address.`,
    );
  }

  const detail = detailOf(e.body);
  switch (true) {
    case status === 401 && detail.code === 'missing_permissions': {
      const permission = /permission\s+([a-z_]+)/i.exec(detail.message ?? '')?.[1];
      return new AppError(
        'missing_permission',
        `This API key is valid but lacks the ${permission ?? 'required'} permission. Edit the key's permissions in the ElevenLabs dashboard, or use another key.`,
        permission ? { permission } : {},
      );
    }
    case status === 401:
      return new AppError(
        'invalid_key',
        `ElevenLabs (${host}) did not accept this API key${detail.code ? ` (${detail.code})` : ''}. Check that it was copied whole and has not been deleted or disabled.`,
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
        `ElevenLabs is rate-limiting this key${detail.code ? ` (${detail.code})` : ''}. ${when}.`,
        retryAfterSeconds === undefined ? {} : { retryAfterSeconds },
      );
    }
    case status >= 500:
      return new AppError('server_error', `ElevenLabs had a server error (HTTP ${status} from ${host}). Try again later.`);
    default:
      return new AppError(
        'remote_rejected',
        `ElevenLabs refused the request (HTTP ${status})${detail.message ? `: ${detail.message}` : '.'}`,
      );
  }
}

/** `detail` is an object for most errors and a list of pydantic issues for 422. */
function detailOf(body: unknown): { code?: string; message?: string } {
  const detail = (body as { detail?: unknown } | undefined)?.detail;
  if (Array.isArray(detail)) {
    const first = detail[0] as { loc?: unknown[]; msg?: string } | undefined;
    const where = Array.isArray(first?.loc) ? first.loc.join('.') : undefined;
    return { message: first?.msg ? `${where ? `${where}: ` : ''}${first.msg}` : undefined };
  }
  if (detail && typeof detail === 'object') {
    const d = detail as { code?: unknown; status?: unknown; message?: unknown };
    const code = typeof d.code === 'string' ? d.code : typeof d.status === 'string' ? d.status : undefined;
    return { code, message: typeof d.message === 'string' ? d.message : undefined };
  }
  return typeof detail === 'string' ? { message: detail } : {};
}

function retryAfterOf(e: SdkLikeError, now: () => number): number | undefined {
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

function formatSeconds(seconds: number): string {
  if (seconds < 90) return `${seconds} s`;
  return `${Math.ceil(seconds / 60)} min`;
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}
