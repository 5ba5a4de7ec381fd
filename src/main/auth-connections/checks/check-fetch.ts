// The one way a check talks to a server the builder named: the app's guarded fetch (no redirect
// is followed, the body is counted as it arrives) plus a deadline over the whole exchange, the
// body included. Failures come back as sentences about the host, never as thrown text from the
// network stack (which can quote the URL, and a URL can carry a secret).
import { BodyTooLargeError, RedirectRefusedError, guardedFetch } from '../../elevenlabs/guarded-fetch';

/** A token endpoint's answer is a few hundred bytes; anything near this is not one. */
export const CHECK_MAX_BYTES = 1024 * 1024;
export const CHECK_DEADLINE_MS = 10_000;

export interface CheckFetchOptions {
  deadlineMs?: number;
  maxBytes?: number;
}

export interface CheckReply {
  status: number;
  contentType: string;
  text: string;
}

/** Why a request got no usable answer, in words for the builder. */
export class CheckFetchError extends Error {
  override name = 'CheckFetchError';
  constructor(
    readonly kind: 'redirect' | 'timeout' | 'too_large' | 'unreachable',
    message: string,
  ) {
    super(message);
  }
}

/** `host:port` of a URL, for messages: never its path or query, which may carry a credential. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the server';
  }
}

function causeCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } }).cause;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}

export async function checkFetch(url: string, init: RequestInit, options: CheckFetchOptions = {}): Promise<CheckReply> {
  const deadlineMs = options.deadlineMs ?? CHECK_DEADLINE_MS;
  const maxBytes = options.maxBytes ?? CHECK_MAX_BYTES;
  const host = hostOf(url);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), deadlineMs);
  try {
    const response = await guardedFetch(maxBytes)(url, { ...init, signal: controller.signal });
    // Read inside the deadline too: a server that sends headers and then trickles is refused.
    const text = await response.text();
    return { status: response.status, contentType: response.headers.get('content-type') ?? '', text };
  } catch (error) {
    if (error instanceof RedirectRefusedError) {
      throw new CheckFetchError(
        'redirect',
        `${host} answered with a redirect (HTTP ${error.status}). It was not followed: credentials are never sent to another address. Use the final URL.`,
      );
    }
    if (error instanceof BodyTooLargeError || (error as { cause?: unknown }).cause instanceof BodyTooLargeError) {
      throw new CheckFetchError(
        'too_large',
        `${host} answered with more than ${Math.round(maxBytes / 1024)} KiB; that is not a token response.`,
      );
    }
    if (controller.signal.aborted) {
      throw new CheckFetchError('timeout', `${host} did not answer within ${deadlineMs / 1000} s.`);
    }
    const code = causeCode(error);
    const badPort = (error as { cause?: { message?: unknown } }).cause?.message === 'bad port';
    const why = badPort
      ? 'fetch refuses that port (it belongs to another protocol)'
      : code === 'ECONNREFUSED'
        ? 'the connection was refused'
        : code === 'ENOTFOUND'
          ? 'the host name does not resolve'
          : code === 'ECONNRESET' || code === 'UND_ERR_SOCKET'
            ? 'the connection was closed'
            : code?.startsWith('ERR_TLS') || code?.includes('CERT')
              ? `its TLS certificate was not accepted (${code})`
              : 'the connection failed';
    throw new CheckFetchError('unreachable', `Could not reach ${host}: ${why}.`);
  } finally {
    clearTimeout(timer);
  }
}
