import fs from 'node:fs/promises';
import path from 'node:path';
import { app, dialog, type BrowserWindow } from 'electron';
import type { FileSaver } from '../ports/file-saver';

/**
 * Exports through the system's Save dialog, offered in the Downloads folder. A cancelled dialog
 * writes nothing and says so; the path chosen is returned so the app can say where the file went.
 */
export function saveDialogFileSaver(window: () => BrowserWindow | null): FileSaver {
  return {
    async save(file) {
      const options = { defaultPath: path.join(app.getPath('downloads'), path.basename(file.fileName)) };
      const owner = window();
      const choice = owner ? await dialog.showSaveDialog(owner, options) : await dialog.showSaveDialog(options);
      if (choice.canceled || !choice.filePath) return { saved: false };
      await fs.writeFile(choice.filePath, file.content);
      return { saved: true, path: choice.filePath };
    },
  };
}
