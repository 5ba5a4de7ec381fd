/**
 * Saving a file the app made (an export: names and outcomes, never a value) where the user
 * chooses. Electron asks with the system Save dialog (src/main/electron/save-dialog.ts); the user
 * may cancel it, and then nothing was saved and the app must not say otherwise.
 */
export interface FileToSave {
  fileName: string;
  mimeType: string;
  content: string;
}

/** Where the file went, or that it went nowhere (the Save dialog was cancelled). */
export type SaveResult = { saved: true; path: string } | { saved: false };

export interface FileSaver {
  save(file: FileToSave): Promise<SaveResult>;
}
