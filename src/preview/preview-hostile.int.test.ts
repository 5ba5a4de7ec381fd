import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearKeychainService, removeTempDirs, tempDir, testKeychainService } from '../../test/support/harness';
import { closed, nextJsonMessage, openWebSocket, rawHttpRequest, rawUpgradeRequest } from '../../test/support/hostile-http';
import { startPreview, type RunningPreview } from './server';

// The preview serves a page that holds a token able to drive the whole app, on a loopback port
// any web page can reach. Whatever arrives on that port must cost at most one reply or one socket.

const keychainService = testKeychainService();
let preview: RunningPreview;
let port: number;
let token: string;

beforeAll(async () => {
  const rendererDir = tempDir('agent-keyring-renderer-');
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><html><head></head><body></body></html>');
  preview = await startPreview({ port: 0, dataDir: tempDir(), rendererDir, keychainService, version: '0.0.0-test' });
  port = Number(new URL(preview.origin).port);
  token = new URLSearchParams(new URL(preview.url).hash.slice(1)).get('token') ?? '';
});

afterAll(async () => {
  await preview?.close();
  await clearKeychainService(keychainService);
  removeTempDirs();
});

const ownHost = () => `127.0.0.1:${port}`;
const socketUrl = (t: string) => `ws://127.0.0.1:${port}/__preview/socket?token=${encodeURIComponent(t)}`;

async function expectAppInfo(ws: Awaited<ReturnType<typeof openWebSocket>>, id: number): Promise<void> {
  const reply = nextJsonMessage(ws, (message) => (message as { id?: unknown }).id === id);
  ws.send(JSON.stringify({ id, channel: 'app:getInfo', request: {} }));
  expect(await reply).toEqual({ id, reply: { ok: true, data: expect.objectContaining({ transport: 'preview' }) } });
}

describe('preview server under hostile requests', () => {
  it('answers a malformed path with 400 instead of dying', async () => {
    const percent = await rawHttpRequest(port, { target: '/%', host: ownHost() });
    expect(percent.status).toBe(400);
    const truncated = await rawHttpRequest(port, { target: '/%E0%A4%A', host: ownHost() });
    expect(truncated.status).toBe(400);
    const absolute = await rawHttpRequest(port, { target: 'http://[', host: ownHost() });
    expect(absolute.status).toBe(400);
    // Still serving.
    const index = await rawHttpRequest(port, { target: '/', host: ownHost() });
    expect(index.status).toBe(200);
    expect(index.body).toContain('/__preview/bridge.js');
  });

  it('refuses a Host that is not its own (DNS rebinding), on requests and upgrades', async () => {
    const page = await rawHttpRequest(port, { target: '/', host: 'evil.example' });
    expect(page.status).toBe(421);
    expect(page.body).not.toContain('bridge.js');
    const rebound = await rawHttpRequest(port, { target: '/__preview/bridge.js', host: `evil.example:${port}` });
    expect(rebound.status).toBe(421);
    expect((await rawHttpRequest(port, { target: '/', host: null })).status).toBe(400);
    const upgrade = await rawUpgradeRequest(port, {
      target: `/__preview/socket?token=${token}`,
      host: 'evil.example',
      origin: 'http://evil.example',
    });
    expect(upgrade.status).toBe(421);
    // The right token and Origin do not make up for the wrong Host.
    const rebindWithToken = await rawUpgradeRequest(port, {
      target: `/__preview/socket?token=${token}`,
      host: `evil.example:${port}`,
      origin: preview.origin,
    });
    expect(rebindWithToken.status).toBe(421);
    // localhost is the same server.
    expect((await rawHttpRequest(port, { target: '/', host: `localhost:${port}` })).status).toBe(200);
  });

  it('refuses a token of the right length in characters but not in bytes', async () => {
    const multibyte = await rawUpgradeRequest(port, {
      target: `/__preview/socket?token=${encodeURIComponent('é'.repeat(64))}`,
      host: ownHost(),
      origin: preview.origin,
    });
    expect(multibyte.status).toBe(401);
    const foreignOrigin = await rawUpgradeRequest(port, {
      target: `/__preview/socket?token=${token}`,
      host: ownHost(),
      origin: 'http://evil.example',
    });
    expect(foreignOrigin.status).toBe(401);
    const badPath = await rawUpgradeRequest(port, { target: '/%', host: ownHost(), origin: preview.origin });
    expect(badPath.status).toBe(401);
  });

  it('closes only the socket that sent a frame over the limit', async () => {
    const bystander = await openWebSocket(socketUrl(token), { origin: preview.origin });
    const sender = await openWebSocket(socketUrl(token), { origin: preview.origin });
    const senderClosed = closed(sender);
    sender.send(Buffer.alloc(2 * 1024 * 1024, 0x61));
    // 1009: message too big; 1006 if the reset beat the close frame.
    expect([1006, 1009]).toContain(await senderClosed);
    await expectAppInfo(bystander, 7);
    bystander.close();
    await closed(bystander);
  });

  it('ignores frames that are not requests, and keeps the socket', async () => {
    const ws = await openWebSocket(socketUrl(token), { origin: preview.origin });
    for (const frame of ['not json', '{"id":"x"}', '[]', 'null', '42', '"text"', '{"id":1e400}']) ws.send(frame);
    ws.send(Buffer.from([0xff, 0xfe, 0x00]));
    // A request whose channel is not a string gets an error reply, not silence.
    const badChannel = nextJsonMessage(ws, (message) => (message as { id?: unknown }).id === 2);
    ws.send(JSON.stringify({ id: 2, channel: 5, request: {} }));
    expect(await badChannel).toMatchObject({ id: 2, reply: { ok: false, error: { code: 'invalid_request' } } });
    await expectAppInfo(ws, 3);
    ws.close();
    await closed(ws);
  });

  it('still answers a fresh, valid socket after all of that', async () => {
    const ws = await openWebSocket(socketUrl(token), { origin: preview.origin });
    await expectAppInfo(ws, 1);
    ws.close();
    await closed(ws);
  });
});
