import type { ChildProcess } from 'node:child_process';
import os from 'node:os';
import spawn from 'cross-spawn';
import { StreamMasker } from './masker';

/** The signals a terminal sends that the child must get too. */
const FORWARDED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'];

/**
 * Runs the command directly (no shell unless asked) with the values in its environment, its
 * output masked unless told otherwise, signals forwarded, and resolves with the exit code to
 * pass on: the child's own, or 128 + the signal's number when a signal ended it.
 */
export function runChild(options: {
  command: string[];
  env: NodeJS.ProcessEnv;
  secrets: string[];
  mask: boolean;
  shell: boolean;
}): Promise<number> {
  const [file, ...args] = options.command;
  const child: ChildProcess = options.shell
    ? spawn(options.command.join(' '), [], { env: options.env, stdio: options.mask ? ['inherit', 'pipe', 'pipe'] : 'inherit', shell: true })
    : spawn(file!, args, { env: options.env, stdio: options.mask ? ['inherit', 'pipe', 'pipe'] : 'inherit' });

  const forward = (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  for (const signal of FORWARDED) process.on(signal, forward);

  const flushes: Promise<void>[] = [];
  if (options.mask) {
    for (const [from, to] of [
      [child.stdout!, process.stdout],
      [child.stderr!, process.stderr],
    ] as const) {
      const masker = new StreamMasker(options.secrets);
      from.on('data', (chunk: Buffer) => {
        // Backpressure: a slow reader of akr's output slows the child, rather than filling memory.
        if (!to.write(masker.push(chunk))) {
          from.pause();
          to.once('drain', () => from.resume());
        }
      });
      flushes.push(
        new Promise((resolve) => {
          from.on('end', () => {
            const rest = masker.end();
            if (rest.length > 0) to.write(rest, () => resolve());
            else resolve();
          });
        }),
      );
    }
  }

  return new Promise((settle) => {
    let settled = false;
    const resolve = (code: number) => {
      if (settled) return;
      settled = true;
      settle(code);
    };
    child.on('error', (error: NodeJS.ErrnoException) => {
      for (const signal of FORWARDED) process.off(signal, forward);
      const name = options.command[0];
      if (error.code === 'ENOENT') {
        process.stderr.write(`akr: ${name}: command not found (check the name, or run it through a shell with --shell)\n`);
        resolve(127);
      } else {
        process.stderr.write(`akr: ${name}: could not start (${error.code ?? error.message})\n`);
        resolve(126);
      }
    });
    child.on('close', (code, signal) => {
      for (const s of FORWARDED) process.off(s, forward);
      void Promise.all(flushes).then(() => resolve(signal ? 128 + (os.constants.signals[signal] ?? 0) : (code ?? 1)));
    });
  });
}
