import path from 'node:path';
import { app, dialog, type BrowserWindow, type OpenDialogOptions, type SaveDialogOptions } from 'electron';
import { BACKUP_EXTENSION, type FileChooser } from '../ports/file-chooser';

const FILTERS = [{ name: 'Agent Keyring backup (age)', extensions: [BACKUP_EXTENSION.slice(1)] }];

/**
 * The backup file chooser of the Electron app: the system Save and Open dialogs on the app's
 * window, starting in Documents. Cancelled, they choose nothing and the app says so.
 */
export function electronFileChooser(getWindow: () => BrowserWindow | null): FileChooser {
  return {
    async chooseSave(suggestedName) {
      const options: SaveDialogOptions = {
        title: 'Save the backup',
        defaultPath: path.join(app.getPath('documents'), suggestedName),
        filters: FILTERS,
        properties: ['createDirectory', 'showOverwriteConfirmation'],
      };
      const window = getWindow();
      const answer = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
      return answer.canceled || !answer.filePath ? null : answer.filePath;
    },
    async chooseOpen() {
      const options: OpenDialogOptions = {
        title: 'Choose a backup',
        defaultPath: app.getPath('documents'),
        filters: [...FILTERS, { name: 'All files', extensions: ['*'] }],
        properties: ['openFile'],
      };
      const window = getWindow();
      const answer = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
      return answer.canceled ? null : (answer.filePaths[0] ?? null);
    },
  };
}
