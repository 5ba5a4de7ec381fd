import { app, session, shell, type WebContents } from 'electron';
import { CONTENT_SECURITY_POLICY } from './csp';

/**
 * App-wide hardening, applied before any window exists: deny every permission request, refuse
 * navigation and new windows (sending http(s) links to the system browser instead), and set
 * the CSP header on every response outside development.
 */
export function hardenSessions(isAppUrl: (url: string) => boolean, options: { devServer: boolean }): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
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
