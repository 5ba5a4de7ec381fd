import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { app, dialog, type BrowserWindow, type SaveDialogOptions } from 'electron';
import { AppError } from '../errors';
import type { FileSaver } from '../ports/file-saver';

const FILTERS: Record<string, SaveDialogOptions['filters']> = {
  '.csv': [{ name: 'CSV', extensions: ['csv'] }],
  '.json': [{ name: 'JSON', extensions: ['json'] }],
};

/**
 * The file saver of the Electron app: the system Save dialog, opened on the app's window in the
 * Downloads folder with the file's name. Cancelled, it saves nothing and says so; chosen, the file
 * is written beside its destination and renamed into place, so it is never half-written.
 */
export function electronFileSaver(getWindow: () => BrowserWindow | null): FileSaver {
  return {
    async save(file) {
      const options: SaveDialogOptions = {
        title: `Save ${file.fileName}`,
        defaultPath: path.join(app.getPath('downloads'), file.fileName),
        filters: FILTERS[path.extname(file.fileName).toLowerCase()] ?? [],
      };
      const window = getWindow();
      const answer = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
      if (answer.canceled || !answer.filePath) return { saved: false };
      const destination = answer.filePath;
      const part = path.join(path.dirname(destination), `.${path.basename(destination)}.${randomUUID()}.part`);
      try {
        await fs.writeFile(part, file.content, { encoding: 'utf8', flag: 'wx' });
        await fs.rename(part, destination);
      } catch (error) {
        await fs.rm(part, { force: true });
        throw new AppError('storage_failed', `Could not save ${file.fileName} to ${destination}: ${(error as Error).message}`);
      }
      return { saved: true, path: destination };
    },
  };
}
