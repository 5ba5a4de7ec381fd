import type { App } from 'electron';

/**
 * A builder coming back to the window is about to sync or push: the API host (stopped after a
 * quiet minute) starts as the window gains focus, so the first action does not wait for it.
 */
export function warmUpOnFocus(app: Pick<App, 'on'>, warmUp: () => void): void {
  app.on('browser-window-focus', () => warmUp());
}
