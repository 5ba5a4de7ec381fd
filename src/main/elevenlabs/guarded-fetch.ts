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

/** The fetch the SDK is given: the platform's, with redirects refused instead of followed. */
export const guardedFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, { ...init, redirect: 'manual' });
  if (response.status >= 300 && response.status <= 399) {
    await response.body?.cancel().catch(() => undefined);
    throw new RedirectRefusedError(response.status);
  }
  return response;
};
