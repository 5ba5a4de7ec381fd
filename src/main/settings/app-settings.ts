import { AppSettingsSchema, defaultAppSettings, type AppSettingsValues } from '../../shared/schemas/settings';
import type { Database } from '../db/database';

const KEY = 'app_settings';

/** The user's preferences, one JSON row in `settings`; anything unreadable falls back to the defaults. */
export class AppSettings {
  constructor(private readonly db: Database) {}

  get(): AppSettingsValues {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(KEY) as { value: string } | undefined;
    if (!row) return defaultAppSettings;
    const parsed = AppSettingsSchema.safeParse({ ...defaultAppSettings, ...(JSON.parse(row.value) as object) });
    return parsed.success ? parsed.data : defaultAppSettings;
  }

  update(changes: Partial<AppSettingsValues>): AppSettingsValues {
    const next = AppSettingsSchema.parse({
      ...this.get(),
      ...Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)),
    });
    this.db
      .prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
      .run(KEY, JSON.stringify(next));
    return next;
  }
}
