import type { KeyringApi } from '../../shared/api';
import type { IpcError, IpcReply } from '../../shared/errors';

declare global {
  interface Window {
    /** Exposed by the preload (or the browser preview's bridge); the renderer's only way out. */
    keyring: KeyringApi;
  }
}

/** A failed IPC call: carries the user-facing `IpcError` from main, unchanged. */
export class KeyringError extends Error {
  constructor(readonly error: IpcError) {
    super(error.message);
    this.name = 'KeyringError';
  }
}

/** The API object, or a clear failure when the page was opened without the preload/bridge. */
export function keyring(): KeyringApi {
  const api = (window as Partial<Window>).keyring;
  if (!api) {
    throw new KeyringError({
      code: 'internal',
      message: 'Agent Keyring cannot reach its background process (the page was opened outside the app).',
    });
  }
  return api;
}

/**
 * Unwraps an IPC reply: resolves to its data, or throws a `KeyringError` whose message is the
 * one main wrote for the user. Transport failures become `KeyringError`s too.
 */
export async function call<T>(request: (api: KeyringApi) => Promise<IpcReply<T>>): Promise<T> {
  let reply: IpcReply<T>;
  try {
    reply = await request(keyring());
  } catch (error) {
    throw new KeyringError(toIpcError(error));
  }
  if (!reply.ok) throw new KeyringError(reply.error);
  return reply.data;
}

/** Any thrown value as an `IpcError`, so views show one kind of message. */
export function toIpcError(error: unknown): IpcError {
  if (error instanceof KeyringError) return error.error;
  return {
    code: 'internal',
    message: 'Something went wrong in the Agent Keyring window. Nothing was changed.',
  };
}

/** Subscribes to a main-process event; a no-op when the API is missing. */
export const onEvent: KeyringApi['on'] = (event, listener) => {
  const api = (window as Partial<Window>).keyring;
  return api ? api.on(event, listener) : () => undefined;
};
