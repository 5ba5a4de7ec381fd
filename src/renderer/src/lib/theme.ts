import { ThemeSchema, type Theme } from '../../../shared/schemas/settings';

/**
 * The theme lives in SQLite (the settings); this page keeps a copy in localStorage only so the
 * next start can paint in the right colours before main has answered.
 */
const STORAGE_KEY = 'agent-keyring-theme';

/** Sets `data-theme` on <html>: the stylesheet follows it ('system' follows the OS setting). */
export function applyTheme(theme: Theme): void {
  document.documentElement.dataset['theme'] = theme;
  try {
    localStorage.setItem(STORAGE_KEY, theme);
  } catch {
    // Storage refused (private mode): the setting in SQLite still applies once it is read.
  }
}

/** Before the first paint: the theme last applied here, else the system's. */
export function applyRememberedTheme(): void {
  let remembered: string | null = null;
  try {
    remembered = localStorage.getItem(STORAGE_KEY);
  } catch {
    remembered = null;
  }
  const parsed = ThemeSchema.safeParse(remembered);
  document.documentElement.dataset['theme'] = parsed.success ? parsed.data : 'system';
}
