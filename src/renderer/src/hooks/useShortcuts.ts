import { useEffect } from 'react';
import {
  focusSearch,
  openAddWorkspace,
  showView,
  switchToIndex,
  syncActive,
  syncAll,
} from '../stores/actions';
import { useInventory } from '../stores/inventory';
import { useUi } from '../stores/ui';

/** True when the key goes to a text field (then `/` types a slash). */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) {
    return !['button', 'checkbox', 'radio', 'submit', 'reset', 'range', 'color', 'file'].includes(target.type);
  }
  return false;
}

/**
 * The app's keyboard shortcuts, bound here so they work the same in Electron (where the menu
 * shows them without registering them) and in the browser preview. See lib/shortcuts.ts.
 */
export function useShortcuts(): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing) return;
      const ui = useUi.getState();
      // A modal dialog handles its own keys (Escape, Tab).
      if (ui.dialog) return;
      const mod = ui.isMac ? event.metaKey && !event.ctrlKey : event.ctrlKey && !event.metaKey;
      const key = event.key.toLowerCase();

      if (mod && !event.altKey) {
        const digit = /^Digit([1-9])$/.exec(event.code)?.[1] ?? (/^[1-9]$/.test(event.key) ? event.key : undefined);
        if (digit && !event.shiftKey) {
          event.preventDefault();
          switchToIndex(Number(digit) - 1);
          return;
        }
        const action = event.shiftKey
          ? { r: syncAll, s: () => showView('secrets'), a: () => showView('connections'), w: () => showView('workspaces') }[key]
          : { n: openAddWorkspace, r: syncActive, f: focusSearch }[key];
        if (action) {
          event.preventDefault();
          action();
        }
        return;
      }

      if (event.key === '/' && !event.ctrlKey && !event.metaKey && !event.altKey && !isTyping(event.target)) {
        event.preventDefault();
        focusSearch();
        return;
      }

      if (event.key === 'Escape' && !event.ctrlKey && !event.metaKey && !event.altKey) {
        const inventory = useInventory.getState();
        if (inventory.openSecret || inventory.selectedIndex !== null) {
          event.preventDefault();
          inventory.open(null);
          inventory.select(null);
        }
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
