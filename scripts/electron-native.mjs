// Builds better-sqlite3 for Electron's ABI into .cache/electron-native/<electron version>/,
// leaving the Node build in node_modules untouched: tests and tools (Node) and the app
// (Electron) then both work, in either order, without a manual rebuild.
//
// Runs before `npm start` / `npm run dev`. It tries the prebuilt binary first
// (prebuild-install, as better-sqlite3's own install does) and compiles against Electron's
// headers if there is none. Needs the network the first time only.
//
// With --package (npm run package) it also copies that build to where electron-builder.yml takes
// it into the package (resources/native/, where src/main/electron/native-binding.ts looks), and
// does not need Electron's own binary: electron-builder brings its own Electron.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { copyPackageForBuild, packagedNativeTarget, packagedSqliteBinding, projectRoot } from './electron-native-paths.mjs';

const require = createRequire(import.meta.url);
const root = projectRoot(import.meta.url);
const electronVersion = require('electron/package.json').version;
const target = path.join(root, '.cache', 'electron-native', electronVersion, 'better_sqlite3.node');
const forPackage = process.argv.includes('--package');

// Without Electron's own binary nothing can open: say how to get it, and how to try the app without it.
// (The folder can be set for the test of this message.)
const electronDir = process.env.AGENT_KEYRING_ELECTRON_DIR ?? path.join(root, 'node_modules', 'electron');
if (!forPackage && !fs.existsSync(path.join(electronDir, 'path.txt'))) {
  console.error(
    [
      "Agent Keyring cannot start: Electron's binary is not installed.",
      'It is skipped when npm runs with ELECTRON_SKIP_BINARY_DOWNLOAD=1, or when its download from GitHub failed.',
      '',
      'To install it (needs access to github.com):',
      '  node node_modules/electron/install.js',
      'or reinstall without that variable:',
      '  rm -rf node_modules && npm install',
      'then run "npm start" again.',
      '',
      'To try the app without Electron, in your browser:',
      '  npm run preview -- --port 5180 --data-dir /tmp/agent-keyring-dev',
      'and open the address it prints.',
    ].join('\n'),
  );
  process.exit(1);
}

if (!fs.existsSync(target)) build();
if (forPackage) {
  const packaged = packagedSqliteBinding(root);
  fs.mkdirSync(path.dirname(packaged), { recursive: true });
  fs.copyFileSync(target, packaged);
  // The beforePack hook (scripts/before-pack.mjs) refuses a package for another platform or arch.
  const built = { platform: process.platform, arch: process.arch, electron: electronVersion };
  fs.writeFileSync(packagedNativeTarget(root), `${JSON.stringify(built)}\n`);
  console.log(
    `better-sqlite3 for Electron ${electronVersion} (${process.platform}-${process.arch}) is ready to package at ${path.relative(root, packaged)}`,
  );
}

function build() {
  const source = path.dirname(require.resolve('better-sqlite3/package.json'));
  const work = path.join(root, '.cache', 'electron-native', `build-${electronVersion}`);
  copyPackageForBuild(source, work);

  // The npm config of some machines points node-gyp at Node's own headers; Electron needs its own.
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (/^npm_config_(nodedir|target|runtime|disturl)$/i.test(key)) delete env[key];
  const run = (command, args) => execFileSync(command, args, { cwd: work, env, stdio: 'inherit' });

  console.log(`Building better-sqlite3 for Electron ${electronVersion} (once)...`);
  try {
    run(process.execPath, [
      require.resolve('prebuild-install/bin.js', { paths: [source] }),
      '--runtime=electron',
      `--target=${electronVersion}`,
      '--verbose',
    ]);
  } catch {
    const nodeGyp = require.resolve('node-gyp/bin/node-gyp.js', {
      paths: [path.dirname(process.execPath), ...(process.env.npm_execpath ? [path.dirname(process.env.npm_execpath)] : [])],
    });
    run(process.execPath, [
      nodeGyp,
      'rebuild',
      '--release',
      '--runtime=electron',
      `--target=${electronVersion}`,
      '--dist-url=https://electronjs.org/headers',
    ]);
  }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(path.join(work, 'build', 'Release', 'better_sqlite3.node'), target);
  fs.rmSync(work, { recursive: true, force: true });
  console.log(`better-sqlite3 for Electron is at ${path.relative(root, target)}`);
}
