import fs from 'node:fs';
import path from 'node:path';
import { build, type Plugin } from 'esbuild';

/**
 * Builds `akr` (src/cli/akr.ts) into out/cli/akr-main.js, and the file users run, out/cli/akr.js (a
 * small loader that keeps V8's compiled code between runs, src/cli/loader.ts). Plain Node runs them:
 * commander, cross-spawn and zod are bundled, so they need nothing from node_modules (a packaged
 * app's node_modules sit inside asar, where a plain `node` cannot read them). Kept apart from
 * electron-vite's main build, which leaves dependencies external.
 */
export async function buildCli(outFile = path.join(__dirname, '..', 'out', 'cli', 'akr.js')): Promise<string> {
  const root = path.join(__dirname, '..');
  const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
  const common = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // Smaller to parse at every start (akr run's start-up is on every command's path).
    minifySyntax: true,
    minifyWhitespace: true,
    logLevel: 'warning',
  } as const;
  await Promise.all([
    // akr itself, beside the loader.
    build({
      ...common,
      entryPoints: [path.join(root, 'src', 'cli', 'akr.ts')],
      outfile: path.join(path.dirname(outFile), 'akr-main.js'),
      define: { 'process.env.AKR_VERSION': JSON.stringify(version) },
      plugins: [zodEnglishOnly],
    }),
    // The file users run: the compile cache, then akr.
    build({
      ...common,
      entryPoints: [path.join(root, 'src', 'cli', 'loader.ts')],
      outfile: outFile,
      banner: { js: '#!/usr/bin/env node' },
    }),
  ]);
  fs.chmodSync(outFile, 0o755);
  return outFile;
}

/**
 * zod's `z` carries every locale (`z.locales`), which esbuild cannot shake out of a namespace
 * object; akr speaks English only, so the locale index is replaced by English alone (a third of
 * zod's weight, parsed at every start).
 */
const zodEnglishOnly: Plugin = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      args.importer.includes(`${path.sep}zod${path.sep}`)
        ? { path: path.join(path.dirname(args.importer), args.path), namespace: 'zod-locales' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(path.join(path.dirname(args.path), 'en.js'))};`,
      resolveDir: path.dirname(args.path),
    }));
  },
};

if (require.main === module) {
  buildCli().then(
    (file) => process.stdout.write(`built ${path.relative(process.cwd(), file)}\n`),
    (error: unknown) => {
      process.stderr.write(`${(error as Error).message}\n`);
      process.exit(1);
    },
  );
}
