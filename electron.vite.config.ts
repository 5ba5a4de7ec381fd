import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { CONTENT_SECURITY_POLICY } from './src/main/electron/csp';
import { lazySdkBarrels } from './scripts/lazy-sdk-barrels';
import { esmOnlyDependencies } from './scripts/esm-only-deps';

/** Puts the strict CSP into the built page only: the dev server's hot reload needs inline script. */
function contentSecurityPolicy(): Plugin {
  return {
    name: 'agent-keyring-csp',
    apply: 'build',
    transformIndexHtml: () => [
      { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' },
    ],
  };
}

export default defineConfig({
  main: {
    build: {
      // zod is bundled (and tree-shaken) rather than required whole: its package costs more to
      // load at start-up than the whole rest of the domain. ESM-only packages (oauth4webapi, jose,
      // age-encryption…) are bundled too: a packaged app would otherwise require() ES modules from
      // inside app.asar. Native modules (keytar, better-sqlite3) stay external, unpacked beside it.
      externalizeDeps: { exclude: ['zod', '@elevenlabs/elevenlabs-js', ...esmOnlyDependencies(__dirname)] },
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          // The API host, run as a utility process: it owns the SDK so the main process does not.
          'api-host': resolve(__dirname, 'src/main/elevenlabs/api-host/host.ts'),
          // The composition root on its own, as index.js loads it, so `npm run bench` can time the
          // built start-up in Node (Electron itself cannot run there).
          domain: resolve(__dirname, 'src/main/app/composition.ts'),
        },
      },
    },
    plugins: [lazySdkBarrels()],
  },
  preload: {
    build: {
      // Sandboxed preloads cannot require() packages: bundle everything into one CommonJS file.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].js' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    // electron-vite tells main this host and port (ELECTRON_RENDERER_URL), and main loads and
    // trusts that origin for IPC: Vite must fail when the port is taken, never move to another
    // one that main would not load (or, worse, leave main trusting whatever holds this one).
    // The address, not "localhost", so it cannot bind ::1 while something else holds 127.0.0.1.
    server: { host: '127.0.0.1', port: 5173, strictPort: true },
    build: {
      rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } },
    },
    plugins: [react(), contentSecurityPolicy()],
  },
});
