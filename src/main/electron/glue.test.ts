import { beforeEach, describe, expect, it, vi } from 'vitest';

// The Electron binary cannot run in this test environment, so these tests check the glue's own
// decisions (what it allows, refuses and passes on) against a stand-in `electron` module.

const electron = vi.hoisted(() => {
  const appHandlers = new Map<string, (...args: unknown[]) => void>();
  const handled = new Map<string, (event: unknown, request: unknown) => unknown>();
  const windows: { options: Record<string, unknown> }[] = [];
  return {
    appHandlers,
    handled,
    windows,
    openExternal: vi.fn(async () => undefined),
    menuTemplate: [] as { label?: string; submenu?: { label?: string; accelerator?: string; click?: () => void }[] }[],
    permissionHandler: undefined as undefined | ((c: unknown, p: string, cb: (ok: boolean) => void, d: PermissionDetails) => void),
    permissionCheck: undefined as undefined | ((c: unknown, p: string, origin: string, d: PermissionDetails) => boolean),
    headersHandler: undefined as undefined | ((details: { responseHeaders: Record<string, string[]> }, cb: (r: unknown) => void) => void),
  };
});

vi.mock('electron', () => {
  class BrowserWindow {
    webContents = { send: vi.fn() };
    constructor(readonly options: Record<string, unknown>) {
      electron.windows.push({ options });
    }
    once() {}
    loadURL = vi.fn(async () => undefined);
    loadFile = vi.fn(async () => undefined);
    isDestroyed = () => false;
  }
  return {
    app: {
      on: (name: string, handler: (...args: unknown[]) => void) => electron.appHandlers.set(name, handler),
      isPackaged: false,
      getAppPath: () => '/opt/app',
    },
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
const { createMainWindow } = await import('./window');
const { registerIpc } = await import('./ipc-main');
const { CONTENT_SECURITY_POLICY } = await import('./csp');
const { installMenu } = await import('./menu');
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
    installMenu((command) => emitted.push(command));
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
