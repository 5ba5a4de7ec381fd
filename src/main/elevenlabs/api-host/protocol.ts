import type { IpcError } from '../../../shared/errors';
import type { SdkGatewayOptions } from '../sdk-gateway';
import type { ApiTarget, WorkspaceApi } from '../types';

/**
 * Messages between the main process and the API host, the process that owns the SDK. They
 * carry the API key of the call (memory to memory between the app's own processes; never
 * logged or stored) and plain data only.
 */
export type ApiMethod = keyof WorkspaceApi;

export type ToHost =
  /** `args` are the method's arguments without its abort signal. */
  | { type: 'call'; id: number; target: ApiTarget; method: ApiMethod; args: unknown[] }
  | { type: 'abort'; id: number };

export type FromHost =
  | { type: 'result'; id: number; value: unknown }
  | { type: 'error'; id: number; error: IpcError }
  /** One page of a `streamSecrets` call, before its result. */
  | { type: 'page'; id: number; value: unknown };

/** How main talks to one host process, whatever started it (Node fork, Electron utilityProcess). */
export interface HostChannel {
  send(message: ToHost): void;
  onMessage(listener: (message: FromHost) => void): void;
  /** Called once if the process exits or cannot start. */
  onExit(listener: (reason: string) => void): void;
  kill(): void;
}

/** Starts a host whose SDK clients use these options (timeouts, retries). */
export type HostLauncher = (options: Partial<SdkGatewayOptions>) => HostChannel;
