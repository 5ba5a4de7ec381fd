import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import {
  BrokerReplySchemas,
  ClientIdSchema,
  PublicKeySchema,
  ServerFrameSchema,
  type BrokerReply,
  type BrokerRequest,
  type ClientFrame,
  type ServerFrame,
} from '../shared/schemas/broker';
import { encodeFrame, FrameReader } from '../main/broker/frames';
import {
  clientIdOf,
  fingerprintPhrase,
  helloTranscript,
  newKeyPair,
  newNonce,
  privateKeyFromPem,
  proveTranscript,
  publicKeyFromRaw,
  signWith,
  verifyWith,
  welcomeTranscript,
} from '../main/broker/identity';
import { sessionOf } from '../main/broker/peer';
import { defaultSocketDir, privateDirProblem, socketPathIn } from '../main/broker/socket-path';
import { configDir, UserError } from './config';

const PairingFileSchema = z.strictObject({
  clientId: ClientIdSchema,
  label: z.string(),
  privateKeyPem: z.string(),
  serverPublicKey: PublicKeySchema,
});
type PairingFile = z.infer<typeof PairingFileSchema>;

export function pairingFile(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(configDir(env), 'pairing.json');
}

/** The pairing, or why there is none to use (missing, readable by others, damaged). */
export function readPairing(env: NodeJS.ProcessEnv = process.env): PairingFile {
  const file = pairingFile(env);
  let text: string;
  try {
    if (process.platform !== 'win32' && (fs.statSync(file).mode & 0o077) !== 0) {
      throw new UserError(`${file} is readable by other users: run "chmod 600 '${file}'", or pair again with "akr pair".`, 'pairing');
    }
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError('This terminal is not paired with Agent Keyring: run "akr pair" and approve it in the app.', 'not_paired');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  const parsed = PairingFileSchema.safeParse(json);
  if (!parsed.success) throw new UserError(`${file} is damaged: run "akr pair" again.`, 'pairing');
  return parsed.data;
}

/** The socket, after checking that its folder is private (the app checks the same). */
export function socketPath(env: NodeJS.ProcessEnv = process.env): string {
  const dir = defaultSocketDir(env);
  const problem = privateDirProblem(dir);
  if (problem) {
    if (problem.endsWith('does not exist')) {
      throw new UserError('Agent Keyring is not running (no socket folder): start the app, then try again.', 'not_running');
    }
    throw new UserError(`Refusing to talk through ${dir}: ${problem}.`, 'unsafe_socket');
  }
  return socketPathIn(dir);
}

/** A connection to the app, reading frames as they come. */
class Connection {
  readonly #socket: net.Socket;
  readonly #reader = new FrameReader();
  readonly #queue: ServerFrame[] = [];
  #waiter: ((frame: ServerFrame | null) => void) | null = null;
  #ended = false;

  private constructor(socket: net.Socket) {
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const raw of this.#reader.push(chunk)) {
          const parsed = ServerFrameSchema.safeParse(raw);
          if (!parsed.success) throw new Error('bad frame');
          this.#deliver(parsed.data);
        }
      } catch {
        socket.destroy();
      }
    });
    socket.on('close', () => {
      this.#ended = true;
      this.#waiter?.(null);
      this.#waiter = null;
    });
    socket.on('error', () => {});
  }

  static open(file: string): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(file);
      socket.once('connect', () => resolve(new Connection(socket)));
      socket.once('error', (error: NodeJS.ErrnoException) => {
        const why = error.code === 'ENOENT' || error.code === 'ECONNREFUSED' ? 'nothing answers on its socket' : error.message;
        reject(new UserError(`Agent Keyring is not running (${why}): start the app, then try again.`, 'not_running'));
      });
    });
  }

  send(frame: ClientFrame): void {
    this.#socket.write(encodeFrame(frame));
  }

  /** The next frame, or null once the app has closed the connection. */
  next(): Promise<ServerFrame | null> {
    const queued = this.#queue.shift();
    if (queued) return Promise.resolve(queued);
    if (this.#ended) return Promise.resolve(null);
    return new Promise((resolve) => (this.#waiter = resolve));
  }

  close(): void {
    this.#socket.end();
    this.#socket.destroy();
  }

  #deliver(frame: ServerFrame): void {
    if (this.#waiter) {
      const waiter = this.#waiter;
      this.#waiter = null;
      waiter(frame);
    } else {
      this.#queue.push(frame);
    }
  }
}

/** An authenticated session with the app: the app proved its key, the terminal its own. */
export class BrokerClient {
  #nextId = 1;
  private constructor(private readonly connection: Connection) {}

  static async connect(env: NodeJS.ProcessEnv = process.env): Promise<BrokerClient> {
    const pairing = readPairing(env);
    const connection = await Connection.open(socketPath(env));
    const key = privateKeyFromPem(pairing.privateKeyPem);
    const nonce = newNonce();
    const time = Date.now();
    connection.send({
      type: 'hello',
      clientId: pairing.clientId,
      nonce,
      time,
      signature: signWith(key, helloTranscript(pairing.clientId, nonce, time)),
    });
    const welcome = await connection.next();
    if (welcome === null) {
      connection.close();
      throw new UserError(
        'Agent Keyring did not accept this terminal: it is not paired with the running app (or was unpaired in Settings › Command line). Run "akr pair" again.',
        'not_paired',
      );
    }
    if (
      welcome.type !== 'welcome' ||
      !verifyWith(publicKeyFromRaw(pairing.serverPublicKey), welcomeTranscript(pairing.clientId, nonce, welcome.nonce), welcome.signature)
    ) {
      // Whatever holds the socket is not the app this terminal paired with: tell it nothing.
      connection.close();
      throw new UserError(
        'What answers on the socket is not the Agent Keyring this terminal paired with; nothing was sent. If you reinstalled the app, run "akr pair" again.',
        'impostor',
      );
    }
    connection.send({ type: 'prove', signature: signWith(key, proveTranscript(pairing.clientId, nonce, welcome.nonce)) });
    return new BrokerClient(connection);
  }

  async request<R extends BrokerRequest>(request: R): Promise<BrokerReply<R['op']>> {
    const id = this.#nextId++;
    this.connection.send({ type: 'request', id, request });
    for (;;) {
      const frame = await this.connection.next();
      if (frame === null)
        throw new UserError('Agent Keyring closed the connection (was this terminal unpaired, or the app closed?).', 'closed');
      if (frame.type !== 'reply' || frame.id !== id) continue;
      if (!frame.ok) throw new UserError(frame.error?.message ?? 'Agent Keyring refused the request.', frame.error?.code);
      const schema = BrokerReplySchemas[request.op] as unknown as z.ZodType<BrokerReply<R['op']>>;
      return schema.parse(frame.data);
    }
  }

  close(): void {
    this.connection.close();
  }
}

/**
 * Pairs this terminal: a new key pair, the phrase printed (via `onPhrase`) while the app shows the
 * same words; the private key is written (mode 0600) only once the app has approved.
 */
export async function pair(label: string, onPhrase: (phrase: string) => void, env: NodeJS.ProcessEnv = process.env): Promise<PairingFile> {
  const keys = newKeyPair();
  const connection = await Connection.open(socketPath(env));
  connection.send({ type: 'pair', publicKey: keys.publicKey, label });
  onPhrase(fingerprintPhrase(keys.publicKey));
  const answer = await connection.next();
  connection.close();
  if (answer?.type === 'refused') throw new UserError(answer.message, 'refused');
  if (answer?.type !== 'paired' || answer.clientId !== clientIdOf(keys.publicKey)) {
    throw new UserError('Agent Keyring closed the pairing without an answer (the app may have quit).', 'refused');
  }
  const pairing: PairingFile = {
    clientId: answer.clientId,
    label,
    privateKeyPem: keys.privateKeyPem,
    serverPublicKey: answer.serverPublicKey,
  };
  const file = pairingFile(env);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // Written beside, then renamed: a pairing is never half-written, and never readable by others.
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify(pairing, null, 2), { mode: 0o600 });
  fs.renameSync(temporary, file);
  return pairing;
}

/** Who is asking, as this process knows it (the app checks what the OS lets it). */
export function callerOf(command: string[]): { command: string[]; cwd: string; session: string; pid: number } {
  return { command, cwd: process.cwd(), session: sessionOf(process.pid, process.ppid), pid: process.pid };
}

export function defaultLabel(): string {
  return `${os.userInfo().username}@${os.hostname()}`.slice(0, 80);
}
