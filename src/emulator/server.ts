// The emulator's HTTP server: node:http only, loopback only. Every request first passes the
// Host/Origin gate (any web page can reach a loopback port); /v1 requests then go through stats,
// faults, auth and permissions to the routes; /_emulator/* are control endpoints for tests in
// other processes, unless turned off.
import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { isIPv4 } from 'node:net';
import { ApiError, InvalidFieldError, apiError, invalidApiKey, missingPermission } from './errors';
import { FaultBook, faultError, malformedBody, parseFaultSpec } from './faults';
import { parseEmulatorKey, parseSeed } from './keys';
import { type RouteMatch, matchRoute } from './routes';
import { buildSeed, workspaceIdForKey } from './seeds';
import { AUTH_CONNECTION_STATUSES } from './auth-connections';
import {
  type AuthConnectionStatusChange,
  type AuthConnectionUser,
  EMULATOR_PERMISSIONS,
  type EmulatorKey,
  type EmulatorLog,
  type EmulatorLogFields,
  type EmulatorOptions,
  type EmulatorPermission,
  type EmulatorSeed,
  type EmulatorStats,
  type FaultSpec,
  type RunningEmulator,
} from './types';
import { ValidationError, isPlainObject, issues } from './validation';
import { WorkspaceState, type WorkspaceStateOptions } from './workspace-state';

export type {
  EmulatorKey,
  EmulatorLog,
  EmulatorLogFields,
  EmulatorOptions,
  EmulatorPermission,
  EmulatorSeed,
  FaultSpec,
  RunningEmulator,
} from './types';

/** The key `npm run emulator` serves when none is given (and startEmulator when `keys` is omitted). */
export const DEFAULT_EMULATOR_KEY = 'sk_emulator_demo';

const MAX_BODY_BYTES = 1024 * 1024;
const BODY_METHODS = new Set(['POST', 'PATCH', 'PUT']);
const CONTROL_PREFIX = '/_emulator/';

interface Workspace {
  state: WorkspaceState;
  permissions: ReadonlySet<EmulatorPermission>;
}

interface ReadBody {
  text: string;
  tooLarge: boolean;
}

// ---- options -----------------------------------------------------------------------------------

/** The emulator must never be reachable from another machine. */
function loopbackHost(host: string): string {
  if (host === 'localhost') return '127.0.0.1';
  if ((isIPv4(host) && host.startsWith('127.')) || host === '::1') return host;
  throw new InvalidFieldError('host', `${JSON.stringify(host)} is not a loopback address (use 127.0.0.1 or ::1)`);
}

function checkPort(port: number): number {
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidFieldError('port', `expected an integer from 0 to 65535, got ${port}`);
  }
  return port;
}

function checkInUseDeleteStatus(status: number): number {
  if (!Number.isInteger(status) || status < 400 || status > 499) {
    throw new InvalidFieldError('inUseDeleteStatus', `expected a 4xx status, got ${status}`);
  }
  return status;
}

/** The default log: one line on stderr, fields as name=value. */
function stderrLog(message: string, fields: EmulatorLogFields = {}): void {
  const pairs = Object.entries(fields).map(([name, value]) => {
    const text = String(value);
    return `${name}=${/\s/.test(text) ? JSON.stringify(text) : text}`;
  });
  process.stderr.write(`${[message, ...pairs].join(' ')}\n`);
}

/** Only the class of the error: its message or properties may carry request data. */
function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

// ---- who may ask -------------------------------------------------------------------------------

/** Host header values that name this server: its own address or localhost, with its port. */
function ownAuthorities(host: string, port: number): Set<string> {
  const names = [host.includes(':') ? `[${host}]` : host, 'localhost'];
  const authorities = names.map((name) => `${name}:${port}`);
  // Clients leave out the default port.
  if (port === 80) authorities.push(...names);
  return new Set(authorities);
}

/** Origin-form targets only ("/path?query"); an absolute-form one could name any host. */
function requestUrl(target: string | undefined): URL | undefined {
  if (target === undefined || !target.startsWith('/')) return undefined;
  try {
    return new URL(`http://emulator.invalid${target}`);
  } catch {
    return undefined;
  }
}

function isJsonContent(req: IncomingMessage): boolean {
  return req.headers['content-type']?.split(';')[0]?.trim().toLowerCase() === 'application/json';
}

// ---- replies -----------------------------------------------------------------------------------

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-request-id': randomUUID(),
  });
  res.end(text);
}

function sendNoContent(res: ServerResponse): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(204, { 'x-request-id': randomUUID() });
  res.end();
}

function sendApiError(res: ServerResponse, error: ApiError): void {
  sendJson(res, error.status, error.body, error.headers);
}

function sendControlError(res: ServerResponse, error: InvalidFieldError): void {
  sendJson(res, 400, { detail: { status: 'invalid_request', field: error.field, message: error.message } });
}

async function readBody(req: IncomingMessage): Promise<ReadBody> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    // Keep draining so the reply can still be sent, but stop keeping what arrives.
    if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
  }
  return { text: Buffer.concat(chunks).toString('utf8'), tooLarge: size > MAX_BODY_BYTES };
}

/** Resolves true after `ms`, or false as soon as the client goes away (the reply is then dropped). */
function waitUnlessClosed(res: ServerResponse, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const onClose = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      res.off('close', onClose);
      resolve(true);
    }, ms);
    res.once('close', onClose);
  });
}

function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ValidationError([issues.jsonInvalid(error instanceof Error ? error.message : 'invalid JSON')]);
  }
}

// ---- the emulator ------------------------------------------------------------------------------

class Emulator {
  readonly faults = new FaultBook();
  private readonly workspaces = new Map<string, Workspace>();
  private requestCount = 0;
  private readonly byRoute: Record<string, number> = {};

  private authorities = new Set<string>();
  private origins = new Set<string>();

  constructor(
    private readonly defaultSeed: EmulatorSeed,
    private readonly stateOptions: WorkspaceStateOptions,
    private readonly controlEndpoints: boolean,
    private readonly log: EmulatorLog,
  ) {}

  /** Until this is called every request is refused (none can arrive before listen anyway). */
  listeningAt(host: string, port: number): void {
    this.authorities = ownAuthorities(host, port);
    this.origins = new Set([...this.authorities].map((authority) => `http://${authority}`));
  }

  addKey(input: EmulatorKey): void {
    const key = parseEmulatorKey(input);
    if (this.workspaces.has(key.key)) return;
    const seed = key.seed ?? this.defaultSeed;
    this.workspaces.set(key.key, {
      state: new WorkspaceState(buildSeed(seed, key.key), this.stateOptions),
      permissions: new Set(key.permissions ?? EMULATOR_PERMISSIONS),
    });
  }

  secretsOf(key: string): { id: string; name: string; valueLength: number }[] {
    return this.workspaces.get(key)?.state.secretList() ?? [];
  }

  injectFault(fault: FaultSpec): void {
    this.faults.add(parseFaultSpec(fault));
  }

  private stateOf(key: unknown): WorkspaceState {
    const workspace = typeof key === 'string' ? this.workspaces.get(key) : undefined;
    if (workspace === undefined) throw new InvalidFieldError('key', 'no workspace has this key');
    return workspace.state;
  }

  /** Control calls name a connection that must exist; a missing one is the caller's field error. */
  private withConnection<T>(key: unknown, id: unknown, run: (state: WorkspaceState, id: string) => T): T {
    const state = this.stateOf(key);
    if (typeof id !== 'string') throw new InvalidFieldError('authConnectionId', 'expected a string');
    try {
      return run(state, id);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) throw new InvalidFieldError('authConnectionId', 'no such auth connection');
      throw error;
    }
  }

  addAuthConnectionUser(key: string, user: AuthConnectionUser): string {
    const fields = controlFields(user, ['authConnectionId', 'kind', 'name', 'accessible']);
    if (fields.kind !== 'tool' && fields.kind !== 'mcp_server') throw new InvalidFieldError('kind', 'expected "tool" or "mcp_server"');
    if (typeof fields.name !== 'string' || fields.name === '') throw new InvalidFieldError('name', 'expected a non-empty string');
    if (fields.accessible !== undefined && typeof fields.accessible !== 'boolean')
      throw new InvalidFieldError('accessible', 'expected a boolean');
    const { kind, name } = fields;
    return this.withConnection(key, fields.authConnectionId, (state, id) =>
      state.addAuthConnectionUser(id, kind, name, fields.accessible !== false, new Date()),
    );
  }

  setAuthConnectionStatus(key: string, change: AuthConnectionStatusChange): void {
    const fields = controlFields(change, ['authConnectionId', 'status', 'statusDetail']);
    const status = AUTH_CONNECTION_STATUSES.find((known) => known === fields.status);
    if (status === undefined) throw new InvalidFieldError('status', `expected one of ${AUTH_CONNECTION_STATUSES.join(', ')}`);
    if (fields.statusDetail !== undefined && typeof fields.statusDetail !== 'string') {
      throw new InvalidFieldError('statusDetail', 'expected a string');
    }
    const detail = fields.statusDetail as string | undefined;
    this.withConnection(key, fields.authConnectionId, (state, id) => state.setAuthConnectionStatus(id, status, detail, new Date()));
  }

  authConnectionCredentials(key: string, authConnectionId: string): Record<string, string> {
    return this.withConnection(key, authConnectionId, (state, id) => state.authConnectionCredentialDigests(id));
  }

  stats(): EmulatorStats {
    return { requests: this.requestCount, byRoute: { ...this.byRoute } };
  }

  get keyCount(): number {
    return this.workspaces.size;
  }

  /** Never rejects unless the log itself throws: every failure becomes a reply. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const method = (req.method ?? 'GET').toUpperCase();
      const url = requestUrl(req.url);
      if (url === undefined) return sendApiError(res, apiError(400, 'invalid_request', 'Expected a request path.'));
      // Refused before the body is read: a refused request costs nothing.
      const refusal = this.refusal(req, method, url.pathname);
      if (refusal !== undefined) return sendApiError(res, refusal);
      const body = await readBody(req);
      if (url.pathname.startsWith(CONTROL_PREFIX)) {
        this.handleControl(method, url.pathname, body, res);
      } else if (url.pathname.startsWith('/v1/')) {
        await this.handleApi(req, res, method, url, body);
      } else {
        sendApiError(res, apiError(404, 'not_found', `No route matches ${method} ${url.pathname}.`));
      }
    } catch (error) {
      // A client that went away mid-request is not an error worth reporting.
      if (!res.destroyed) this.failed(res, error, '(request)');
    }
  }

  /**
   * What a web page could send: a DNS-rebound Host, another site's Origin, or a text/plain POST
   * (a form or no-cors fetch, which needs no preflight). The SDK in Node sends no Origin.
   */
  private refusal(req: IncomingMessage, method: string, pathname: string): ApiError | undefined {
    if (!this.authorities.has(req.headers.host?.toLowerCase() ?? '')) {
      return apiError(421, 'misdirected_request', 'This server answers only for its own loopback address and port.');
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !this.origins.has(origin.toLowerCase())) {
      return apiError(403, 'forbidden_origin', 'Requests from web pages of other origins are refused.');
    }
    if (!pathname.startsWith(CONTROL_PREFIX)) return undefined;
    // Off: indistinguishable from a path that never existed.
    if (!this.controlEndpoints) return apiError(404, 'not_found', `No route matches ${method} ${pathname}.`);
    if (method === 'POST' && !isJsonContent(req)) {
      return apiError(415, 'unsupported_media_type', 'Control endpoints accept only application/json.');
    }
    return undefined;
  }

  /** Logs names only (never the error's message, the body, headers or query) and answers 500. */
  private failed(res: ServerResponse, error: unknown, route: string): void {
    this.log('emulator: unexpected error', { error: errorName(error), route, status: 500 });
    sendApiError(res, apiError(500, 'internal_error', 'An internal error occurred.'));
  }

  private async handleApi(req: IncomingMessage, res: ServerResponse, method: string, url: URL, body: ReadBody): Promise<void> {
    const match = matchRoute(method, url.pathname);
    const routeKey = match.kind === 'route' ? `${method} ${match.route.pattern}` : `${method} (unmatched)`;
    this.count(routeKey);
    const apiKey = req.headers['xi-api-key'];
    const keyHeader = typeof apiKey === 'string' ? apiKey : undefined;

    const fault = this.faults.take({ method, path: url.pathname, apiKey: keyHeader });
    if (fault?.delayMs !== undefined && !(await waitUnlessClosed(res, fault.delayMs))) return;
    if (fault?.status !== undefined && fault.afterHandling !== true)
      return sendApiError(res, faultError({ ...fault, status: fault.status }));
    if (fault?.malformed === true) return sendJson(res, 200, malformedBody(routeKey));

    try {
      const reply = this.routeReply(match, method, url, keyHeader, body);
      // The request took effect; the client is told otherwise.
      if (fault?.status !== undefined) return sendApiError(res, faultError({ ...fault, status: fault.status }));
      if (reply.body === undefined) sendNoContent(res);
      else sendJson(res, reply.status, reply.body);
    } catch (error) {
      if (error instanceof ApiError) return sendApiError(res, error);
      this.failed(res, error, routeKey);
    }
  }

  private routeReply(match: RouteMatch, method: string, url: URL, apiKey: string | undefined, body: ReadBody) {
    if (match.kind === 'none') throw apiError(404, 'not_found', `No route matches ${method} ${url.pathname}.`);
    if (match.kind === 'wrong_method') {
      const detail = { status: 'method_not_allowed', message: 'Method Not Allowed' };
      throw new ApiError(405, detail, { allow: match.allowed.join(', ') });
    }
    const workspace = apiKey === undefined ? undefined : this.workspaces.get(apiKey);
    if (workspace === undefined) throw invalidApiKey();
    if (!workspace.permissions.has(match.route.permission)) throw missingPermission(match.route.permission);
    if (body.tooLarge) {
      throw apiError(413, 'payload_too_large', `The request body is larger than ${MAX_BODY_BYTES} bytes.`);
    }
    return match.route.handle({
      state: workspace.state,
      params: match.params,
      query: url.searchParams,
      body: BODY_METHODS.has(method) ? parseJsonBody(body.text) : undefined,
      now: new Date(),
    });
  }

  private count(routeKey: string): void {
    this.requestCount += 1;
    this.byRoute[routeKey] = (this.byRoute[routeKey] ?? 0) + 1;
  }

  private handleControl(method: string, pathname: string, body: ReadBody, res: ServerResponse): void {
    try {
      const reply = this.controlReply(`${method} ${pathname}`, body);
      if (reply === undefined) sendApiError(res, apiError(404, 'not_found', `No control endpoint ${method} ${pathname}.`));
      else sendJson(res, 200, reply);
    } catch (error) {
      if (error instanceof InvalidFieldError) return sendControlError(res, error);
      this.failed(res, error, `${method} ${CONTROL_PREFIX}*`);
    }
  }

  private controlReply(endpoint: string, body: ReadBody): unknown {
    const json = (): unknown => {
      try {
        return JSON.parse(body.text);
      } catch {
        throw new InvalidFieldError('body', 'expected a JSON object');
      }
    };
    switch (endpoint) {
      case 'POST /_emulator/faults':
        this.injectFault(json() as FaultSpec);
        return { ok: true };
      case 'DELETE /_emulator/faults':
        this.faults.clear();
        return { ok: true };
      case 'POST /_emulator/keys': {
        const key = parseEmulatorKey(json());
        this.addKey(key);
        return { ok: true, workspace_id: workspaceIdForKey(key.key) };
      }
      case 'POST /_emulator/auth-connection-users': {
        const { key, ...user } = controlFields(json(), ['key', 'authConnectionId', 'kind', 'name', 'accessible']);
        return { ok: true, id: this.addAuthConnectionUser(key as string, user as unknown as AuthConnectionUser) };
      }
      case 'POST /_emulator/auth-connection-status': {
        const { key, ...change } = controlFields(json(), ['key', 'authConnectionId', 'status', 'statusDetail']);
        this.setAuthConnectionStatus(key as string, change as unknown as AuthConnectionStatusChange);
        return { ok: true };
      }
      case 'POST /_emulator/auth-connection-credentials': {
        const { key, authConnectionId } = controlFields(json(), ['key', 'authConnectionId']);
        return { sha256: this.authConnectionCredentials(key as string, authConnectionId as string) };
      }
      case 'GET /_emulator/stats':
        return this.stats();
      case 'GET /_emulator/health':
        return { status: 'ok', keys: this.keyCount };
      default:
        return undefined;
    }
  }
}

/** A control body: a JSON object with only the named fields (an unknown one is named back). */
function controlFields(value: unknown, allowed: string[]): Record<string, unknown> {
  if (!isPlainObject(value)) throw new InvalidFieldError('body', 'expected a JSON object');
  const unknownField = Object.keys(value).find((field) => !allowed.includes(field));
  if (unknownField !== undefined) throw new InvalidFieldError(unknownField, 'unknown field');
  return value;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host }, () => {
      server.off('error', reject);
      const address = server.address();
      if (address === null || typeof address === 'string') reject(new Error('emulator: no TCP address'));
      else resolve(address.port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    // Errors only mean "already closed".
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = loopbackHost(options.host ?? '127.0.0.1');
  const port = checkPort(options.port ?? 0);
  const emulator = new Emulator(
    parseSeed(options.seed ?? 'demo'),
    {
      caseSensitiveSearch: options.caseSensitiveSearch ?? true,
      inUseDeleteStatus: checkInUseDeleteStatus(options.inUseDeleteStatus ?? 400),
    },
    options.controlEndpoints ?? true,
    options.log ?? stderrLog,
  );
  for (const key of options.keys ?? [{ key: DEFAULT_EMULATOR_KEY }]) emulator.addKey(key);

  const server = createServer((req, res) => {
    // Only a throwing log gets here; drop the request rather than the process.
    emulator.handle(req, res).catch(() => res.destroy());
  });
  const actualPort = await listen(server, port, host);
  // Once listening, errors are per connection (an accept failing under EMFILE): keep serving.
  server.on('error', () => {});
  emulator.listeningAt(host, actualPort);
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${actualPort}`,
    port: actualPort,
    addKey: (key) => emulator.addKey(key),
    injectFault: (fault) => emulator.injectFault(fault),
    clearFaults: () => emulator.faults.clear(),
    stats: () => emulator.stats(),
    secretsOf: (key) => emulator.secretsOf(key),
    addAuthConnectionUser: (key, user) => emulator.addAuthConnectionUser(key, user),
    setAuthConnectionStatus: (key, change) => emulator.setAuthConnectionStatus(key, change),
    authConnectionCredentials: (key, id) => emulator.authConnectionCredentials(key, id),
    close: () => closeServer(server),
  };
}
