import fs from 'node:fs';
import path from 'node:path';
import { app } from 'electron';
import { packagedResource } from './packaged-resources';

/** Where this Electron looks for its build of better-sqlite3, and in what kind of copy of the app. */
export interface SqliteBindingPlace {
  packaged: boolean;
  appPath: string;
  resourcesPath: string;
  electronVersion: string;
}

const here = (): SqliteBindingPlace => ({
  packaged: app.isPackaged,
  appPath: app.getAppPath(),
  resourcesPath: process.resourcesPath,
  electronVersion: process.versions.electron ?? 'unknown',
});

/**
 * better-sqlite3 compiled for Electron's ABI, kept apart from the Node build in node_modules
 * (which tests and tools use). `npm start` builds it first (scripts/electron-native.mjs).
 */
export function electronSqliteBindingFile(place: SqliteBindingPlace = here()): string {
  return place.packaged
    ? packagedResource(place.resourcesPath, 'sqliteBinding')
    : path.join(place.appPath, '.cache', 'electron-native', place.electronVersion, 'better_sqlite3.node');
}

/**
 * The Electron build's path, checked before the database is opened: without it better-sqlite3
 * would load the Node build from node_modules and fail with a NODE_MODULE_VERSION error that
 * says nothing of how to fix it.
 */
export function electronSqliteBinding(place: SqliteBindingPlace = here()): string {
  const file = electronSqliteBindingFile(place);
  if (!fs.existsSync(file)) throw new Error(missingBindingMessage(file, place));
  return file;
}

function missingBindingMessage(file: string, place: SqliteBindingPlace): string {
  if (place.packaged)
    return [
      `This copy of Agent Keyring is incomplete: its database driver (better-sqlite3 built for Electron ${place.electronVersion}) is missing.`,
      `Missing file: ${file}`,
      'Install Agent Keyring again.',
    ].join('\n');
  return [
    `better-sqlite3 has not been built for Electron ${place.electronVersion}, so Agent Keyring cannot open its database.`,
    `Missing file: ${file}`,
    `To build it, run "npm start" (it builds it first), or "node scripts/electron-native.mjs" in ${place.appPath}, then start the app again.`,
  ].join('\n');
}

/**
 * What to tell the user when the app could not start. A better-sqlite3 built for another runtime
 * (the Node build, or one for another Electron) fails to load with a NODE_MODULE_VERSION error:
 * that becomes a message naming what was loaded, the file needed and how to build it.
 */
export function startFailureMessage(error: unknown, place: SqliteBindingPlace = here()): string {
  const message = error instanceof Error ? error.message : String(error);
  if (!/NODE_MODULE_VERSION/.test(message)) return message;
  const loaded = /The module '([^']+)'/.exec(message)?.[1];
  const file = electronSqliteBindingFile(place);
  return [
    `The database driver (better-sqlite3) that Agent Keyring loaded was built for another version of Node or Electron, not for Electron ${place.electronVersion}.`,
    ...(loaded ? [`Loaded: ${loaded}`] : []),
    `Needed: ${file}`,
    place.packaged
      ? 'Install Agent Keyring again.'
      : `To rebuild it, delete that file and run "npm start" (it builds it first), or "node scripts/electron-native.mjs" in ${place.appPath}, then start the app again.`,
  ].join('\n');
}
