import type { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from 'vitest';

// The Electron binary cannot run in this test environment, so these tests check the glue's own
// decisions (what it allows, refuses and passes on) against a stand-in `electron` module.

const electron = vi.hoisted(() => {
  const appHandlers = new Map<string, (...args: unknown[]) => void>();
  const handled = new Map<string, (event: unknown, request: unknown) => unknown>();
  const windows: StandInWindow[] = [];
  return {
    appHandlers,
    handled,
    windows,
    openExternal: vi.fn(async () => undefined),
    showSaveDialog: vi.fn(async (..._args: unknown[]): Promise<{ canceled: boolean; filePath?: string }> => ({ canceled: true })),
    showOpenDialog: vi.fn(async (..._args: unknown[]): Promise<{ canceled: boolean; filePaths: string[] }> => ({
      canceled: true,
      filePaths: [],
    })),
    downloads: '/home/ada/Downloads',
    menuTemplate: [] as { label?: string; submenu?: { label?: string; accelerator?: string; click?: () => void }[] }[],
    permissionHandler: undefined as undefined | ((c: unknown, p: string, cb: (ok: boolean) => void, d: PermissionDetails) => void),
    permissionCheck: undefined as undefined | ((c: unknown, p: string, origin: string, d: PermissionDetails) => boolean),
    headersHandler: undefined as undefined | ((details: { responseHeaders: Record<string, string[]> }, cb: (r: unknown) => void) => void),
  };
});

/** A BrowserWindow as far as the glue uses it: shown, minimised, focused, loaded, closed. */
interface StandInWindow extends EventEmitter {
  options: Record<string, unknown>;
  webContents: EventEmitter & { send: Mock };
  visible: boolean;
  minimized: boolean;
  focus: Mock;
  close(): void;
}

vi.mock('electron', async () => {
  const { EventEmitter } = await import('node:events');
  class BrowserWindow extends EventEmitter {
    webContents = Object.assign(new EventEmitter(), { send: vi.fn() });
    visible = false;
    minimized = false;
    destroyed = false;
    focus = vi.fn();
    constructor(readonly options: Record<string, unknown>) {
      super();
      electron.windows.push(this);
    }
    loadURL = vi.fn(async () => undefined);
    loadFile = vi.fn(async () => undefined);
    show = () => (this.visible = true);
    isVisible = () => this.visible && !this.minimized;
    isMinimized = () => this.minimized;
    restore = () => (this.minimized = false);
    isDestroyed = () => this.destroyed;
    close = () => {
      this.destroyed = true;
      this.emit('closed');
    };
  }
  return {
    app: {
      on: (name: string, handler: (...args: unknown[]) => void) => electron.appHandlers.set(name, handler),
      isPackaged: false,
      getAppPath: () => '/opt/app',
      getPath: (name: string) => (name === 'downloads' ? electron.downloads : `/home/ada/${name}`),
    },
    dialog: { showSaveDialog: electron.showSaveDialog, showOpenDialog: electron.showOpenDialog },
    Menu: {
      buildFromTemplate: (template: typeof electron.menuTemplate) => (electron.menuTemplate = template),
      setApplicationMenu: () => undefined,
    },
    shell: { openExternal: electron.openExternal },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (h: typeof electron.permissionHandler) => (electron.permissionHandler = h),
        setPermissionCheckHandler: (h: typeof electron.permissionCheck) => (electron.permissionCheck = h),
        webRequest: { onHeadersReceived: (h: typeof electron.headersHandler) => (electron.headersHandler = h) },
      },
    },
    ipcMain: {
      handle: (channel: string, handler: (event: unknown, request: unknown) => unknown) => electron.handled.set(channel, handler),
    },
    BrowserWindow,
  };
});

const { hardenSessions } = await import('./security');
const { appWindow, createMainWindow, showWindowOnRelaunch } = await import('./window');
const { registerIpc } = await import('./ipc-main');
const { CONTENT_SECURITY_POLICY } = await import('./csp');
const { installMenu } = await import('./menu');
const { electronSqliteBinding, startFailureMessage } = await import('./native-binding');
const { electronFileSaver } = await import('./save-dialog');
const { electronFileChooser } = await import('./file-dialogs');
const { channelNames } = await import('../../shared/channel-names');

type PermissionDetails = { requestingUrl?: string; isMainFrame: boolean };

const appPage = 'file:///opt/agent-keyring/out/renderer/index.html';
const isAppUrl = (url: string) => url === appPage;

beforeEach(() => {
  electron.openExternal.mockClear();
});

describe('window and session hardening', () => {
  it('creates the window isolated, sandboxed, without Node, with the preload only', () => {
    createMainWindow(undefined);
    const prefs = electron.windows.at(-1)!.options['webPreferences'] as Record<string, unknown>;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false });
    expect(String(prefs['preload'])).toMatch(/preload[\\/]index\.js$/);
  });

  it("lets the app's page write to the clipboard, and grants nothing else to anyone", () => {
    hardenSessions(isAppUrl, { devServer: false });
    // Asked (request) and checked (check) alike, as Chromium does before navigator.clipboard.writeText.
    const request = (permission: string, details: PermissionDetails) => {
      const decide = vi.fn();
      electron.permissionHandler!({}, permission, decide, details);
      return decide.mock.calls[0]![0] as boolean;
    };
    const check = (permission: string, details: PermissionDetails) => electron.permissionCheck!(null, permission, 'file://', details);
    for (const decide of [request, check]) {
      expect(decide('clipboard-sanitized-write', { requestingUrl: appPage, isMainFrame: true })).toBe(true);
      expect(decide('clipboard-sanitized-write', { requestingUrl: 'https://evil.example/', isMainFrame: true })).toBe(false);
      expect(decide('clipboard-sanitized-write', { requestingUrl: appPage, isMainFrame: false })).toBe(false);
      expect(decide('clipboard-sanitized-write', { isMainFrame: false })).toBe(false);
      for (const other of ['clipboard-read', 'media', 'notifications', 'openExternal', 'geolocation'])
        expect(decide(other, { requestingUrl: appPage, isMainFrame: true })).toBe(false);
    }
  });

  it('sets the CSP on responses', () => {
    hardenSessions(isAppUrl, { devServer: false });
    const result = vi.fn();
    electron.headersHandler!({ responseHeaders: {} }, result);
    expect(result).toHaveBeenCalledWith({ responseHeaders: { 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-(inline|eval)/);
  });

  it('refuses navigation away from the app and new windows, sending web links to the browser', () => {
    hardenSessions(isAppUrl, { devServer: false });
    const listeners = new Map<string, (event: { preventDefault(): void }, url: string) => void>();
    let openHandler: ((details: { url: string }) => { action: string }) | undefined;
    const contents = {
      on: (name: string, listener: (event: { preventDefault(): void }, url: string) => void) => listeners.set(name, listener),
      setWindowOpenHandler: (handler: typeof openHandler) => (openHandler = handler),
    };
    electron.appHandlers.get('web-contents-created')!({}, contents);

    const navigate = (url: string) => {
      const event = { preventDefault: vi.fn() };
      listeners.get('will-navigate')!(event, url);
      return event.preventDefault.mock.calls.length > 0;
    };
    expect(navigate('https://evil.example/phish')).toBe(true);
    expect(navigate('file:///etc/passwd')).toBe(true);
    expect(navigate(appPage)).toBe(false);

    const attach = { preventDefault: vi.fn() };
    listeners.get('will-attach-webview')!(attach, '');
    expect(attach.preventDefault).toHaveBeenCalled();

    expect(openHandler!({ url: 'https://elevenlabs.io/docs' })).toEqual({ action: 'deny' });
    expect(openHandler!({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(openHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(electron.openExternal.mock.calls).toEqual([['https://elevenlabs.io/docs']]);
  });
});

describe('IPC registration', () => {
  it('registers every channel and answers only the app window and page', async () => {
    const dispatch = vi.fn(async () => ({ ok: true, data: 'answer' }));
    const window = { webContents: { send: vi.fn() }, isDestroyed: () => false };
    const domain = { dispatch, log: { warn: vi.fn() }, events: { subscribe: vi.fn() } };
    registerIpc(domain as never, () => window as never, isAppUrl);
    expect([...electron.handled.keys()].sort()).toEqual([...channelNames].sort());

    const handler = electron.handled.get('workspaces:list')!;
    expect(await handler({ sender: window.webContents, senderFrame: { url: appPage } }, {})).toEqual({ ok: true, data: 'answer' });
    const fromElsewhere = await handler({ sender: window.webContents, senderFrame: { url: 'https://evil.example/' } }, {});
    const fromOtherContents = await handler({ sender: {}, senderFrame: { url: appPage } }, {});
    for (const refused of [fromElsewhere, fromOtherContents])
      expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(dispatch).toHaveBeenCalledTimes(1);
  });
});

describe('the application menu', () => {
  it('sends its commands through the typed event path, never a raw webContents.send', () => {
    const emitted: string[] = [];
    const windows = appWindow(undefined);
    windows.show();
    electron.windows.at(-1)!.webContents.emit('did-finish-load');
    installMenu((command) => emitted.push(command), windows);
    const items = electron.menuTemplate.flatMap((entry) => entry.submenu ?? []);
    items.find((item) => item.label === 'Add Workspace…')!.click!();
    expect(items.find((item) => item.label === 'Sync All Workspaces')).toMatchObject({
      accelerator: 'CmdOrCtrl+Shift+R',
      registerAccelerator: false,
    });
    items.find((item) => item.label === 'Sync All Workspaces')!.click!();
    expect(emitted).toEqual(['add-workspace', 'sync-all']);
  });
});

describe('the window over the life of the app', () => {
  const relaunch = () => electron.appHandlers.get('second-instance')!();
  const dockClick = () => electron.appHandlers.get('activate')!();

  it('opens a window on a second launch or a Dock click when none is open, and brings an open one forward', () => {
    const windows = appWindow(undefined);
    showWindowOnRelaunch(windows);
    const before = electron.windows.length;

    dockClick();
    const first = electron.windows.at(-1)!;
    expect(electron.windows).toHaveLength(before + 1);
    first.emit('ready-to-show');
    expect(first.visible).toBe(true);

    first.minimized = true;
    relaunch();
    expect(electron.windows).toHaveLength(before + 1);
    expect(first.minimized).toBe(false);
    expect(first.focus).toHaveBeenCalled();

    // macOS: the user closes the window and the app keeps running.
    first.close();
    expect(windows.current()).toBeNull();
    relaunch();
    expect(electron.windows).toHaveLength(before + 2);
    expect(windows.current()).toBe(electron.windows.at(-1));
    electron.windows.at(-1)!.close();
    dockClick();
    expect(electron.windows).toHaveLength(before + 3);
  });

  it('runs a menu command chosen with no window open in a new window, once its page has loaded', () => {
    const windows = appWindow(undefined);
    const emitted: string[] = [];
    installMenu((command) => emitted.push(command), windows);
    const click = (label: string) =>
      electron.menuTemplate.flatMap((entry) => entry.submenu ?? []).find((item) => item.label === label)!.click!();
    const before = electron.windows.length;

    click('Add Workspace…');
    expect(electron.windows).toHaveLength(before + 1);
    // Sent now, it would reach a page that does not listen yet.
    expect(emitted).toEqual([]);
    click('Sync All Workspaces');
    expect(electron.windows).toHaveLength(before + 1);
    electron.windows.at(-1)!.webContents.emit('did-finish-load');
    expect(emitted).toEqual(['add-workspace', 'sync-all']);

    click('Add Workspace…');
    expect(emitted).toEqual(['add-workspace', 'sync-all', 'add-workspace']);

    electron.windows.at(-1)!.close();
    click('Sync All Workspaces');
    expect(electron.windows).toHaveLength(before + 2);
    expect(emitted).toHaveLength(3);
    electron.windows.at(-1)!.webContents.emit('did-finish-load');
    expect(emitted.at(-1)).toBe('sync-all');
  });
});

describe("Electron's build of better-sqlite3", () => {
  const temps: string[] = [];
  afterEach(() => temps.splice(0).forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));
  const checkout = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agent keyring '));
    temps.push(dir);
    return { packaged: false, appPath: dir, resourcesPath: path.join(dir, 'resources'), electronVersion: '40.8.5' };
  };

  it('is found before the database opens, and when it is missing the app says which file and how to build it', () => {
    const place = checkout();
    const file = path.join(place.appPath, '.cache', 'electron-native', '40.8.5', 'better_sqlite3.node');
    expect(() => electronSqliteBinding(place)).toThrow(`Missing file: ${file}`);
    expect(() => electronSqliteBinding(place)).toThrow(/not been built for Electron 40\.8\.5/);
    expect(() => electronSqliteBinding(place)).toThrow(/run "npm start" \(it builds it first\), or "node scripts\/electron-native\.mjs"/);

    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '');
    expect(electronSqliteBinding(place)).toBe(file);
  });

  it('missing from a packaged app says the copy is incomplete and names the file', () => {
    const place = { ...checkout(), packaged: true };
    const file = path.join(place.resourcesPath, 'native', 'better_sqlite3.node');
    expect(() => electronSqliteBinding(place)).toThrow(`Missing file: ${file}`);
    expect(() => electronSqliteBinding(place)).toThrow(/Install Agent Keyring again/);
  });

  it('built for another runtime (NODE_MODULE_VERSION) is explained too: what was loaded, what is needed, how to build it', () => {
    const place = checkout();
    const nodeBuild = path.join(place.appPath, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
    // Node's own wording, wrapped by openDatabase.
    const failure = new Error(
      `Could not open the database at /home/ada/.config/Agent Keyring/agent-keyring.sqlite: The module '${nodeBuild}'\n` +
        'was compiled against a different Node.js version using\nNODE_MODULE_VERSION 115. This version of Node.js requires\n' +
        'NODE_MODULE_VERSION 143. Please try re-compiling or re-installing\nthe module (for instance, using `npm rebuild` or `npm install`).',
    );
    const message = startFailureMessage(failure, place);
    expect(message).toContain('built for another version of Node or Electron, not for Electron 40.8.5');
    expect(message).toContain(`Loaded: ${nodeBuild}`);
    expect(message).toContain(`Needed: ${path.join(place.appPath, '.cache', 'electron-native', '40.8.5', 'better_sqlite3.node')}`);
    expect(message).toContain('"npm start" (it builds it first), or "node scripts/electron-native.mjs"');
    expect(message).not.toContain('npm rebuild');

    expect(startFailureMessage(new Error('The keychain is locked.'), place)).toBe('The keychain is locked.');
  });
});

describe('saving an export', () => {
  const file = { fileName: 'agent-keyring-activity-2026-12-04.csv', mimeType: 'text/csv', content: 'when,what\n2026-12-04,push\n' };
  let folder: string;
  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'save dialog '));
    electron.downloads = folder;
    electron.showSaveDialog.mockReset();
  });
  afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

  it('asks where, in Downloads on the app window, and says nothing was saved when the dialog is cancelled', async () => {
    const window = { id: 1 };
    electron.showSaveDialog.mockResolvedValueOnce({ canceled: true, filePath: '' });
    expect(await electronFileSaver(() => window as never).save(file)).toEqual({ saved: false });
    expect(electron.showSaveDialog).toHaveBeenCalledWith(window, {
      title: 'Save agent-keyring-activity-2026-12-04.csv',
      defaultPath: path.join(folder, 'agent-keyring-activity-2026-12-04.csv'),
      filters: [{ name: 'CSV', extensions: ['csv'] }],
    });
    expect(fs.readdirSync(folder)).toEqual([]);
  });

  it('writes the file where the user chose and says where', async () => {
    const chosen = path.join(folder, 'activity for Ada.csv');
    fs.writeFileSync(chosen, 'an older export');
    electron.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: chosen });
    expect(await electronFileSaver(() => null).save(file)).toEqual({ saved: true, path: chosen });
    expect(fs.readFileSync(chosen, 'utf8')).toBe(file.content);
    expect(fs.readdirSync(folder)).toEqual(['activity for Ada.csv']);
  });

  it('names the file and the folder when it cannot be written, leaving nothing behind', async () => {
    const chosen = path.join(folder, 'no such folder', 'activity.csv');
    electron.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: chosen });
    await expect(electronFileSaver(() => null).save(file)).rejects.toMatchObject({
      code: 'storage_failed',
      message: expect.stringContaining(`Could not save agent-keyring-activity-2026-12-04.csv to ${chosen}`),
    });
    expect(fs.readdirSync(folder)).toEqual([]);
  });
});

describe('choosing a backup file', () => {
  beforeEach(() => {
    electron.showSaveDialog.mockReset();
    electron.showOpenDialog.mockReset();
  });

  it('asks where to save a backup on the app window, in Documents, and chooses nothing when cancelled', async () => {
    const window = { id: 1 };
    const chooser = electronFileChooser(() => window as never);
    electron.showSaveDialog.mockResolvedValueOnce({ canceled: true, filePath: '' });
    expect(await chooser.chooseSave('agent-keyring-2026-12-04.age')).toBeNull();
    expect(electron.showSaveDialog).toHaveBeenCalledWith(window, {
      title: 'Save the backup',
      defaultPath: path.join('/home/ada/documents', 'agent-keyring-2026-12-04.age'),
      filters: [{ name: 'Agent Keyring backup (age)', extensions: ['age'] }],
      properties: ['createDirectory', 'showOverwriteConfirmation'],
    });
    electron.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: '/media/usb/keyring.age' });
    expect(await chooser.chooseSave('agent-keyring-2026-12-04.age')).toBe('/media/usb/keyring.age');
  });

  it('opens one backup file the user picks, and chooses nothing when cancelled', async () => {
    const chooser = electronFileChooser(() => null);
    electron.showOpenDialog.mockResolvedValueOnce({ canceled: true, filePaths: [] });
    expect(await chooser.chooseOpen()).toBeNull();
    electron.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: ['/media/usb/keyring.age'] });
    expect(await chooser.chooseOpen()).toBe('/media/usb/keyring.age');
    expect(electron.showOpenDialog).toHaveBeenLastCalledWith(expect.objectContaining({ properties: ['openFile'] }));
  });
});
