import type { ServerOptions } from 'vite';
import { describe, expect, it } from 'vitest';
import { appUrlMatcher, devServerUrl } from './app-url';

describe('the app page check (IPC trust, navigation)', () => {
  it('accepts the built page on Windows, with spaces, any drive-letter case, a hash or a query', () => {
    const isAppUrl = appUrlMatcher({
      rendererFile: 'C:\\Program Files\\Agent Keyring\\resources\\app.asar\\out\\renderer\\index.html',
      platform: 'win32',
    });
    expect(isAppUrl('file:///C:/Program%20Files/Agent%20Keyring/resources/app.asar/out/renderer/index.html')).toBe(true);
    expect(isAppUrl('file:///c:/Program%20Files/Agent%20Keyring/resources/app.asar/out/renderer/index.html#/secrets')).toBe(true);
    expect(isAppUrl('file:///C:/Program%20Files/Agent%20Keyring/resources/app.asar/out/renderer/other.html')).toBe(false);
    expect(isAppUrl('file:///D:/Program%20Files/Agent%20Keyring/resources/app.asar/out/renderer/index.html')).toBe(false);
    expect(isAppUrl('file://evil-share/C$/index.html')).toBe(false);
    expect(isAppUrl('https://evil.example/index.html')).toBe(false);
  });

  it('accepts the built page on macOS and Linux, and nothing that only decodes to it', () => {
    const isAppUrl = appUrlMatcher({
      rendererFile: '/Applications/Agent Keyring.app/Contents/Resources/app.asar/out/renderer/index.html',
      platform: 'darwin',
    });
    expect(isAppUrl('file:///Applications/Agent%20Keyring.app/Contents/Resources/app.asar/out/renderer/index.html')).toBe(true);
    expect(isAppUrl('file:///Applications/Agent%20Keyring.app/Contents/Resources/app.asar/out/renderer/../renderer/index.html')).toBe(true);
    expect(isAppUrl('file:///Applications/Agent%20Keyring.app/Contents/Resources/app.asar/out/renderer/index.html%2F..%2Fx')).toBe(false);
    expect(isAppUrl('file:///etc/passwd')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });

  it('trusts only the dev server origin when one is in use', () => {
    const isAppUrl = appUrlMatcher({
      rendererFile: '/opt/app/out/renderer/index.html',
      devUrl: 'http://localhost:5173/',
      platform: 'linux',
    });
    expect(isAppUrl('http://localhost:5173/')).toBe(true);
    expect(isAppUrl('http://localhost:5173/src/main.tsx')).toBe(true);
    expect(isAppUrl('http://localhost:5174/')).toBe(false);
    expect(isAppUrl('file:///opt/app/out/renderer/index.html')).toBe(false);
  });
});

describe('the dev server rule', () => {
  const env = { ELECTRON_RENDERER_URL: 'http://localhost:5173/' };
  it('is honoured only by an unpackaged development build, and only on loopback', () => {
    expect(devServerUrl({ devBuild: true, packaged: false, env })).toBe('http://localhost:5173/');
    expect(devServerUrl({ devBuild: false, packaged: false, env })).toBeUndefined();
    expect(devServerUrl({ devBuild: true, packaged: true, env })).toBeUndefined();
    expect(devServerUrl({ devBuild: true, packaged: false, env: {} })).toBeUndefined();
    expect(devServerUrl({ devBuild: true, packaged: false, env: { ELECTRON_RENDERER_URL: 'http://evil.example:5173/' } })).toBeUndefined();
    expect(devServerUrl({ devBuild: true, packaged: false, env: { ELECTRON_RENDERER_URL: 'not a url' } })).toBeUndefined();
  });
});

describe('the dev server of `npm run dev`', () => {
  it('keeps the one address electron-vite tells main, which main then trusts', async () => {
    const config = (await import('../../../electron.vite.config')).default as { renderer: { server: ServerOptions } };
    const server = config.renderer.server;
    // A taken port must stop `npm run dev`, not move Vite to a port main neither loads nor trusts.
    expect(server).toMatchObject({ strictPort: true, port: 5173, host: '127.0.0.1' });

    // electron-vite announces the configured host and port (not the one bound) as ELECTRON_RENDERER_URL.
    const announced = `http://${server.host}:${server.port}`;
    const devUrl = devServerUrl({ devBuild: true, packaged: false, env: { ELECTRON_RENDERER_URL: announced } });
    const isAppUrl = appUrlMatcher({ rendererFile: '/opt/app/out/renderer/index.html', devUrl, platform: 'linux' });
    expect(isAppUrl('http://127.0.0.1:5173/')).toBe(true);
    expect(isAppUrl('http://127.0.0.1:5174/')).toBe(false);
    expect(isAppUrl('http://localhost:5173/')).toBe(false);
  });
});
