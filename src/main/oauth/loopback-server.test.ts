import net from 'node:net';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { rawHttpRequest } from '../../../test/support/hostile-http';
import { listenForCallback, type LoopbackOptions } from './loopback-server';

// The loopback redirect on its own, against real sockets: what it accepts, refuses and survives.

const options = (extra: Partial<LoopbackOptions> = {}): LoopbackOptions => ({
  providerName: 'Acme SSO',
  host: '127.0.0.1',
  ports: 'any',
  path: '/callback/custom',
  state: 'the-right-state-0123456789abcdef',
  timeoutMs: 60_000,
  ...extra,
});

const get = (port: number, target: string, host = `127.0.0.1:${port}`) => rawHttpRequest(port, { target, host });

describe('the loopback redirect', () => {
  it('refuses a wrong state, path or host and keeps waiting; takes the right one once, with a clean redirect', async () => {
    const listener = await listenForCallback(options());
    const { port } = listener;
    expect(listener.redirectUri).toBe(`http://127.0.0.1:${port}/callback/custom`);

    const forged = await get(port, '/callback/custom?code=stolen&state=wrong');
    expect(forged.status).toBe(400);
    expect(forged.body).toContain('still waiting');
    expect((await get(port, '/callback/other?code=x&state=the-right-state-0123456789abcdef')).status).toBe(404);
    const otherHost = await get(port, '/callback/custom?code=x&state=the-right-state-0123456789abcdef', `localhost:${port}`);
    expect(otherHost.status).toBe(400);
    expect([400, 404]).toContain((await get(port, '/%')).status);
    // An error reply with the wrong state cannot cancel the sign-in either.
    expect((await get(port, '/callback/custom?error=access_denied&state=nope')).status).toBe(400);

    const right = await get(port, '/callback/custom?code=the-code&state=the-right-state-0123456789abcdef&iss=http%3A%2F%2Fidp');
    expect(right.status).toBe(303);
    expect(right.headers['location']).toBe('/done');
    expect(right.headers['referrer-policy']).toBe('no-referrer');
    expect(right.headers['content-security-policy']).toMatch(/^default-src 'none'/);
    const result = await listener.result;
    expect(result).toMatchObject({ kind: 'code' });
    if (result.kind === 'code') expect(result.params.get('code')).toBe('the-code');

    // The exchange succeeded: only now does the clean page say so, naming the provider.
    listener.conclude(true);
    const page = await get(port, '/done');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<h1>Signed in to Acme SSO</h1>');
    expect(page.body).not.toMatch(/the-code|https?:\/\/(?!127)/);
    expect(page.headers['cache-control']).toBe('no-store');

    // A second callback after success is refused.
    const again = await get(port, '/callback/custom?code=the-code&state=the-right-state-0123456789abcdef').catch(() => ({
      status: 0,
      body: '',
    }));
    expect([410, 0]).toContain(again.status);
    listener.cancel();
    await listener.closed;
  });

  it('hands over an error reply (the user cancelled at the provider) once its state matches', async () => {
    const listener = await listenForCallback(options());
    const reply = await get(
      listener.port,
      '/callback/custom?error=access_denied&error_description=End-User+aborted&state=the-right-state-0123456789abcdef',
    );
    expect(reply.status).toBe(303);
    expect(await listener.result).toEqual({ kind: 'error', error: 'access_denied', description: 'End-User aborted' });
    const page = await get(listener.port, '/done');
    expect(page.body).toContain('The sign-in was cancelled at Acme SSO. Nothing was linked.');
    expect(page.body).not.toContain('Signed in');
    await listener.closed;
  });

  it('keeps the clean page waiting until the exchange is over, and then says it failed: never "Signed in" first', async () => {
    const listener = await listenForCallback(options({ providerName: 'Acme <SSO> & Co' }));
    const { port } = listener;
    expect((await get(port, '/callback/custom?code=c&state=the-right-state-0123456789abcdef')).status).toBe(303);
    expect((await listener.result).kind).toBe('code');
    let answered = false;
    const page = get(port, '/done').then((reply) => ((answered = true), reply));
    // A later request on another connection is answered; the clean page still is not.
    expect((await get(port, '/callback/custom?code=c&state=the-right-state-0123456789abcdef')).status).toBe(410);
    expect(answered).toBe(false);
    listener.conclude(false);
    const reply = await page;
    expect(reply.status).toBe(200);
    expect(reply.body).toContain('<h1>Sign-in could not be completed</h1>');
    expect(reply.body).toContain('The sign-in to Acme &#60;SSO&#62; &#38; Co could not be completed');
    expect(reply.body).not.toMatch(/Signed in|<SSO>/);
    // Asked again (a reload), it says the same; then the port closes.
    expect((await get(port, '/done')).body).toContain('could not be completed');
    await listener.closed;
    expect(await canConnect(port)).toBe(false);
  });

  it('listens on a fixed port exactly, and names the port and the provider when it is taken', async () => {
    const port = await freePort();
    const listener = await listenForCallback(options({ ports: [port] }));
    expect(listener.port).toBe(port);
    expect(listener.redirectUri).toBe(`http://127.0.0.1:${port}/callback/custom`);
    listener.cancel();
    await listener.closed;

    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(port, '127.0.0.1', resolve));
    try {
      await expect(listenForCallback(options({ ports: [port] }))).rejects.toMatchObject({
        code: 'conflict',
        message: expect.stringMatching(
          new RegExp(`^Port ${port}, the fixed port of Acme SSO's redirect URI, is in use by another program`),
        ),
      });
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('closes its port at the timeout', async () => {
    const listener = await listenForCallback(options({ timeoutMs: 200 }));
    expect(await listener.result).toEqual({ kind: 'timeout' });
    await listener.closed;
    expect(await canConnect(listener.port)).toBe(false);
  });

  it('listens on the loopback interface only', async () => {
    const listener = await listenForCallback(options());
    const outside = Object.values(os.networkInterfaces())
      .flat()
      .find((address) => address && address.family === 'IPv4' && !address.internal);
    if (outside) {
      const connected = await new Promise<boolean>((resolve) => {
        const socket = net.connect({ host: outside.address, port: listener.port }, () => resolve(true));
        socket.on('error', () => resolve(false));
      });
      expect(connected).toBe(false);
    }
    // Whatever the machine's interfaces, it is bound to 127.0.0.1.
    expect(await canConnect(listener.port)).toBe(true);
    listener.cancel();
    await listener.closed;
  });

  it('uses the first free port of a registered list, and says so when none is free', async () => {
    const blocker = await listenForCallback(options());
    const listener = await listenForCallback(options({ ports: [blocker.port, 0] }));
    expect(listener.port).not.toBe(blocker.port);
    await expect(listenForCallback(options({ ports: [blocker.port] }))).rejects.toMatchObject({ code: 'conflict' });
    listener.cancel();
    blocker.cancel();
    await Promise.all([listener.closed, blocker.closed]);
  });
});

/** A port nothing listens on right now (the OS's pick, released). */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function canConnect(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}
