import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

/**
 * Builds `akr` (src/cli/akr.ts) into one self-contained file, out/cli/akr.js, that plain Node runs:
 * commander, cross-spawn and zod are bundled, so it needs nothing from node_modules (a packaged
 * app's node_modules sit inside asar, where a plain `node` cannot read them). Kept apart from
 * electron-vite's main build, which leaves dependencies external.
 */
export async function buildCli(outFile = path.join(__dirname, '..', 'out', 'cli', 'akr.js')): Promise<string> {
  const root = path.join(__dirname, '..');
  const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
  await build({
    entryPoints: [path.join(root, 'src', 'cli', 'akr.ts')],
    outfile: outFile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // Smaller to parse at every start (akr run's start-up is on every command's path).
    minifySyntax: true,
    minifyWhitespace: true,
    banner: { js: '#!/usr/bin/env node' },
    define: { 'process.env.AKR_VERSION': JSON.stringify(version) },
    logLevel: 'warning',
  });
  fs.chmodSync(outFile, 0o755);
  return outFile;
}

if (require.main === module) {
  buildCli().then(
    (file) => process.stdout.write(`built ${path.relative(process.cwd(), file)}\n`),
    (error: unknown) => {
      process.stderr.write(`${(error as Error).message}\n`);
      process.exit(1);
    },
  );
}
