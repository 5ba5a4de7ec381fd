import { createKeyringApi, type KeyringApi } from '../../shared/api';
import type { ChannelName, EventName } from '../../shared/channel-names';
import type { IpcReply } from '../../shared/errors';

/**
 * The browser preview's stand-in for the Electron preload: the same `window.keyring` object,
 * built from the same contract, carried over a loopback WebSocket that demands the run's token.
 * Loaded before the app's own script; never part of the packaged app.
 */
declare global {
  interface Window {
    keyring: KeyringApi;
  }
}

const TOKEN_KEY = 'agent-keyring-preview-token';
const hashToken = new URLSearchParams(location.hash.slice(1)).get('token');
if (hashToken) {
  sessionStorage.setItem(TOKEN_KEY, hashToken);
  // Keep the token out of the address bar and history once read.
  history.replaceState(null, '', location.pathname + location.search);
}
const token = sessionStorage.getItem(TOKEN_KEY) ?? '';

type Pending = { resolve: (reply: IpcReply<unknown>) => void };
const pending = new Map<number, Pending>();
const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
let nextId = 1;
let socket: WebSocket;
let opened: Promise<void>;

function connect(): void {
  socket = new WebSocket(
    `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/__preview/socket?token=${encodeURIComponent(token)}`,
  );
  opened = new Promise((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener('error', () => reject(new Error('preview socket failed')), { once: true });
  });
  socket.addEventListener('message', (message) => {
    const data = JSON.parse(String(message.data)) as { id?: number; reply?: IpcReply<unknown>; event?: EventName; payload?: unknown };
    if (data.id !== undefined && data.reply) {
      pending.get(data.id)?.resolve(data.reply);
      pending.delete(data.id);
    } else if (data.event) {
      for (const listener of listeners.get(data.event) ?? []) listener(data.payload);
    }
  });
  socket.addEventListener('close', () => {
    for (const { resolve } of pending.values()) {
      resolve({ ok: false, error: { code: 'unreachable', message: 'Lost the connection to the Agent Keyring preview process.' } });
    }
    pending.clear();
  });
}
connect();

async function invoke(channel: ChannelName, request: unknown): Promise<IpcReply<unknown>> {
  try {
    await opened;
  } catch {
    return {
      ok: false,
      error: {
        code: 'unreachable',
        message: 'Could not connect to the Agent Keyring preview process (is it running, and was the page opened with its token?).',
      },
    };
  }
  const id = nextId++;
  return new Promise((resolve) => {
    pending.set(id, { resolve });
    socket.send(JSON.stringify({ id, channel, request }));
  });
}

function subscribe(event: EventName, listener: (payload: unknown) => void): () => void {
  let set = listeners.get(event);
  if (!set) listeners.set(event, (set = new Set()));
  set.add(listener);
  return () => set.delete(listener);
}

window.keyring = createKeyringApi(invoke, subscribe);
