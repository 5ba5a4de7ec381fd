import path from 'node:path';
import { app, clipboard, dialog, shell } from 'electron';
import { createDomain, DEFAULT_KEYCHAIN_SERVICE, type Domain } from './app/composition';
import { assertWebUrl } from './ports/browser';
import { electronHostLauncher } from './electron/api-host-process';
import { codeCacheDirIn } from './elevenlabs/api-host/protocol';
import { appUrlMatcher, devServerUrl } from './electron/app-url';
import { registerIpc } from './electron/ipc-main';
import { installMenu } from './electron/menu';
import { electronSqliteBinding, startFailureMessage } from './electron/native-binding';
import { electronFileSaver } from './electron/save-dialog';
import { electronFileChooser } from './electron/file-dialogs';
import { hardenSessions } from './electron/security';
import { warmUpOnFocus } from './electron/warm-up';
import { appWindow, showWindowOnRelaunch } from './electron/window';
import { startBrokerServer, type RunningBroker } from './broker/server';
import { defaultSocketDir } from './broker/socket-path';

// Electron glue only: lifecycle, the window, the menu, IPC registration. The domain is built by
// the same composition root the browser preview uses.

// import.meta.env.DEV is fixed at build time: only `electron-vite dev` builds may use a dev server.
const rendererUrl = devServerUrl({ devBuild: import.meta.env.DEV, packaged: app.isPackaged, env: process.env });
/** Only the app's own page (the built file, or the dev server in development). */
const isAppUrl = appUrlMatcher({ rendererFile: path.join(__dirname, '../renderer/index.html'), devUrl: rendererUrl });

if (process.env['AGENT_KEYRING_DATA_DIR']) app.setPath('userData', path.resolve(process.env['AGENT_KEYRING_DATA_DIR']));

const windows = appWindow(rendererUrl);
let domain: Domain | null = null;
let broker: Promise<RunningBroker> | null = null;

if (!app.requestSingleInstanceLock()) {
  // Another Agent Keyring owns the database and keychain entries; let it come forward instead
  // (its 'second-instance' handler, below).
  app.quit();
} else {
  app.whenReady().then(() => {
    hardenSessions(isAppUrl, { devServer: Boolean(rendererUrl) });
    try {
      domain = createDomain({
        dataDir: app.getPath('userData'),
        transport: 'electron',
        version: app.getVersion(),
        keychainService: process.env['AGENT_KEYRING_KEYCHAIN_SERVICE'] ?? DEFAULT_KEYCHAIN_SERVICE,
        nativeBinding: electronSqliteBinding(),
        apiHost: electronHostLauncher(path.join(__dirname, 'api-host.js'), codeCacheDirIn(app.getPath('userData'))),
        browser: { open: (url) => shell.openExternal(assertWebUrl(url).href) },
        clipboard: { write: (text) => clipboard.writeText(text), read: () => clipboard.readText() },
        fileSaver: electronFileSaver(windows.current),
        backupFiles: electronFileChooser(windows.current),
      });
    } catch (error) {
      // Said in the terminal too, for `electron .` and `npm start`.
      const message = startFailureMessage(error);
      process.stderr.write(`Agent Keyring cannot start:\n${message}\n`);
      dialog.showErrorBox('Agent Keyring cannot start', message);
      app.exit(1);
      return;
    }
    registerIpc(domain, windows.current, isAppUrl);
    // akr's socket (a per-user folder of mode 0700); a problem is shown in Settings › Command line.
    broker = startBrokerServer(domain.broker, { socketDir: defaultSocketDir(), log: domain.log, redactor: domain.redactor });
    warmUpOnFocus(app, () => domain?.warmUp());
    installMenu((command) => domain?.events.emit('app:menuCommand', { command }), windows);
    windows.show();
    showWindowOnRelaunch(windows);
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  let closing = false;
  app.on('will-quit', (event) => {
    if (!domain || closing) return;
    // Let running syncs stop and the database close cleanly before exiting.
    event.preventDefault();
    closing = true;
    const current = domain;
    void Promise.resolve(broker?.then((running) => running.close()))
      .then(() => current.close())
      .finally(() => app.quit());
  });
}
