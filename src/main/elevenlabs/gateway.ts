import { operationNames, type OperationEvent, type OperationName, type OperationRequest, type OperationResult } from './operations';
import type { ApiTarget, RetryNotice } from './types';

export interface CallOptions<K extends OperationName> {
  signal?: AbortSignal;
  /** Partial results (pages of a listing), in order, before the call resolves. */
  onEvent?: (event: OperationEvent<K>) => void;
  /** The host is waiting before it tries again (rate limited, server error). */
  onRetry?: (notice: RetryNotice) => void;
}

/** One workspace's API as the rest of the app sees it: one method per operation in the table. */
export type WorkspaceApi = {
  [K in OperationName]: (request: OperationRequest<K>, options?: CallOptions<K>) => Promise<OperationResult<K>>;
};

/** Builds a WorkspaceApi per workspace: its key, its base URL. */
export interface ElevenLabsGateway {
  forWorkspace(target: ApiTarget): WorkspaceApi;
  /**
   * A call is about to be needed (a sync is reading its key, the user is reading a push plan):
   * get ready for it now, so the wait overlaps that work instead of following it.
   */
  warmUp(): void;
}

type AnyCall = (name: OperationName, request: unknown, options: CallOptions<OperationName>) => Promise<unknown>;

/** A WorkspaceApi whose every method goes through `call`: how forwarders and wrappers are derived. */
export function workspaceApiFrom(call: AnyCall): WorkspaceApi {
  const api: Record<string, unknown> = {};
  for (const name of operationNames)
    api[name] = (request: unknown, options: CallOptions<OperationName> = {}) => call(name, request, options);
  return api as WorkspaceApi;
}
