import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { build } from 'esbuild';
import { WebSocketServer, type WebSocket } from 'ws';
import { createDomain, type Domain, type DomainOptions } from '../main/app/composition';
import { CONTENT_SECURITY_POLICY } from '../main/electron/csp';

export interface PreviewOptions {
  port: number;
  dataDir: string;
  /** The built renderer (electron-vite's out/renderer). */
  rendererDir: string;
  keychainService?: string;
  api?: DomainOptions['api'];
  version: string;
}

export interface RunningPreview {
  /** Open this; it carries the run's token in the fragment. */
  url: string;
  origin: string;
  domain: Domain;
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
  });

  const server = http.createServer((request, response) => serveFile(request, response, options.rendererDir, bridge));
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  let origin = '';
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', origin);
    if (url.pathname !== '/__preview/socket' || request.headers.origin !== origin || !sameToken(url.searchParams.get('token'), token)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => bridgeSocket(ws, domain));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', resolve);
  });
  const { port } = server.address() as { port: number };
  origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/#token=${token}`,
    origin,
    domain,
    async close() {
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
  ws.on('message', async (raw) => {
    let message: { id?: unknown; channel?: unknown; request?: unknown };
    try {
      message = JSON.parse(String(raw)) as typeof message;
    } catch {
      return;
    }
    if (typeof message.id !== 'number') return;
    const reply = await domain.dispatch(String(message.channel), message.request);
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id: message.id, reply }));
  });
}

function serveFile(request: http.IncomingMessage, response: http.ServerResponse, rendererDir: string, bridge: string): void {
  const headers = {
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  };
  const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
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

function sameToken(given: string | null, expected: string): boolean {
  if (!given || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}
