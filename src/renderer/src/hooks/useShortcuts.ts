import { useEffect } from 'react';
import { commandOfKey } from '../lib/shortcuts';
import { cachedIsMac } from '../queries/workspaces';
import { runMenuCommand, switchToIndex } from '../stores/actions';
import { useBrowse } from '../stores/browse';
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
 * The app's keyboard shortcuts, from the one table in shared/commands.ts that the Electron
 * menu shows too (it does not register them), so they work the same in the browser preview.
 */
export function useShortcuts(): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing) return;
      // A modal dialog handles its own keys (Escape, Tab).
      if (useUi.getState().dialog) return;
      const isMac = cachedIsMac();
      const mod = isMac ? event.metaKey && !event.ctrlKey : event.ctrlKey && !event.metaKey;

      if (mod && !event.altKey && !event.shiftKey) {
        const digit = /^Digit([1-9])$/.exec(event.code)?.[1] ?? (/^[1-9]$/.test(event.key) ? event.key : undefined);
        if (digit) {
          event.preventDefault();
          switchToIndex(Number(digit) - 1);
          return;
        }
      }
      const command = commandOfKey(event, mod);
      if (command) {
        event.preventDefault();
        runMenuCommand(command);
        return;
      }

      if (event.key === '/' && !event.ctrlKey && !event.metaKey && !event.altKey && !isTyping(event.target)) {
        event.preventDefault();
        runMenuCommand('focus-search');
        return;
      }

      if (event.key === 'Escape' && !event.ctrlKey && !event.metaKey && !event.altKey) {
        const browse = useBrowse.getState();
        if (browse.openSecret || browse.selection) {
          event.preventDefault();
          browse.clearSelection();
        }
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
