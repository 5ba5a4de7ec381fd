import { spawn, type ChildProcess } from 'node:child_process';

// Runs the built akr as a user's shell would (node, no shell in between), for the integration
// tests, the E2E spec and the benchmark. Nothing of the app is imported here.

export interface AkrResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface AkrProcess {
  child: ChildProcess;
  output(): { stdout: string; stderr: string };
  /** Resolves once stdout or stderr has printed something matching. */
  waitFor(pattern: RegExp): Promise<string>;
  done: Promise<AkrResult>;
}

/** Runs the built akr with node, as a user's shell would (no shell in between). */
export function startAkr(akr: string, args: string[], options: { env: NodeJS.ProcessEnv; cwd?: string; input?: string }): AkrProcess {
  return startProgram(process.execPath, [akr, ...args], options);
}

/** Any program, watched the same way (util-linux's script, to give akr a terminal). */
export function startProgram(file: string, args: string[], options: { env: NodeJS.ProcessEnv; cwd?: string; input?: string }): AkrProcess {
  const child = spawn(file, args, { env: options.env, cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const waiter of [...waiters]) waiter();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const waiter of [...waiters]) waiter();
  });
  if (options.input !== undefined) child.stdin!.end(options.input);
  else child.stdin!.end();
  const done = new Promise<AkrResult>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return {
    child,
    output: () => ({ stdout, stderr }),
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(stdout) ?? pattern.exec(stderr);
          if (match) {
            waiters.delete(check);
            resolve(match[1] ?? match[0]);
          }
        };
        waiters.add(check);
        void done.then(() => {
          check();
          if (waiters.has(check)) reject(new Error(`akr ended before printing ${pattern}:\n${stdout}\n${stderr}`));
        });
        check();
      }),
    done,
  };
}

export function runAkr(akr: string, args: string[], options: { env: NodeJS.ProcessEnv; cwd?: string; input?: string }): Promise<AkrResult> {
  return startAkr(akr, args, options).done;
}
