// The path decisions of electron-native.mjs, apart from its side effects so they are unit-tested
// (scripts/electron-native.test.ts) with the paths of any platform.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project folder of a script in scripts/, from its module URL. fileURLToPath, not
 * URL#pathname: the pathname keeps %20 for a space and gives /C:/… on Windows.
 */
export function projectRoot(moduleUrl, platform = process.platform) {
  const windows = platform === 'win32';
  const paths = windows ? path.win32 : path.posix;
  return paths.resolve(paths.dirname(fileURLToPath(moduleUrl, { windows })), '..');
}

/**
 * Whether a file of the package at packageRoot is copied for the Electron build: everything but
 * the package's own build/ folder (the Node build). Decided on the path relative to the package,
 * so folders named "build" above it (a checkout in ~/build/…) do not matter.
 */
export function isCopiedForBuild(packageRoot, file, platform = process.platform) {
  const paths = platform === 'win32' ? path.win32 : path.posix;
  const [first] = paths.relative(packageRoot, file).split(paths.sep);
  return first !== 'build';
}

/** Copies the package at source into work (emptied first), leaving out its Node build. */
export function copyPackageForBuild(source, work) {
  fs.rmSync(work, { recursive: true, force: true });
  fs.cpSync(source, work, { recursive: true, filter: (file) => isCopiedForBuild(source, file) });
}

/**
 * Where `npm run package` puts better-sqlite3 built for Electron, for electron-builder.yml's
 * extraResources to copy into the package as resources/native/better_sqlite3.node.
 */
export function packagedSqliteBinding(root) {
  return path.join(root, '.cache', 'package', 'native', 'better_sqlite3.node');
}

/** Where `npm run package` records the platform, arch and Electron its native build is for. */
export function packagedNativeTarget(root) {
  return path.join(root, '.cache', 'package', 'target.json');
}
