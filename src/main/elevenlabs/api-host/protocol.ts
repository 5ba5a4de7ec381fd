import path from 'node:path';
import type { IpcError } from '../../../shared/errors';
import type { OperationName } from '../operations';
import type { ApiSettings, ApiTarget, RetryNotice } from '../types';

/**
 * Messages between the main process and the API host, the process that owns the SDK. They
 * carry the API key of the call (memory to memory between the app's own processes; never
 * logged or stored) and plain data only, copied by structured clone in Electron and in Node.
 */
export type ToHost =
  { type: 'call'; id: number; target: ApiTarget; operation: OperationName; request: unknown } | { type: 'abort'; id: number };

export type FromHost =
  | { type: 'result'; id: number; value: unknown }
  | { type: 'error'; id: number; error: IpcError }
  /** A partial result (a page of a listing), before the call's result. */
  | { type: 'event'; id: number; value: unknown }
  /** The host is waiting out a 429 or a 5xx before trying again. */
  | { type: 'retry'; id: number; notice: RetryNotice };

/** How main talks to one host process, whatever started it (Node fork, Electron utilityProcess). */
export interface HostChannel {
  send(message: ToHost): void;
  onMessage(listener: (message: FromHost) => void): void;
  /** Called once if the process exits or cannot start. */
  onExit(listener: (reason: string) => void): void;
  /** Each line the process printed; main passes it through the redactor into the log. */
  onOutput(listener: (line: string) => void): void;
  kill(): void;
}

/** Starts a host whose SDK clients use these settings. */
export type HostLauncher = (settings: ApiSettings) => HostChannel;

/** The environment variable that carries the settings to the host. */
export const API_SETTINGS_ENV = 'AGENT_KEYRING_API_SETTINGS';

/** The environment variable naming the folder for the host's compiled-code cache (compile-cache.ts). */
export const CODE_CACHE_DIR_ENV = 'AGENT_KEYRING_CODE_CACHE_DIR';

/** That folder, in the app's data folder (not "Cache": Chromium's own, on case-blind file systems). */
export const codeCacheDirIn = (dataDir: string): string => path.join(dataDir, 'api-host-code-cache');
