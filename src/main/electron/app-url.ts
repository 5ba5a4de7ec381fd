import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Which page is the app's own: the rules behind IPC trust and navigation. No electron import,
 * so they are unit-tested on every platform's paths.
 */

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The Vite dev server's URL, honoured only by a development build (`electron-vite dev`) that is
 * not packaged and only on loopback: a released app never takes its page from the environment.
 */
export function devServerUrl(input: { devBuild: boolean; packaged: boolean; env: Record<string, string | undefined> }): string | undefined {
  const value = input.env['ELECTRON_RENDERER_URL'];
  if (!input.devBuild || input.packaged || !value) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname) ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** A check for "this URL is the app's page": the built file, or the dev server in development. */
export function appUrlMatcher(options: { rendererFile: string; devUrl?: string; platform?: NodeJS.Platform }): (url: string) => boolean {
  const windows = (options.platform ?? process.platform) === 'win32';
  const paths = windows ? path.win32 : path.posix;
  // Windows paths compare without regard to case (C: and c: are one drive).
  const normal = (file: string) => (windows ? paths.resolve(file).toLowerCase() : paths.resolve(file));
  const rendererFile = normal(options.rendererFile);
  const devOrigin = options.devUrl ? new URL(options.devUrl).origin : undefined;
  return (url) => {
    try {
      const parsed = new URL(url);
      if (devOrigin) return parsed.origin === devOrigin;
      if (parsed.protocol !== 'file:') return false;
      return normal(fileURLToPath(parsed, { windows })) === rendererFile;
    } catch {
      return false;
    }
  };
}
