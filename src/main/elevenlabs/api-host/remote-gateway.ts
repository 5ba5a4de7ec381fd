import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { AppError } from '../../errors';
import type { Logger } from '../../logging/logger';
import type { SdkGatewayOptions } from '../sdk-gateway';
import type { ApiTarget, ElevenLabsGateway, WorkspaceApi } from '../types';
import type { ApiMethod, FromHost, HostChannel, HostLauncher } from './protocol';

export interface RemoteGateway extends ElevenLabsGateway {
  close(): void;
}

/**
 * The ElevenLabs gateway the domain uses: every call goes to the API host process, started on
 * the first call and again after it dies. Calls in flight when it dies fail with a clear error.
 */
/** Call ids are unique in the process, so several gateways could share one host. */
let nextId = 1;

export function createRemoteGateway(launch: HostLauncher, options: Partial<SdkGatewayOptions>, log: Logger): RemoteGateway {
  let channel: HostChannel | null = null;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: AppError) => void; onPage?: (value: never) => void }>();

  const connect = (): HostChannel => {
    if (channel) return channel;
    const started = launch(options);
    started.onMessage((message: FromHost) => {
      const call = pending.get(message.id);
      if (!call) return;
      if (message.type === 'page') {
        try {
          call.onPage?.(message.value as never);
        } catch (error) {
          // The page could not be taken (e.g. the database refused it): stop the stream.
          pending.delete(message.id);
          started.send({ type: 'abort', id: message.id });
          call.reject(error instanceof AppError ? error : new AppError('storage_failed', `A page of secrets could not be saved: ${(error as Error).message}`));
        }
        return;
      }
      pending.delete(message.id);
      if (message.type === 'result') call.resolve(message.value);
      else call.reject(new AppError(message.error.code, message.error.message, withoutCodeAndMessage(message.error)));
    });
    started.onExit((reason) => {
      if (channel === started) channel = null;
      if (pending.size > 0) log.warn('API host stopped with calls in flight', { reason, calls: pending.size });
      for (const call of pending.values()) {
        call.reject(new AppError('internal', 'The ElevenLabs connection process stopped unexpectedly. Try again; details are in the log.'));
      }
      pending.clear();
    });
    return (channel = started);
  };

  const call = (
    target: ApiTarget,
    method: ApiMethod,
    args: unknown[],
    signal: AbortSignal | undefined,
    onPage?: (value: never) => void,
  ): Promise<never> => {
    if (signal?.aborted) return Promise.reject(new AppError('cancelled', 'Cancelled.'));
    const host = connect();
    const id = nextId++;
    return new Promise((resolve, reject) => {
      const onAbort = () => host.send({ type: 'abort', id });
      signal?.addEventListener('abort', onAbort, { once: true });
      pending.set(id, {
        onPage,
        resolve: (value) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(value as never);
        },
        reject: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      });
      // The signal cannot cross processes; the host makes its own and honours 'abort'.
      host.send({ type: 'call', id, target, method, args });
    });
  };

  return {
    forWorkspace(target: ApiTarget): WorkspaceApi {
      return {
        listSecrets: (request, signal) => call(target, 'listSecrets', [request], signal),
        streamSecrets: (request, onPage, signal) => call(target, 'streamSecrets', [request], signal, onPage),
        listDependencies: (secretId, type, cursor, signal) => call(target, 'listDependencies', [secretId, type, cursor], signal),
        listAuthConnections: (signal) => call(target, 'listAuthConnections', [], signal),
        getUser: (signal) => call(target, 'getUser', [], signal),
      };
    },
    close() {
      channel?.kill();
      channel = null;
    },
  };
}

function withoutCodeAndMessage({ code: _code, message: _message, ...extra }: { code: string; message: string }) {
  return extra;
}

/** The host as a Node child process (the preview, tests, tools): the TypeScript source through tsx. */
export function nodeHostLauncher(): HostLauncher {
  return (options) => {
    const child = fork(path.join(__dirname, 'host.ts'), [], {
      // tsx's loader by absolute URL, so it is found whatever the working directory.
      execArgv: ['--import', pathToFileURL(createRequire(__filename).resolve('tsx')).href],
      env: { ...process.env, AGENT_KEYRING_API_OPTIONS: JSON.stringify(options) },
      serialization: 'json',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
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
      kill: () => child.kill(),
    };
  };
}
