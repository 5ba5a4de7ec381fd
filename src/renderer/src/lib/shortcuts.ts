import { appCommandNames, appCommands, otherShortcuts, type AppCommand } from '../../../shared/commands';

/** Shortcuts are written as "Mod+Shift+R": Mod is ⌘ on macOS and Ctrl elsewhere (see commands.ts). */
export type Combo = string;

export interface ShortcutEntry {
  combo: Combo;
  description: string;
}

/** Every shortcut for the shortcuts dialog and table: the app commands, then the other keys. */
export const shortcutList: ShortcutEntry[] = [
  otherShortcuts[0],
  ...appCommandNames.map((name) => ({ combo: appCommands[name].combo, description: appCommands[name].description })),
  ...otherShortcuts.slice(1),
];

const commandByCombo = new Map<Combo, AppCommand>(appCommandNames.map((name) => [appCommands[name].combo, name]));

/** The app command a key press means, if any (Mod+letter combos only). */
export function commandOfKey(event: Pick<KeyboardEvent, 'key' | 'shiftKey' | 'altKey'>, mod: boolean): AppCommand | undefined {
  if (!mod || event.altKey || event.key.length !== 1) return undefined;
  return commandByCombo.get(`Mod+${event.shiftKey ? 'Shift+' : ''}${event.key.toUpperCase()}`);
}

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
  return (
    modifiers
      .sort((a, b) => order.indexOf(a) - order.indexOf(b))
      .map((m) => symbols[m])
      .join('') + key
  );
}

/** The `aria-keyshortcuts` value of a combo. */
export function ariaCombo(combo: Combo, isMac: boolean): string {
  return combo
    .split('+')
    .map((p) => (p === 'Mod' ? (isMac ? 'Meta' : 'Control') : p))
    .join('+');
}

/** The combo of an app command, for buttons that run it. */
export function comboOf(command: AppCommand): Combo {
  return appCommands[command].combo;
}

/** Best guess until main says which platform this is. */
export function guessIsMac(): boolean {
  return /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
}
