import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Domain } from '../../src/main/app/composition';
import { startBrokerServer, type RunningBroker } from '../../src/main/broker/server';
import type { BrokerPending } from '../../src/shared/schemas/broker';
import { buildCli } from '../../scripts/build-cli';
import { tempDir } from './harness';
import { runAkr } from './akr-process';

export { runAkr, startAkr, type AkrProcess, type AkrResult } from './akr-process';

// Shared by the `akr` tests and the benchmark: the built CLI (as users run it), a socket server on
// a test's domain, and a stand-in for the user who answers the app's approvals.

/** Builds out/cli/akr.js into a temp folder once per test file (esbuild: a fraction of a second). */
export async function builtAkr(): Promise<string> {
  return buildCli(path.join(tempDir('akr-build-'), 'akr.js'));
}

export interface AkrWorld {
  domain: Domain;
  broker: RunningBroker;
  socketDir: string;
  /** HOME and the config folder of the terminal under test. */
  home: string;
  configDir: string;
  env: NodeJS.ProcessEnv;
  /** How the stand-in user answers each request the app shows (default: approve). */
  answer: (request: BrokerPending) => boolean | 'ignore';
  requests: BrokerPending[];
  close(): Promise<void>;
}

/** Starts the socket server on a domain, in a private folder, with a user who answers approvals. */
export async function akrWorld(domain: Domain): Promise<AkrWorld> {
  const socketDir = path.join(tempDir('akr-sock-'), 's');
  fs.mkdirSync(socketDir, { mode: 0o700 });
  const broker = await startBrokerServer(domain.broker, { socketDir, log: domain.log, redactor: domain.redactor });
  if (!broker.path) throw new Error(`broker did not start: ${JSON.stringify(domain.broker.state().socket)}`);
  const home = tempDir('akr-home-');
  const configDir = path.join(home, '.config', 'agent-keyring', 'akr');
  const world: AkrWorld = {
    domain,
    broker,
    socketDir,
    home,
    configDir,
    env: {
      PATH: process.env['PATH'],
      HOME: home,
      AKR_SOCKET_DIR: socketDir,
      AKR_CONFIG_DIR: configDir,
      // Inherited by nothing: a child sees only what akr gives it plus this.
      LANG: 'C.UTF-8',
    },
    answer: () => true,
    requests: [],
    close: async () => {
      unsubscribe();
      await broker.close();
    },
  };
  const unsubscribe = domain.events.subscribe((event, payload) => {
    if (event !== 'broker:request') return;
    const request = payload as BrokerPending;
    world.requests.push(request);
    const decision = world.answer(request);
    if (decision !== 'ignore') void domain.dispatch('broker:answer', { id: request.id, approve: decision });
  });
  return world;
}

/** Pairs the world's terminal: akr pair, the stand-in user approves; returns the phrase both showed. */
export async function pairTerminal(akr: string, world: AkrWorld): Promise<{ printed: string; shown: string }> {
  const result = await runAkr(akr, ['pair', '--label', 'test terminal'], { env: world.env });
  if (result.code !== 0) throw new Error(`akr pair failed: ${result.stderr}`);
  const shown = world.requests.filter((r) => r.kind === 'pair').at(-1);
  return { printed: /\n {4}([a-z ]+)\n/.exec(result.stderr)?.[1] ?? '', shown: shown?.kind === 'pair' ? shown.phrase : '' };
}

/**
 * A raw connection to the socket for the refusal tests: send bytes, then see what came back and
 * whether the app closed the connection.
 */
export function rawConnection(socketPath: string): Promise<{
  socket: net.Socket;
  received(): Buffer;
  closed: Promise<void>;
}> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(socketPath);
    let received = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => (received = Buffer.concat([received, chunk])));
    const closed = new Promise<void>((done) => socket.on('close', () => done()));
    socket.on('error', () => {});
    socket.once('connect', () => resolve({ socket, received: () => received, closed }));
    socket.once('error', reject);
  });
}
