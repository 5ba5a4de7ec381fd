import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { build } from 'esbuild';
import { WebSocketServer, type WebSocket } from 'ws';
import { createDomain, type Domain, type DomainOptions } from '../main/app/composition';
import { CONTENT_SECURITY_POLICY } from '../main/electron/csp';
import { codeCacheDirIn } from '../main/elevenlabs/api-host/protocol';
import { nodeHostLauncher } from '../main/elevenlabs/api-host/remote-gateway';
import { folderFileChooser } from '../main/ports/file-chooser';
import type { IpcReply } from '../shared/errors';
import { startBrokerServer } from '../main/broker/server';

export interface PreviewOptions {
  port: number;
  dataDir: string;
  /** The built renderer (electron-vite's out/renderer). */
  rendererDir: string;
  keychainService?: string;
  api?: DomainOptions['api'];
  /** How long an OAuth sign-in waits for the browser (default 5 minutes; E2E shortens it). */
  oauthFlowTimeoutMs?: number;
  version: string;
  /** The built API host (out/main/api-host.js), run as Electron runs it; default: the source, through tsx. */
  apiHostFile?: string;
  /**
   * Stands in for the backup Save and Open dialogs: backups are saved here and the newest one here
   * is opened (default: the data folder's `backups`). Two previews sharing it move a backup between them.
   */
  backupDir?: string;
  /** Where akr's socket goes (default: the data folder's `akr`, so previews side by side do not meet). */
  akrSocketDir?: string;
}

export interface RunningPreview {
  /** Open this; it carries the run's token in the fragment. */
  url: string;
  origin: string;
  domain: Domain;
  /** The folder of akr's socket: run akr with AKR_SOCKET_DIR set to it. */
  akrSocketDir: string;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/**
 * Runs the app's composition root in Node and serves the built renderer on 127.0.0.1, with
 * `window.keyring` bridged over a WebSocket. For development and tests only.
 */
export async function startPreview(options: PreviewOptions): Promise<RunningPreview> {
  const indexFile = path.join(options.rendererDir, 'index.html');
  if (!fs.existsSync(indexFile)) throw new Error(`No built renderer at ${options.rendererDir}; run "npm run build" first.`);
  const bridge = await bundleBridge();
  const token = randomBytes(32).toString('hex');
  const domain = createDomain({
    dataDir: options.dataDir,
    transport: 'preview',
    version: options.version,
    keychainService: options.keychainService,
    api: options.api,
    oauthFlowTimeoutMs: options.oauthFlowTimeoutMs,
    apiHost: options.apiHostFile
      ? nodeHostLauncher({ hostFile: options.apiHostFile, codeCacheDir: codeCacheDirIn(options.dataDir) })
      : undefined,
    backupFiles: options.backupDir ? folderFileChooser(options.backupDir) : undefined,
  });

  // The same socket server as the app's, so akr can be driven against this preview.
  const akrSocketDir = options.akrSocketDir ?? path.join(options.dataDir, 'akr');
  const broker = await startBrokerServer(domain.broker, { socketDir: akrSocketDir, log: domain.log, redactor: domain.redactor });

  let port = 0;
  let origin = '';
  const server = http.createServer((request, response) => {
    // Any throw here would take the whole process (and the user's session) down with it.
    try {
      if (!isOwnHost(request.headers.host, port)) {
        sendText(response, 421, 'Misdirected request');
        return;
      }
      if (parseTarget(request.url)?.pathname === '/__preview/clipboard') {
        clipboardProbe(request, response, token, domain);
        return;
      }
      serveFile(request, response, options.rendererDir, bridge);
    } catch {
      if (response.headersSent) response.destroy();
      else sendText(response, 500, 'Internal error');
    }
  });
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  // Emitted only by a server that owns its HTTP server, but an unheard 'error' event is a crash.
  sockets.on('error', () => {});
  server.on('upgrade', (request, socket, head) => {
    // Node stops listening for errors on an upgraded socket; a reset before ws takes it would throw.
    const ignoreError = () => socket.destroy();
    socket.on('error', ignoreError);
    try {
      if (!isOwnHost(request.headers.host, port)) {
        socket.end('HTTP/1.1 421 Misdirected Request\r\nConnection: close\r\n\r\n');
        return;
      }
      const url = parseTarget(request.url);
      if (url?.pathname !== '/__preview/socket' || request.headers.origin !== origin || !sameToken(url.searchParams.get('token'), token)) {
        socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
        return;
      }
      socket.off('error', ignoreError);
      sockets.handleUpgrade(request, socket, head, (ws) => bridgeSocket(ws, domain));
    } catch {
      socket.destroy();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', resolve);
  });
  // Once listening, errors are per connection (an accept failing under EMFILE): keep serving.
  server.on('error', () => {});
  port = (server.address() as { port: number }).port;
  origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/#token=${token}`,
    origin,
    domain,
    akrSocketDir,
    async close() {
      await broker.close();
      for (const client of sockets.clients) client.terminate();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await domain.close();
    },
  };
}

function bridgeSocket(ws: WebSocket, domain: Domain): void {
  const unsubscribe = domain.events.subscribe((event, payload) => ws.send(JSON.stringify({ event, payload })));
  ws.on('close', unsubscribe);
  // ws emits 'error' for a frame over maxPayload or a broken frame, and closes the socket itself;
  // without a listener the process would die.
  ws.on('error', () => {});
  ws.on('message', (raw) => {
    // An async listener's rejection would be unhandled; a socket we cannot answer is dropped.
    answer(ws, domain, String(raw)).catch(() => ws.terminate());
  });
}

/** Answers one frame; anything that is not `{id: integer, channel, request}` is ignored. */
async function answer(ws: WebSocket, domain: Domain, text: string): Promise<void> {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return;
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return;
  const { id, channel, request } = message as { id?: unknown; channel?: unknown; request?: unknown };
  if (!Number.isSafeInteger(id)) return;
  let reply: IpcReply<unknown>;
  try {
    // A non-string channel is dispatched as unknown, so the page gets an error instead of silence.
    reply = await domain.dispatch(typeof channel === 'string' ? channel : '', request);
  } catch {
    reply = { ok: false, error: { code: 'internal', message: 'Something went wrong inside Agent Keyring.' } };
  }
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id, reply }));
}

function serveFile(request: http.IncomingMessage, response: http.ServerResponse, rendererDir: string, bridge: string): void {
  const headers = {
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  };
  const pathname = decodedPath(request.url);
  if (pathname === undefined) {
    response.writeHead(400, { ...headers, 'Content-Type': 'text/plain' }).end('Bad request');
    return;
  }
  if (pathname === '/__preview/bridge.js') {
    response.writeHead(200, { ...headers, 'Content-Type': MIME['.js'] }).end(bridge);
    return;
  }
  const file = path.resolve(rendererDir, `.${pathname === '/' ? '/index.html' : pathname}`);
  if (!file.startsWith(path.resolve(rendererDir) + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
    response.writeHead(404, { ...headers, 'Content-Type': 'text/plain' }).end('Not found');
    return;
  }
  let body: Buffer | string = fs.readFileSync(file);
  if (file.endsWith('index.html')) {
    // The bridge must define window.keyring before the app's module script runs.
    body = body.toString('utf8').replace('<head>', '<head>\n    <script src="/__preview/bridge.js"></script>');
  }
  response.writeHead(200, { ...headers, 'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream' }).end(body);
}

async function bundleBridge(): Promise<string> {
  const result = await build({
    entryPoints: [path.join(__dirname, 'browser', 'bridge.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    target: 'es2022',
    platform: 'browser',
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

/**
 * For E2E tests, which cannot see the preview's clipboard (it lives in this process): whether it
 * holds anything, as a SHA-256, never the text. Needs the run's token, like the socket.
 */
function clipboardProbe(request: http.IncomingMessage, response: http.ServerResponse, token: string, domain: Domain): void {
  const given = request.headers['x-preview-token'];
  if (typeof given !== 'string' || !sameToken(given, token)) {
    sendText(response, 401, 'Unauthorized');
    return;
  }
  const text = domain.clipboard.read();
  const body = JSON.stringify({ sha256: text === '' ? null : createHash('sha256').update(text, 'utf8').digest('hex') });
  response.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(body);
}

function sendText(response: http.ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'Content-Type': 'text/plain', 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' }).end(text);
}

/**
 * DNS-rebinding defence: a page on evil.example whose name now resolves to 127.0.0.1 reaches this
 * port, but its requests still carry its own name in Host.
 */
function isOwnHost(host: string | undefined, port: number): boolean {
  if (host === undefined || port === 0) return false;
  const name = host.toLowerCase();
  return name === `127.0.0.1:${port}` || name === `localhost:${port}`;
}

/** Only origin-form targets ("/path?query"); an absolute or malformed one gives undefined. */
function parseTarget(target: string | undefined): URL | undefined {
  if (target === undefined || !target.startsWith('/')) return undefined;
  try {
    return new URL(`http://preview.invalid${target}`);
  } catch {
    return undefined;
  }
}

/** The percent-decoded path, or undefined when it is not valid UTF-8 percent-encoding. */
function decodedPath(target: string | undefined): string | undefined {
  const url = parseTarget(target);
  if (url === undefined) return undefined;
  try {
    return decodeURIComponent(url.pathname);
  } catch {
    return undefined;
  }
}

function sameToken(given: string | null, expected: string): boolean {
  if (given === null) return false;
  // timingSafeEqual throws on buffers of different lengths, and equal string lengths do not
  // mean equal byte lengths (64 × 'é' is 128 bytes).
  const givenBytes = Buffer.from(given, 'utf8');
  const expectedBytes = Buffer.from(expected, 'utf8');
  return givenBytes.length === expectedBytes.length && timingSafeEqual(givenBytes, expectedBytes);
}
