import { z } from 'zod';

/** The user's preferences, kept in SQLite. */
export const AppSettingsSchema = z.object({
  /** The clipboard is cleared this long after a value is copied (unless something else was copied since). */
  clipboardClearSeconds: z.number().int().min(5).max(600),
  /** A revealed value is hidden again after this long. */
  revealSeconds: z.number().int().min(5).max(600),
  /** The review lists local values older than this many days as "not rotated". */
  rotationDays: z.number().int().min(1).max(3650),
});
export type AppSettingsValues = z.infer<typeof AppSettingsSchema>;

export const defaultAppSettings: AppSettingsValues = { clipboardClearSeconds: 30, revealSeconds: 20, rotationDays: 90 };

export const UpdateSettingsRequestSchema = z.strictObject({
  clipboardClearSeconds: AppSettingsSchema.shape.clipboardClearSeconds.optional(),
  revealSeconds: AppSettingsSchema.shape.revealSeconds.optional(),
  rotationDays: AppSettingsSchema.shape.rotationDays.optional(),
});
