/**
 * The system clipboard, as main uses it for "copy value": main reads the keychain and writes the
 * clipboard itself, so a copied value never visits the renderer. Electron passes its clipboard
 * module; the preview and tests use a clipboard in memory.
 */
export interface Clipboard {
  write(text: string): void;
  read(): string;
}

/** A clipboard of this process only (preview, tests): what a copy put there, until it is cleared. */
export function memoryClipboard(): Clipboard {
  let text = '';
  return {
    write: (value) => {
      text = value;
    },
    read: () => text,
  };
}
