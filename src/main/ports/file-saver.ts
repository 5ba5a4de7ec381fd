import fs from 'node:fs/promises';
import path from 'node:path';

/** A file for the user to keep (an export), built by main. */
export interface FileToSave {
  fileName: string;
  mimeType: string;
  content: string;
}

/** Where the file went (the full path), or that the user cancelled the Save dialog and nothing was written, so the app must not say otherwise. */
export type SaveResult = { saved: true; path: string } | { saved: false };

/**
 * Asks the user where to save a file and writes it there. Electron shows its Save dialog (a
 * cancelled dialog writes nothing); the preview and tests write into a folder of their own.
 */
export interface FileSaver {
  save(file: FileToSave): Promise<SaveResult>;
}

/**
 * Saves into one folder without asking (preview, tests): never over an existing file, so the
 * name gets " (2)", " (3)"... as a browser's downloads do.
 */
export function folderFileSaver(folder: string): FileSaver {
  return {
    async save(file) {
      await fs.mkdir(folder, { recursive: true });
      const { name, ext } = path.parse(path.basename(file.fileName));
      for (let n = 1; ; n += 1) {
        const target = path.join(folder, n === 1 ? `${name}${ext}` : `${name} (${n})${ext}`);
        try {
          await fs.writeFile(target, file.content, { flag: 'wx' });
          return { saved: true, path: target };
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || n >= 1000) throw error;
        }
      }
    },
  };
}
