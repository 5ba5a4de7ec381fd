/**
 * Thrown when a server answers with a redirect. The SDK sends the API key in `xi-api-key`, a
 * header fetch does not strip on a cross-origin redirect, so no redirect is ever followed.
 */
export class RedirectRefusedError extends Error {
  override name = 'RedirectRefusedError';
  constructor(readonly status: number) {
    super(`Redirect (HTTP ${status}) refused: the API key is never sent to another address.`);
  }
}

/** Thrown when a reply body is larger than the app will hold in memory. */
export class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError';
  constructor(readonly limitBytes: number) {
    super(`Reply larger than ${limitBytes} bytes refused.`);
  }
}

/**
 * The largest reply body read into memory. Every secret of a large workspace in one unpaged
 * reply fits (100,000 secrets with their dependants is about 40 MB); past it the sync falls back
 * to pages, and a single page this large can only come from a broken or hostile server.
 */
export const MAX_REPLY_BYTES = 48 * 1024 * 1024;

/** The fetch the SDK is given: the platform's, with redirects refused and bodies capped. */
export function guardedFetch(maxBytes = MAX_REPLY_BYTES): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, { ...init, redirect: 'manual' });
    if (response.status >= 300 && response.status <= 399) {
      await response.body?.cancel().catch(() => undefined);
      throw new RedirectRefusedError(response.status);
    }
    const declared = Number(response.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > maxBytes) {
      await response.body?.cancel().catch(() => undefined);
      throw new BodyTooLargeError(maxBytes);
    }
    if (!response.body) return response;
    // The length may be absent or wrong: count what actually arrives.
    let received = 0;
    const counted = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          received += chunk.byteLength;
          if (received > maxBytes) controller.error(new BodyTooLargeError(maxBytes));
          else controller.enqueue(chunk);
        },
      }),
    );
    return new Response(counted, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}
