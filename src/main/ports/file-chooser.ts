import fs from 'node:fs';
import path from 'node:path';

/**
 * Where a backup goes and which one to read: asked in main, so the renderer never names a path to
 * write. Electron shows its Save and Open dialogs (electron/file-dialogs.ts); the preview and tests
 * use one folder without asking (folderFileChooser).
 */
export interface FileChooser {
  /** The path the user chose to save `suggestedName` at, or null when they cancelled. */
  chooseSave(suggestedName: string): Promise<string | null>;
  /** The backup file the user chose to open, or null when they cancelled. */
  chooseOpen(): Promise<string | null>;
}

/** What the app's backups are called and end with. */
export const BACKUP_EXTENSION = '.age';

/**
 * The preview's and tests' stand-in for the dialogs: saves into one folder (never over a file, as
 * the file saver does) and opens the newest backup there, so a test can back up with one preview
 * and restore with another that shares the folder. No backup there reads as a cancelled dialog.
 */
export function folderFileChooser(folder: string): FileChooser {
  return {
    async chooseSave(suggestedName) {
      fs.mkdirSync(folder, { recursive: true });
      const { name, ext } = path.parse(path.basename(suggestedName));
      for (let n = 1; n <= 1000; n += 1) {
        const target = path.join(folder, n === 1 ? `${name}${ext}` : `${name} (${n})${ext}`);
        if (!fs.existsSync(target)) return target;
      }
      throw new Error(`no free name for ${suggestedName} in ${folder}`);
    },
    async chooseOpen() {
      let names: string[];
      try {
        names = fs.readdirSync(folder).filter((name) => name.endsWith(BACKUP_EXTENSION) && !name.startsWith('.'));
      } catch {
        return null;
      }
      const newest = names
        .map((name) => ({ file: path.join(folder, name), at: fs.statSync(path.join(folder, name)).mtimeMs }))
        .sort((a, b) => b.at - a.at || b.file.localeCompare(a.file))[0];
      return newest?.file ?? null;
    },
  };
}
