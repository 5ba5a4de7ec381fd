import path from 'node:path';

/**
 * What a packaged app finds under process.resourcesPath, outside app.asar: electron-builder.yml's
 * extraResources puts each there (scripts/package-config.test.ts checks that every one is shipped).
 */
export const PACKAGED_RESOURCES = {
  /** The window icon (Linux; macOS and Windows take theirs from the app bundle). */
  icon: 'icon.png',
  /** better-sqlite3 built for Electron (native-binding.ts). */
  sqliteBinding: 'native/better_sqlite3.node',
} as const;

/** The file of a packaged resource, in a packaged app's resources folder. */
export function packagedResource(resourcesPath: string, name: keyof typeof PACKAGED_RESOURCES): string {
  return path.join(resourcesPath, ...PACKAGED_RESOURCES[name].split('/'));
}
