import { contextBridge, ipcRenderer } from 'electron';
import { createKeyringApi } from '../shared/api';
import { EVENT_CHANNEL, type EventName } from '../shared/channel-names';

/**
 * Exposes `window.keyring`, built from the IPC contract. No logic: main validates everything.
 * Events arrive on one channel and are fanned out by name here.
 */
const api = createKeyringApi(
  (channel, request) => ipcRenderer.invoke(channel, request),
  (event: EventName, listener) => {
    const handler = (_: unknown, message: { event: EventName; payload: unknown }) => {
      if (message?.event === event) listener(message.payload);
    };
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, handler);
    };
  },
);

contextBridge.exposeInMainWorld('keyring', api);
