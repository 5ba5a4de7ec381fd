import { app, session, shell, type WebContents } from 'electron';
import { CONTENT_SECURITY_POLICY } from './csp';

/**
 * The permissions the app's own page uses: writing text to the clipboard (the copy buttons of
 * names, ids and the redirect URI, through navigator.clipboard). Reading it is not one of them.
 */
const APP_PAGE_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

/**
 * App-wide hardening, applied before any window exists: grant only the app page's own
 * permissions, to its main frame, and deny everything else; refuse navigation and new windows
 * (sending http(s) links to the system browser instead), and set the CSP header on every response
 * outside development.
 */
export function hardenSessions(isAppUrl: (url: string) => boolean, options: { devServer: boolean }): void {
  const allowed = (permission: string, details: { requestingUrl?: string; isMainFrame: boolean }) =>
    APP_PAGE_PERMISSIONS.has(permission) && details.isMainFrame && isAppUrl(details.requestingUrl ?? '');
  // Chromium checks first and may then ask: both must give the same answer.
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback, details) => callback(allowed(permission, details)));
  session.defaultSession.setPermissionCheckHandler((_contents, permission, _origin, details) => allowed(permission, details));
  // The built page carries the same policy in a meta tag (file:// responses have no headers);
  // the dev server's hot reload needs inline script, so it is left without one.
  if (!options.devServer) {
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      callback({
        responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
      });
    });
  }

  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      openExternalSafely(url);
      return { action: 'deny' };
    });
  });
}

/** Only web links leave the app, and only to the system browser. */
export function openExternalSafely(url: string): void {
  try {
    const { protocol } = new URL(url);
    if (protocol === 'https:' || protocol === 'http:') void shell.openExternal(url);
  } catch {
    // Not a URL: ignore.
  }
}
