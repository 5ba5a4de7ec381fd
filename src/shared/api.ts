import { channelNames, type ChannelName, type EventName } from './channel-names';
import type { EventPayload, ReplyOf, RequestOf } from './contract';
import type { IpcReply } from './errors';

type Namespace<C extends string> = C extends `${infer N}:${string}` ? N : never;
type MethodsOf<N extends string> = {
  [C in ChannelName as C extends `${N}:${infer M}` ? M : never]: (request: RequestOf<C>) => Promise<IpcReply<ReplyOf<C>>>;
};

/** The object the preload exposes as `window.keyring`, built from the contract and nothing else. */
export type KeyringApi = { [N in Namespace<ChannelName>]: MethodsOf<N> } & {
  /** Subscribes to an event from main; returns the function that unsubscribes. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};

export type Invoke = (channel: ChannelName, request: unknown) => Promise<IpcReply<unknown>>;
export type Subscribe = (event: EventName, listener: (payload: unknown) => void) => () => void;

/**
 * Builds the API from a transport. The Electron preload passes `ipcRenderer.invoke`; the
 * browser preview passes a WebSocket. Both get exactly the same object.
 */
export function createKeyringApi(invoke: Invoke, subscribe: Subscribe): KeyringApi {
  const api: Record<string, Record<string, unknown>> = {};
  for (const channel of channelNames) {
    const [namespace, method] = channel.split(':') as [string, string];
    api[namespace] ??= {};
    api[namespace][method] = (request: unknown) => invoke(channel, request);
  }
  const on = (event: EventName, listener: (payload: unknown) => void) => subscribe(event, listener);
  return { ...api, on } as unknown as KeyringApi;
}
