import fs from 'node:fs';
import path from 'node:path';
import { app } from 'electron';

/**
 * better-sqlite3 compiled for Electron's ABI, kept apart from the Node build in node_modules
 * (which tests and tools use). `npm start` builds it first (scripts/electron-native.mjs).
 */
export function electronSqliteBinding(): string | undefined {
  const candidates = app.isPackaged
    ? [path.join(process.resourcesPath, 'native', 'better_sqlite3.node')]
    : [path.join(app.getAppPath(), '.cache', 'electron-native', process.versions.electron, 'better_sqlite3.node')];
  return candidates.find((file) => fs.existsSync(file));
}
