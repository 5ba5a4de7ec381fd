import path from 'node:path';
import { app, BrowserWindow } from 'electron';
import { packagedResource } from './packaged-resources';

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
    icon: app.isPackaged ? packagedResource(process.resourcesPath, 'icon') : path.join(app.getAppPath(), 'resources', 'icon.png'),
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

/** The app's one window over its life: none (closed on macOS), loading, or loaded. */
export interface AppWindow {
  /** The open window, or null when there is none. */
  current(): BrowserWindow | null;
  /** Brings the window forward, creating it when there is none (a second launch, a Dock click). */
  show(): void;
  /**
   * Runs `deliver` once the window's page has loaded (and listens for events), creating and
   * showing the window first when there is none: a menu command is never dropped.
   */
  whenLoaded(deliver: () => void): void;
}

export function appWindow(rendererUrl: string | undefined): AppWindow {
  let window: BrowserWindow | null = null;
  let loaded = false;
  const waiting: (() => void)[] = [];

  const open = (): BrowserWindow => {
    if (window && !window.isDestroyed()) return window;
    const created = createMainWindow(rendererUrl);
    window = created;
    loaded = false;
    created.webContents.once('did-finish-load', () => {
      if (window !== created) return;
      loaded = true;
      waiting.splice(0).forEach((deliver) => deliver());
    });
    // What still waits for a page closed before it loaded goes to the next window.
    created.on('closed', () => {
      if (window === created) window = null;
    });
    return created;
  };
  // A window still loading shows itself when ready (createMainWindow); focus() would show it early.
  const bringForward = (target: BrowserWindow) => {
    if (target.isMinimized()) target.restore();
    else if (!target.isVisible()) return;
    target.focus();
  };

  return {
    current: () => (window && !window.isDestroyed() ? window : null),
    show: () => bringForward(open()),
    whenLoaded(deliver) {
      const target = open();
      if (loaded) deliver();
      else waiting.push(deliver);
      bringForward(target);
    },
  };
}

/**
 * A second launch and a Dock click bring the window forward, opening one when there is none
 * (on macOS the app keeps running after its window is closed).
 */
export function showWindowOnRelaunch(windows: AppWindow): void {
  app.on('second-instance', () => windows.show());
  app.on('activate', () => windows.show());
}
