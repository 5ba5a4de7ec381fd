import { fork } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { AppError } from '../../errors';
import type { Logger } from '../../logging/logger';
import { hostOf } from '../endpoints';
import { workspaceApiFrom, type CallOptions, type ElevenLabsGateway } from '../gateway';
import type { OperationName } from '../operations';
import { callDeadlineMs, type ApiSettings, type ApiTarget } from '../types';
import { API_SETTINGS_ENV, CODE_CACHE_DIR_ENV, type FromHost, type HostChannel, type HostLauncher } from './protocol';

export interface RemoteGateway extends ElevenLabsGateway {
  close(): void;
}

interface PendingCall {
  /** The host process the call was sent to: only its exit fails the call. */
  host: HostChannel;
  options: CallOptions<OperationName>;
  resolve(value: unknown): void;
  reject(error: AppError): void;
  /** Restarts the deadline: the host has just shown signs of life for this call. */
  touch(): void;
}

/** How long the API host may sit unused before it is stopped (it starts again on the next call). */
export const HOST_IDLE_STOP_MS = 60_000;

/** Call ids are unique in the process, so several gateways could share one host. */
let nextId = 1;

/**
 * The ElevenLabs gateway the domain uses: every call goes to the API host process, started on
 * the first call (or ahead of it, by warmUp) and again after it dies. Every call has a deadline on this side too (reset by
 * each page or retry notice), so a host that hangs cannot hold a request forever; calls in
 * flight when the host dies fail with a clear error. What the host prints goes to the log.
 */
export function createRemoteGateway(
  launch: HostLauncher,
  settings: ApiSettings,
  log: Logger,
  options: { idleStopMs?: number } = {},
): RemoteGateway {
  let channel: HostChannel | null = null;
  const pending = new Map<number, PendingCall>();
  const deadlineMs = callDeadlineMs(settings);
  const idleStopMs = options.idleStopMs ?? HOST_IDLE_STOP_MS;
  let idleTimer: NodeJS.Timeout | undefined;

  /** The host holds ~100 MB of SDK: once nothing has been asked of it for a while, it stops. */
  const stopWhenIdle = () => {
    clearTimeout(idleTimer);
    if (pending.size > 0 || !channel) return;
    idleTimer = setTimeout(() => {
      if (pending.size > 0 || !channel) return;
      const idle = channel;
      channel = null;
      idle.kill();
    }, idleStopMs);
    idleTimer.unref();
  };

  const connect = (): HostChannel => {
    clearTimeout(idleTimer);
    if (channel) return channel;
    const started = launch(settings);
    started.onMessage((message: FromHost) => {
      const call = pending.get(message.id);
      if (!call) return;
      call.touch();
      if (message.type === 'event' || message.type === 'retry') {
        try {
          if (message.type === 'event') call.options.onEvent?.(message.value as never);
          else call.options.onRetry?.(message.notice);
        } catch (error) {
          // The caller could not take it (e.g. the database refused a page): stop the call.
          pending.delete(message.id);
          started.send({ type: 'abort', id: message.id });
          call.reject(
            error instanceof AppError
              ? error
              : new AppError('storage_failed', 'A page of secrets could not be saved; details are in the log.'),
          );
          if (!(error instanceof AppError)) log.error('page callback failed', { error: (error as Error).message });
        }
        return;
      }
      pending.delete(message.id);
      if (message.type === 'result') call.resolve(message.value);
      else call.reject(new AppError(message.error.code, message.error.message, withoutCodeAndMessage(message.error)));
    });
    started.onOutput((line) => log.warn('API host output', { line }));
    started.onExit((reason) => {
      if (channel === started) channel = null;
      const inFlight = [...pending.values()].filter((call) => call.host === started);
      if (inFlight.length > 0) log.warn('API host stopped with calls in flight', { reason, calls: inFlight.length });
      for (const call of inFlight) {
        call.reject(new AppError('internal', 'The ElevenLabs connection process stopped unexpectedly. Try again; details are in the log.'));
      }
    });
    return (channel = started);
  };

  const call = (target: ApiTarget, operation: OperationName, request: unknown, options: CallOptions<OperationName>): Promise<unknown> => {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(new AppError('cancelled', 'Cancelled.'));
    const host = connect();
    const id = nextId++;
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const settle = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        pending.delete(id);
        stopWhenIdle();
      };
      const giveUp = (error: AppError) => {
        settle();
        host.send({ type: 'abort', id });
        reject(error);
      };
      const onAbort = () => giveUp(new AppError('cancelled', 'Cancelled.'));
      const touch = () => {
        clearTimeout(timer);
        timer = setTimeout(
          () =>
            giveUp(
              new AppError(
                'timeout',
                `${hostOf(target.baseUrl)} did not answer in time (Agent Keyring stopped waiting after ${Math.round(deadlineMs / 1000)} s). Try again later.`,
              ),
            ),
          deadlineMs,
        );
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      touch();
      pending.set(id, {
        host,
        options,
        touch,
        resolve: (value) => {
          settle();
          resolve(value);
        },
        reject: (error) => {
          settle();
          reject(error);
        },
      });
      // The signal cannot cross processes; the host makes its own and honours 'abort'.
      host.send({ type: 'call', id, target, operation, request });
    });
  };

  return {
    forWorkspace: (target) => workspaceApiFrom((operation, request, options) => call(target, operation, request, options)),
    // Starts the host (it loads the SDK at once) if it is not running; unused, it stops as when idle.
    warmUp() {
      connect();
      stopWhenIdle();
    },
    close() {
      clearTimeout(idleTimer);
      channel?.kill();
      channel = null;
    },
  };
}

function withoutCodeAndMessage({ code: _code, message: _message, ...extra }: { code: string; message: string }) {
  return extra;
}

/** Calls `listener` with each line of a child's output stream. */
export function forEachLine(stream: NodeJS.ReadableStream | null | undefined, listener: (line: string) => void): void {
  if (!stream) return;
  createInterface({ input: stream, crlfDelay: Infinity }).on('line', listener);
}

/**
 * The host as a Node child process (the preview, tests, tools): `hostFile` when given (the
 * preview runs the built one, as Electron does), else the TypeScript source through tsx, or,
 * from the built bundle (out/main), the built api-host.js beside it. `codeCacheDir` keeps the
 * host's compiled code between starts (compile-cache.ts).
 */
export function nodeHostLauncher(options: { hostFile?: string; codeCacheDir?: string } = {}): HostLauncher {
  const source = path.join(__dirname, 'host.ts');
  const file = options.hostFile ?? (fs.existsSync(source) ? source : path.join(__dirname, 'api-host.js'));
  const fromSource = file.endsWith('.ts');
  return (settings) => {
    const child = fork(file, [], {
      // tsx's loader by absolute URL, so it is found whatever the working directory.
      execArgv: fromSource ? ['--import', pathToFileURL(createRequire(__filename).resolve('tsx')).href] : [],
      env: {
        ...process.env,
        [API_SETTINGS_ENV]: JSON.stringify(settings),
        ...(options.codeCacheDir ? { [CODE_CACHE_DIR_ENV]: options.codeCacheDir } : {}),
      },
      // Structured clone, as Electron's utility process uses.
      serialization: 'advanced',
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const exitListeners: ((reason: string) => void)[] = [];
    const exited = (reason: string) => exitListeners.splice(0).forEach((listener) => listener(reason));
    child.on('exit', (code, signal) => exited(`exit ${signal ?? code}`));
    child.on('error', (error) => exited(error.message));
    return {
      send: (message) => {
        if (child.connected) child.send(message);
      },
      onMessage: (listener) => child.on('message', (message) => listener(message as FromHost)),
      onExit: (listener) => exitListeners.push(listener),
      onOutput: (listener) => {
        forEachLine(child.stdout, listener);
        forEachLine(child.stderr, listener);
      },
      kill: () => child.kill(),
    };
  };
}
