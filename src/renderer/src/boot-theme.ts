import { applyRememberedTheme } from './lib/theme';

// Imported first by main.tsx, so it runs before React renders anything: no flash of the other theme.
applyRememberedTheme();
