import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

// The one way tests, the benchmark and scripts start the app's own programs (the emulator, the
// preview) and wait for them to be ready: the line each prints once it listens.

const root = path.resolve(__dirname, '..', '..');

export interface RunningProcess {
  /** The first capture group of the ready line (the address to use). */
  url: string;
  child: ChildProcess;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  /** Resolves once a line matching `pattern` has been printed (now or later); with its first group. */
  waitFor(pattern: RegExp): Promise<string>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Runs a TypeScript entry point with node and tsx's loader (not the tsx CLI, whose wrapper
 * process would take a SIGKILL meant for the program), resolving once `ready` matches.
 */
export function startProcess(args: string[], ready: RegExp): Promise<RunningProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const waiter of [...waiters]) waiter();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const waitFor = (pattern: RegExp) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(output);
        if (match) {
          waiters.delete(check);
          child.off('exit', onExit);
          resolve(match[1] ?? match[0]);
        }
      };
      const onExit = (code: number | null) => {
        waiters.delete(check);
        reject(new Error(`${args[0]} exited with ${code} before printing ${pattern}:\n${output}`));
      };
      waiters.add(check);
      child.once('exit', onExit);
      check();
    });
  return waitFor(ready).then((url) => ({
    url,
    child,
    output: () => output,
    waitFor,
    stop: (signal = 'SIGTERM') =>
      new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', () => done());
        child.kill(signal);
      }),
  }));
}

/** The standalone API emulator on a free port. */
export function startEmulatorProcess(args: string[]): Promise<RunningProcess> {
  return startProcess(['src/emulator/cli.ts', '--port', '0', ...args], /listening on (http:\/\/127\.0\.0\.1:\d+)/);
}

/** The browser preview on a free port; `url` carries the run's token. */
export function startPreviewProcess(dataDir: string, keychainService: string, extra: string[] = []): Promise<RunningProcess> {
  return startProcess(
    ['src/preview/cli.ts', '--port', '0', '--data-dir', dataDir, '--keychain-service', keychainService, ...extra],
    /open (http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]+)/,
  );
}
