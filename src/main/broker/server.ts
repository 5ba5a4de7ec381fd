import fs from 'node:fs';
import net from 'node:net';
import { ClientFrameSchema, type ClientFrame } from '../../shared/schemas/broker';
import { isAppError } from '../errors';
import type { Logger } from '../logging/logger';
import type { Redactor } from '../logging/redactor';
import type { BrokerCaller, BrokerService } from './broker-service';
import { encodeFrame, FrameReader } from './frames';
import { helloTranscript, newNonce, proveTranscript, signWith, verifyWith, welcomeTranscript } from './identity';
import { peerProcess, sessionOf } from './peer';
import { ensurePrivateDir, socketPathIn } from './socket-path';

/** A hello must be this fresh; its nonce is remembered this long, so a recorded one is refused. */
const HELLO_WINDOW_MS = 60_000;
/** A connection that has not authenticated by then is closed. */
const AUTH_DEADLINE_MS = 10_000;
const MAX_CONNECTIONS = 64;

export interface RunningBroker {
  /** The socket (or pipe) path, or null when it could not start (the reason is in the broker's state). */
  path: string | null;
  close(): Promise<void>;
}

/**
 * The local socket `akr` talks to (issue 15). It says nothing to a connection until it has sent a
 * hello signed with a paired terminal's key (a pairing request is answered only after the user
 * approves it in the app); then it proves itself with the app's key, the terminal signs the app's
 * fresh nonce, and only then are requests read. Any frame that is oversized, not JSON, not in the
 * contract or out of turn closes that connection alone.
 */
export async function startBrokerServer(
  broker: BrokerService,
  options: { socketDir: string; log: Logger; redactor: Redactor },
): Promise<RunningBroker> {
  const { log } = options;
  const socketPath = socketPathIn(options.socketDir);
  try {
    ensurePrivateDir(options.socketDir);
    await clearStaleSocket(socketPath);
  } catch (error) {
    const problem = (error as Error).message;
    log.warn('command-line socket not started', { reason: problem });
    broker.setSocketStatus({ path: socketPath, listening: false, problem });
    return { path: null, close: async () => {} };
  }
  const seenNonces = new Map<string, number>();
  const connections = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    if (connections.size >= MAX_CONNECTIONS) {
      socket.destroy();
      return;
    }
    connections.add(socket);
    socket.on('close', () => connections.delete(socket));
    serve(socket, broker, seenNonces, options.redactor, log);
  });
  server.on('error', (error) => log.warn('command-line socket error', { reason: error.message }));
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socketPath, () => {
        server.off('error', reject);
        resolve();
      });
    });
    if (process.platform !== 'win32') fs.chmodSync(socketPath, 0o600);
  } catch (error) {
    const problem = `The command-line socket could not listen at ${socketPath}: ${(error as Error).message}`;
    log.warn('command-line socket not started', { reason: problem });
    broker.setSocketStatus({ path: socketPath, listening: false, problem });
    return { path: null, close: async () => {} };
  }
  broker.setSocketStatus({ path: socketPath, listening: true, problem: null });
  return {
    path: socketPath,
    async close() {
      broker.close();
      for (const socket of connections) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      broker.setSocketStatus({ path: socketPath, listening: false, problem: null });
    },
  };
}

/** A socket file left by an app that died is removed; one something still answers on is not ours to take. */
async function clearStaleSocket(socketPath: string): Promise<void> {
  if (process.platform === 'win32' || !fs.existsSync(socketPath)) return;
  const answering = await new Promise<boolean>((resolve) => {
    const probe = net.connect(socketPath);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
  if (answering) throw new Error(`another Agent Keyring already answers at ${socketPath}`);
  fs.unlinkSync(socketPath);
}

function serve(socket: net.Socket, broker: BrokerService, seenNonces: Map<string, number>, redactor: Redactor, log: Logger): void {
  let state:
    | { step: 'new' }
    | { step: 'proving'; clientId: string; clientNonce: string; serverNonce: string }
    | { step: 'ready'; caller: BrokerCaller }
    | { step: 'done' } = { step: 'new' };
  const reader = new FrameReader();
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  const drop = () => {
    state = { step: 'done' };
    socket.destroy();
  };
  const deadline = setTimeout(() => {
    if (state.step !== 'ready') drop();
  }, AUTH_DEADLINE_MS);
  deadline.unref();
  socket.on('error', () => {});
  socket.on('close', () => {
    clearTimeout(deadline);
    resolveClosed();
  });
  const send = (frame: unknown) => {
    if (!socket.destroyed) socket.write(encodeFrame(frame));
  };

  socket.on('data', (chunk: Buffer) => {
    let frames: unknown[];
    try {
      frames = reader.push(chunk);
    } catch {
      drop();
      return;
    }
    for (const raw of frames) {
      if (state.step === 'done') return;
      const parsed = ClientFrameSchema.safeParse(raw);
      if (!parsed.success) {
        drop();
        return;
      }
      try {
        state = step(state, parsed.data) ?? state;
      } catch (error) {
        log.warn('command-line connection dropped', { reason: (error as Error).message });
        drop();
      }
    }
  });

  function step(current: typeof state, frame: ClientFrame): typeof state | void {
    if (current.step === 'new' && frame.type === 'pair') {
      state = { step: 'done' };
      // A pairing waits for the user (the broker's own timeout), not for the authentication deadline.
      clearTimeout(deadline);
      void broker.requestPairing(frame.publicKey, frame.label, closed).then(
        (paired) => {
          send(
            paired
              ? { type: 'paired', clientId: paired.clientId, serverPublicKey: broker.serverKey().publicKey }
              : { type: 'refused', message: 'The pairing was refused in Agent Keyring (or nobody answered in time).' },
          );
          socket.end();
        },
        () => drop(),
      );
      return { step: 'done' };
    }
    if (current.step === 'new' && frame.type === 'hello') {
      const key = broker.clientKey(frame.clientId);
      const now = Date.now();
      for (const [nonce, at] of seenNonces) if (now - at > HELLO_WINDOW_MS) seenNonces.delete(nonce);
      const fresh = Math.abs(now - frame.time) <= HELLO_WINDOW_MS && !seenNonces.has(frame.nonce);
      // Unpaired, badly signed, stale or replayed: silence, and the connection closes.
      if (!key || !fresh || !verifyWith(key, helloTranscript(frame.clientId, frame.nonce, frame.time), frame.signature)) {
        return drop();
      }
      seenNonces.set(frame.nonce, now);
      const serverNonce = newNonce();
      send({
        type: 'welcome',
        nonce: serverNonce,
        signature: signWith(broker.serverKey().privateKey, welcomeTranscript(frame.clientId, frame.nonce, serverNonce)),
      });
      return { step: 'proving', clientId: frame.clientId, clientNonce: frame.nonce, serverNonce };
    }
    if (current.step === 'proving' && frame.type === 'prove') {
      const key = broker.clientKey(current.clientId);
      if (!key || !verifyWith(key, proveTranscript(current.clientId, current.clientNonce, current.serverNonce), frame.signature)) {
        return drop();
      }
      clearTimeout(deadline);
      const peers = new Map<number, ReturnType<BrokerCaller['peer']>>();
      const caller: BrokerCaller = {
        clientId: current.clientId,
        closed,
        peer: (claimedPid) => {
          let found = peers.get(claimedPid);
          if (!found) {
            found = peerProcess(socket, claimedPid).then((peer) => (peer ? { ...peer, session: sessionOf(peer.pid) } : null));
            peers.set(claimedPid, found);
          }
          return found;
        },
      };
      return { step: 'ready', caller };
    }
    if (current.step === 'ready' && frame.type === 'request') {
      const { caller } = current;
      // A terminal unpaired in the app loses its open connection too.
      if (!broker.clientKey(caller.clientId)) return drop();
      void broker.handle(caller, frame.request).then(
        (data) => send({ type: 'reply', id: frame.id, ok: true, data }),
        (error: unknown) => {
          const known = isAppError(error);
          if (!known) log.error('command-line request failed', { op: frame.request.op, error: String(error) });
          send({
            type: 'reply',
            id: frame.id,
            ok: false,
            error: redactor.scrubDeep(
              known
                ? { code: error.code, message: error.message }
                : { code: 'internal', message: 'Something went wrong inside Agent Keyring; details are in its log.' },
            ),
          });
        },
      );
      return;
    }
    return drop();
  }
}
