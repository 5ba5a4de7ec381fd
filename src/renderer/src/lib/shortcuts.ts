/** Shortcuts are written as "Mod+Shift+R": Mod is ⌘ on macOS and Ctrl elsewhere. */
export type Combo = string;

export interface ShortcutEntry {
  combo: Combo;
  description: string;
}

export const SHORTCUTS = {
  addWorkspace: 'Mod+N',
  syncActive: 'Mod+R',
  syncAll: 'Mod+Shift+R',
  focusSearch: 'Mod+F',
  showSecrets: 'Mod+Shift+S',
  showConnections: 'Mod+Shift+A',
  showWorkspaces: 'Mod+Shift+W',
} as const;

export const shortcutList: ShortcutEntry[] = [
  { combo: 'Mod+1…9', description: 'Switch to workspace 1 to 9' },
  { combo: SHORTCUTS.addWorkspace, description: 'Add a workspace' },
  { combo: SHORTCUTS.syncActive, description: 'Sync the active workspace' },
  { combo: SHORTCUTS.syncAll, description: 'Sync all workspaces' },
  { combo: SHORTCUTS.focusSearch, description: 'Search (also /)' },
  { combo: SHORTCUTS.showSecrets, description: 'Show secrets' },
  { combo: SHORTCUTS.showConnections, description: 'Show auth connections' },
  { combo: SHORTCUTS.showWorkspaces, description: 'Show workspaces' },
  { combo: '↑ ↓', description: 'Move through the secrets list' },
  { combo: 'Enter', description: 'Open the selected secret' },
  { combo: 'Escape', description: 'Close a dialog, or clear the selection' },
];

/** How a combo reads on this platform: "Ctrl+Shift+R", or "⇧⌘R" on macOS. */
export function displayCombo(combo: Combo, isMac: boolean): string {
  if (!combo.includes('Mod')) return combo;
  const parts = combo.split('+');
  if (!isMac) return parts.map((p) => (p === 'Mod' ? 'Ctrl' : p)).join('+');
  const symbols: Record<string, string> = { Mod: '⌘', Shift: '⇧', Alt: '⌥' };
  const modifiers = parts.filter((p) => p in symbols);
  const key = parts.filter((p) => !(p in symbols)).join('+');
  // macOS order: ⌥ ⇧ ⌘ then the key.
  const order = ['Alt', 'Shift', 'Mod'];
  return modifiers.sort((a, b) => order.indexOf(a) - order.indexOf(b)).map((m) => symbols[m]).join('') + key;
}

/** The `aria-keyshortcuts` value of a combo. */
export function ariaCombo(combo: Combo, isMac: boolean): string {
  return combo
    .split('+')
    .map((p) => (p === 'Mod' ? (isMac ? 'Meta' : 'Control') : p))
    .join('+');
}

/** Best guess until main says which platform this is. */
export function guessIsMac(): boolean {
  return /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
}
