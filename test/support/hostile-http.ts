import { once } from 'node:events';
import net from 'node:net';
import { WebSocket, type RawData } from 'ws';

// Test-only clients that send what well-behaved ones refuse to: malformed request targets, any
// Host header, oversized or garbled WebSocket frames. Used to prove a loopback server survives.

export interface RawHttpReply {
  /** e.g. 'HTTP/1.1 400 Bad Request'; '' when the server closed without a reply. */
  statusLine: string;
  /** 0 when the server closed without a reply. */
  status: number;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  /** The body, de-chunked. */
  body: string;
}

export interface RawHttpRequest {
  method?: string;
  /** Sent as is, e.g. '/%' or 'http://[' (no encoding, no checks). */
  target: string;
  /** The Host header, as is; null sends none. */
  host: string | null;
  headers?: Record<string, string>;
  body?: string;
  /** Rejects when the server neither answers nor closes in time (default 10 s). */
  timeoutMs?: number;
}

/**
 * Sends one HTTP/1.1 request over a plain TCP socket and reads until the server closes it (or,
 * for a 101, until the head is complete).
 */
export function rawHttpRequest(port: number, request: RawHttpRequest): Promise<RawHttpReply> {
  const lines = [`${request.method ?? 'GET'} ${request.target} HTTP/1.1`];
  if (request.host !== null) lines.push(`Host: ${request.host}`);
  const headers: Record<string, string> = { connection: 'close', ...request.headers };
  if (request.body !== undefined) headers['content-length'] = String(Buffer.byteLength(request.body));
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  const text = `${lines.join('\r\n')}\r\n\r\n${request.body ?? ''}`;

  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(text));
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(parseReply(Buffer.concat(chunks).toString('latin1')));
    };
    socket.setTimeout(request.timeoutMs ?? 10_000, () => {
      settled = true;
      socket.destroy();
      reject(new Error(`no reply to ${request.method ?? 'GET'} ${request.target} in time`));
    });
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      // A switched protocol never closes on its own.
      const head = Buffer.concat(chunks).toString('latin1');
      if (head.startsWith('HTTP/1.1 101') && head.includes('\r\n\r\n')) finish();
    });
    socket.on('end', finish);
    socket.on('close', finish);
    // A reset after the reply still counts as the reply.
    socket.on('error', finish);
  });
}

function parseReply(text: string): RawHttpReply {
  const headEnd = text.indexOf('\r\n\r\n');
  if (text === '' || headEnd === -1) return { statusLine: text.split('\r\n')[0] ?? '', status: 0, headers: {}, body: '' };
  const [statusLine = '', ...headerLines] = text.slice(0, headEnd).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = text.slice(headEnd + 4);
  if (headers['transfer-encoding']?.toLowerCase() === 'chunked') body = dechunk(body);
  return { statusLine, status: Number(statusLine.split(' ')[1] ?? 0), headers, body: Buffer.from(body, 'latin1').toString('utf8') };
}

function dechunk(text: string): string {
  let out = '';
  let rest = text;
  for (;;) {
    const lineEnd = rest.indexOf('\r\n');
    if (lineEnd === -1) return out;
    const size = parseInt(rest.slice(0, lineEnd), 16);
    if (!(size > 0)) return out;
    out += rest.slice(lineEnd + 2, lineEnd + 2 + size);
    rest = rest.slice(lineEnd + 2 + size + 2);
  }
}

/** A WebSocket handshake request sent raw, so any Host, Origin or token can be tried. */
export function rawUpgradeRequest(
  port: number,
  request: { target: string; host: string | null; origin?: string; timeoutMs?: number },
): Promise<RawHttpReply> {
  const headers: Record<string, string> = {
    connection: 'Upgrade',
    upgrade: 'websocket',
    'sec-websocket-version': '13',
    'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
  };
  if (request.origin !== undefined) headers.origin = request.origin;
  return rawHttpRequest(port, { target: request.target, host: request.host, headers, timeoutMs: request.timeoutMs });
}

/** Opens a WebSocket and waits until it is open; rejects with the refusal's status otherwise. */
export async function openWebSocket(url: string, options: { origin?: string } = {}): Promise<WebSocket> {
  const ws = new WebSocket(url, { origin: options.origin });
  // Frames the server refuses may reset the connection; the test looks at 'close' instead.
  ws.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_request, response) => reject(new Error(`socket refused with ${response.statusCode}`)));
    ws.once('close', () => reject(new Error('socket closed before it opened')));
  });
  return ws;
}

/** Resolves with the close code once the socket has closed (either side). */
export async function closed(ws: WebSocket): Promise<number> {
  if (ws.readyState === WebSocket.CLOSED) return 1006;
  const [code] = (await once(ws, 'close')) as [number, Buffer];
  return code;
}

/** The next message that satisfies `match`, parsed as JSON; others (events, say) are skipped. */
export function nextJsonMessage(ws: WebSocket, match: (message: unknown) => boolean = () => true): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const onMessage = (data: RawData) => {
      let message: unknown;
      try {
        message = JSON.parse(String(data));
      } catch {
        return;
      }
      if (!match(message)) return;
      cleanup();
      resolve(message);
    };
    const onClose = (code: number) => {
      cleanup();
      reject(new Error(`socket closed (${code}) before the expected message`));
    };
    const cleanup = () => {
      ws.off('message', onMessage);
      ws.off('close', onClose);
    };
    ws.on('message', onMessage);
    ws.on('close', onClose);
  });
}
