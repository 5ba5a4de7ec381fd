import {
  AppSettingsSchema,
  defaultAppSettings,
  isReviewed,
  type AppSettingsValues,
  type UpdateSettingsRequestSchema,
} from '../../shared/schemas/settings';
import type { z } from 'zod';
import type { ActivityLog } from '../activity/activity-log';
import type { Database } from '../db/database';

const KEY = 'app_settings';

type Changes = z.output<typeof UpdateSettingsRequestSchema>;

/** How each setting is named in the activity log. */
const names: Record<keyof AppSettingsValues, string> = {
  clipboardClearSeconds: 'Clear the clipboard after',
  revealSeconds: 'Hide a revealed value after',
  rotationDays: 'Not rotated after',
  theme: 'Theme',
  reviewWorkspaces: 'Workspaces Review compares',
};

/** The user's preferences, one JSON row in `settings`; anything unreadable falls back to the defaults. */
export class AppSettings {
  constructor(
    private readonly db: Database,
    private readonly activity: ActivityLog,
  ) {}

  get(): AppSettingsValues {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(KEY) as { value: string } | undefined;
    if (!row) return defaultAppSettings;
    const parsed = AppSettingsSchema.safeParse({ ...defaultAppSettings, ...(JSON.parse(row.value) as object) });
    return parsed.success ? parsed.data : defaultAppSettings;
  }

  /** Saves the given settings (review choices are merged into those kept) and records what changed. */
  update(changes: Changes): AppSettingsValues {
    const before = this.get();
    const given = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) as Changes;
    const next = AppSettingsSchema.parse({
      ...before,
      ...given,
      reviewWorkspaces: { ...before.reviewWorkspaces, ...given.reviewWorkspaces },
    });
    const changed = (Object.keys(names) as (keyof AppSettingsValues)[]).filter(
      (key) => JSON.stringify(before[key]) !== JSON.stringify(next[key]),
    );
    this.db.transaction(() => {
      this.db
        .prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
        .run(KEY, JSON.stringify(next));
      if (changed.length > 0) {
        this.activity.record({
          subject: changed.map((key) => names[key]).join(', '),
          action: 'settings_change',
          detail: changed.map((key) => `${names[key]}: ${this.#describe(key, before)} → ${this.#describe(key, next)}`).join('; '),
        });
      }
    })();
    return next;
  }

  /** A setting's value as the user sees it (settings hold no secrets). */
  #describe(key: keyof AppSettingsValues, values: AppSettingsValues): string {
    switch (key) {
      case 'clipboardClearSeconds':
      case 'revealSeconds':
        return `${values[key]} s`;
      case 'rotationDays':
        return `${values[key]} days`;
      case 'theme':
        return values.theme;
      case 'reviewWorkspaces': {
        const workspaces = this.db.prepare('SELECT id, label, residency FROM workspaces ORDER BY position').all() as {
          id: string;
          label: string;
          residency: string;
        }[];
        const compared = workspaces.filter((w) => isReviewed(w, values.reviewWorkspaces)).map((w) => w.label);
        return compared.length ? compared.join(', ') : 'none';
      }
    }
  }
}
