import path from 'node:path';
import { app, BrowserWindow } from 'electron';

/** The one window. Every web preference that matters for security is spelled out. */
export function createMainWindow(rendererUrl: string | undefined): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 560,
    show: false,
    title: 'Agent Keyring',
    backgroundColor: '#0f1115',
    // The window icon on Linux (macOS and Windows take theirs from the app bundle).
    icon: path.join(app.isPackaged ? process.resourcesPath : path.join(app.getAppPath(), 'resources'), 'icon.png'),
    webPreferences: {
      preload: path.join(__dirname, '../preload/index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  if (rendererUrl) void window.loadURL(rendererUrl);
  else void window.loadFile(path.join(__dirname, '../renderer/index.html'));
  return window;
}
