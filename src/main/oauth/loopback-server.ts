import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { AppError } from '../errors';

/** What the provider sent back to the redirect URI, once its `state` matched. */
export type CallbackResult =
  | { kind: 'code'; params: URLSearchParams }
  | { kind: 'error'; error: string; description: string | null }
  | { kind: 'timeout' }
  | { kind: 'cancelled' };

export interface LoopbackOptions {
  /** The provider's name as the builder gave it ("Acme SSO"), for the pages the browser shows. */
  providerName: string;
  /** The redirect URI's host: the IP literal, or 'localhost' (then both 127.0.0.1 and ::1 listen). */
  host: '127.0.0.1' | 'localhost';
  /** 'any' for an ephemeral port, or the registered ports, tried in order. */
  ports: 'any' | number[];
  /** The redirect URI's path, e.g. /callback/google. */
  path: string;
  state: string;
  timeoutMs: number;
}

export interface LoopbackListener {
  port: number;
  redirectUri: string;
  /** Settles once: the callback, an error reply, the timeout, or a cancel. */
  result: Promise<CallbackResult>;
  /**
   * Says how a sign-in that brought a code ended (the code exchanged and the tokens kept, or
   * not): only then does the browser get its page, so it never says "signed in" too early.
   */
  conclude(signedIn: boolean): void;
  /** Stops waiting (a newer sign-in, the dialog closed, the app quitting) and closes the port now. */
  cancel(): void;
  /** Resolves when every socket is closed and the port is free again. */
  closed: Promise<void>;
}

const STYLE = 'body{font:16px/1.5 system-ui,sans-serif;margin:4em auto;max-width:32em;color:#1c1e24}h1{font-size:1.3em}';
const CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;
/** Every page the loopback serves carries these: nothing external, no referrer, nothing cached. */
const PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': CSP,
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
};
/** How long the clean page stays available once its outcome is known. */
const PAGE_GRACE_MS = 5_000;
/** The longest an exchange may keep the port open (its request times out at 30 s): then it closes. */
const CONCLUDE_WITHIN_MS = 60_000;

/** What the clean page after the callback says: only what is known. */
type Page = 'signed-in' | 'not-completed' | 'cancelled' | 'replaced' | 'unknown';

/** Wrong-state callbacks a flow tolerates before it stops reading them (a page may be probing). */
const MAX_BAD_CALLBACKS = 20;

/**
 * The RFC 8252 loopback redirect for one authorization: listens on the loopback interface only,
 * on an ephemeral (or registered) port, for exactly one callback on its path whose `state`
 * matches. A wrong state, path or host is refused and the flow keeps waiting; the right one is
 * answered with a redirect to a clean page (so no code stays in the browser's history), after
 * which nothing more is accepted. After a code, that page waits until `conclude` says whether
 * the exchange succeeded. It closes at the timeout, on cancel, and after its page.
 */
export async function listenForCallback(options: LoopbackOptions): Promise<LoopbackListener> {
  let settle!: (result: CallbackResult) => void;
  const result = new Promise<CallbackResult>((resolve) => (settle = resolve));
  let done = false;
  let badCallbacks = 0;
  /** What the clean page says: unknown while the code is being exchanged (its requests wait). */
  let page: Page | 'pending' | null = null;
  const waitingForPage: ServerResponse[] = [];
  const servers: Server[] = [];
  let port = 0;

  const finish = (outcome: CallbackResult) => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    settle(outcome);
    // A code: the port stays open for the clean page until the exchange is over (see conclude).
    if (outcome.kind === 'code') {
      // Never told (a bug): say only that the outcome is in the app, and close.
      const fallback = setTimeout(() => showPage('unknown', PAGE_GRACE_MS), CONCLUDE_WITHIN_MS);
      fallback.unref();
    }
    // An error reply: the browser is about to ask for its page; after that (or a moment), the port closes.
    else closeSoon(outcome.kind === 'error' ? PAGE_GRACE_MS : 0);
  };

  /** The outcome is known: every request waiting for the clean page gets it, and the port closes soon. */
  const showPage = (outcome: Page, closeAfterMs: number) => {
    if (page !== 'pending') return;
    page = outcome;
    for (const response of waitingForPage.splice(0)) if (!response.destroyed) sendPage(response, outcome, options.providerName);
    closeSoon(closeAfterMs);
  };

  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const url = parseTarget(request.url);
    if (request.method !== 'GET' || !url)
      return send(response, 400, 'Not a sign-in reply', 'Agent Keyring did not understand this request.');
    // A reply reaching another host name or path was not sent to the redirect URI Agent Keyring registered.
    if (!hostMatches(request.headers.host, options.host, port))
      return send(response, 400, 'Wrong address', 'This reply did not come to the address Agent Keyring is waiting on.');
    if (url.pathname === '/done' && page !== null) {
      // The exchange is still running: the answer waits for its outcome (the browser shows it loading).
      if (page === 'pending') {
        if (waitingForPage.length >= MAX_BAD_CALLBACKS) return request.socket.destroy();
        return void waitingForPage.push(response);
      }
      closeSoon(200);
      return sendPage(response, page, options.providerName);
    }
    if (url.pathname !== options.path) return send(response, 404, 'Not found', 'Nothing here.');
    if (done)
      return send(
        response,
        410,
        'Sign-in already finished',
        'This sign-in has finished or expired. Start again from Agent Keyring if you need to.',
      );
    const state = url.searchParams.get('state');
    if (!sameSecret(state, options.state)) {
      badCallbacks += 1;
      if (badCallbacks > MAX_BAD_CALLBACKS) return request.socket.destroy();
      return send(
        response,
        400,
        'Not this sign-in',
        'This reply is not for the sign-in Agent Keyring is waiting for. Agent Keyring is still waiting.',
      );
    }
    const error = url.searchParams.get('error');
    // An error reply is an outcome already; a code is not one until it has been exchanged.
    page = error ? (error === 'access_denied' ? 'cancelled' : 'not-completed') : 'pending';
    // A 303 to a clean page: the address with the code does not stay in the browser's history.
    response.writeHead(303, { ...PAGE_HEADERS, Location: '/done' }).end();
    if (error) finish({ kind: 'error', error, description: url.searchParams.get('error_description') });
    else finish({ kind: 'code', params: url.searchParams });
  };

  const onRequest = (request: IncomingMessage, response: ServerResponse) => {
    try {
      handle(request, response);
    } catch {
      if (!response.headersSent) send(response, 500, 'Error', 'Something went wrong.');
      else response.destroy();
    }
  };

  port = await bind(options, servers, onRequest);
  const timer = setTimeout(() => finish({ kind: 'timeout' }), options.timeoutMs);
  timer.unref();

  let closeTimer: NodeJS.Timeout | undefined;
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  function closeSoon(afterMs: number) {
    clearTimeout(closeTimer);
    closeTimer = setTimeout(() => {
      void Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.close(() => resolve());
              server.closeAllConnections();
            }),
        ),
      ).then(resolveClosed);
    }, afterMs);
    closeTimer.unref();
  }

  return {
    port,
    redirectUri: `http://${options.host}:${port}${options.path}`,
    result,
    conclude: (signedIn) => showPage(signedIn ? 'signed-in' : 'not-completed', PAGE_GRACE_MS),
    cancel: () => {
      if (!done) finish({ kind: 'cancelled' });
      else if (page === 'pending') showPage('replaced', 200);
      else closeSoon(0);
    },
    closed,
  };
}

/** Listens on the loopback address(es) only: the first free port of the list, or one the OS picks. */
async function bind(
  options: LoopbackOptions,
  servers: Server[],
  onRequest: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<number> {
  const addresses = options.host === 'localhost' ? ['127.0.0.1', '::1'] : ['127.0.0.1'];
  const candidates = options.ports === 'any' ? [0] : options.ports;
  for (const candidate of candidates) {
    const started: Server[] = [];
    try {
      let port = candidate;
      for (const address of addresses) {
        const server = createServer(onRequest);
        // A failed accept, a reset socket: never the end of the app.
        server.on('clientError', (_error, socket) => socket.destroy());
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen({ port, host: address, ipv6Only: address === '::1' }, () => {
            server.off('error', reject);
            server.on('error', () => undefined);
            resolve();
          });
        });
        started.push(server);
        port = (server.address() as { port: number }).port;
      }
      servers.push(...started);
      return port;
    } catch (error) {
      for (const server of started) server.close();
      // ::1 may be missing (no IPv6): 127.0.0.1 alone still serves http://localhost in practice.
      if (addresses.length > 1 && started.length === 1 && (error as NodeJS.ErrnoException).code === 'EADDRNOTAVAIL') {
        servers.push(started[0]!);
        return (started[0]!.address() as { port: number }).port;
      }
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    }
  }
  throw new AppError(
    'conflict',
    candidates.length === 1
      ? `Port ${candidates[0]}, the fixed port of ${options.providerName}'s redirect URI, is in use by another program, so the sign-in cannot start. Close that program, or choose another port for ${options.providerName} (and register its new redirect URI there).`
      : `The ports ${options.providerName} accepts for its sign-in reply (${candidates.join(', ')}) are all in use by other programs. Close them and try again.`,
  );
}

function sendPage(response: ServerResponse, page: Page, providerName: string): void {
  switch (page) {
    case 'signed-in':
      return send(response, 200, `Signed in to ${providerName}`, 'You can close this tab and return to Agent Keyring.');
    case 'cancelled':
      return send(
        response,
        200,
        'Sign-in cancelled',
        `The sign-in was cancelled at ${providerName}. Nothing was linked. Return to Agent Keyring to try again.`,
      );
    case 'not-completed':
      return send(
        response,
        200,
        'Sign-in could not be completed',
        `The sign-in to ${providerName} could not be completed, and nothing was linked. Return to Agent Keyring to see why and to try again.`,
      );
    case 'unknown':
      return send(response, 200, 'Return to Agent Keyring', 'Agent Keyring shows whether the sign-in completed.');
    case 'replaced':
      return send(
        response,
        200,
        'Sign-in stopped',
        'Agent Keyring stopped this sign-in (a newer one started, or it was cancelled). Return to Agent Keyring.',
      );
  }
}

function send(response: ServerResponse, status: number, title: string, text: string): void {
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} – Agent Keyring</title><style>${STYLE}</style></head><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></body></html>`;
  response.writeHead(status, { ...PAGE_HEADERS, 'Content-Length': Buffer.byteLength(body) }).end(body);
}

/** The provider's name is the builder's text: shown as text, never as markup. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function parseTarget(target: string | undefined): URL | undefined {
  if (target === undefined || !target.startsWith('/')) return undefined;
  try {
    return new URL(`http://loopback.invalid${target}`);
  } catch {
    return undefined;
  }
}

function hostMatches(host: string | undefined, expected: string, port: number): boolean {
  return host !== undefined && host.toLowerCase() === `${expected}:${port}`;
}

/** Constant-time comparison of the returned state with the one sent. */
function sameSecret(given: string | null, expected: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
