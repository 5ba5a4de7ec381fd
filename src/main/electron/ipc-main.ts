import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { channelNames, EVENT_CHANNEL } from '../../shared/channel-names';
import type { Domain } from '../app/composition';

/**
 * Registers every contract channel through one wrapper: a request from anything but the app's
 * own window and page is refused; the rest goes to the domain's dispatcher, which validates it.
 */
export function registerIpc(domain: Domain, getWindow: () => BrowserWindow | null, isAppUrl: (url: string) => boolean): void {
  const isTrusted = (event: IpcMainInvokeEvent) => {
    const window = getWindow();
    const frameUrl = event.senderFrame?.url ?? '';
    return window !== null && event.sender === window.webContents && isAppUrl(frameUrl);
  };
  for (const channel of channelNames) {
    ipcMain.handle(channel, (event, request: unknown) => {
      if (!isTrusted(event)) {
        domain.log.warn('ipc request from an untrusted sender refused', { channel });
        return {
          ok: false,
          error: { code: 'invalid_request', message: 'Request refused: it did not come from the Agent Keyring window.' },
        };
      }
      return domain.dispatch(channel, request);
    });
  }
  domain.events.subscribe((event, payload) => {
    const window = getWindow();
    if (window && !window.isDestroyed()) window.webContents.send(EVENT_CHANNEL, { event, payload });
  });
}
