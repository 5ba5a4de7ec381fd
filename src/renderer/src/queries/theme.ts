import { applyTheme } from '../lib/theme';
import { queryClient, queryKeys } from './client';
import { settingsQuery } from './local-secrets';
import type { AppSettingsValues } from '../../../shared/schemas/settings';

/**
 * Applies the theme kept in the settings at start, and again whenever the settings in the cache
 * change (saved here, or read again).
 */
export function followThemeSetting(): void {
  queryClient.getQueryCache().subscribe((event) => {
    if (event.type !== 'updated' || event.query.queryKey[0] !== queryKeys.settings[0]) return;
    const settings = event.query.state.data as AppSettingsValues | undefined;
    if (settings) applyTheme(settings.theme);
  });
  void queryClient.fetchQuery(settingsQuery).catch(() => {
    // The Settings screen says why the settings cannot be read; the remembered theme stays.
  });
}
