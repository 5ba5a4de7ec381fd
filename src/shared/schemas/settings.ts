import { z } from 'zod';
import { IdSchema } from './common';

export const themes = ['system', 'light', 'dark'] as const;
export const ThemeSchema = z.enum(themes);
export type Theme = z.infer<typeof ThemeSchema>;

/** At most this many workspaces carry an explicit review choice (far more than anyone adds). */
const MAX_REVIEW_CHOICES = 1000;

/**
 * Which workspaces Review compares, by workspace id: true to compare it, false to leave it out.
 * A workspace with no entry follows the default (see `isReviewed`).
 */
export const ReviewWorkspacesSchema = z
  .record(IdSchema, z.boolean())
  .refine((choices) => Object.keys(choices).length <= MAX_REVIEW_CHOICES, `must name at most ${MAX_REVIEW_CHOICES} workspaces`);

/** The user's preferences, kept in SQLite. */
export const AppSettingsSchema = z.object({
  /** The clipboard is cleared this long after a value is copied (unless something else was copied since). */
  clipboardClearSeconds: z.number().int().min(5).max(600),
  /** A revealed value is hidden again after this long. */
  revealSeconds: z.number().int().min(5).max(600),
  /** The review lists local values older than this many days as "not rotated". */
  rotationDays: z.number().int().min(1).max(3650),
  /** Light, dark, or whatever the system says. */
  theme: ThemeSchema,
  reviewWorkspaces: ReviewWorkspacesSchema,
});
export type AppSettingsValues = z.infer<typeof AppSettingsSchema>;

export const defaultAppSettings: AppSettingsValues = {
  clipboardClearSeconds: 30,
  revealSeconds: 20,
  rotationDays: 90,
  theme: 'system',
  reviewWorkspaces: {},
};

/**
 * Whether Review compares a workspace: the user's choice, else every workspace but the demo
 * (its made-up secrets would be "missing" everywhere else).
 */
export function isReviewed(workspace: { id: string; residency: string }, choices: AppSettingsValues['reviewWorkspaces']): boolean {
  return choices[workspace.id] ?? workspace.residency !== 'demo';
}

export const UpdateSettingsRequestSchema = z.strictObject({
  clipboardClearSeconds: AppSettingsSchema.shape.clipboardClearSeconds.optional(),
  revealSeconds: AppSettingsSchema.shape.revealSeconds.optional(),
  rotationDays: AppSettingsSchema.shape.rotationDays.optional(),
  theme: ThemeSchema.optional(),
  /** Merged into the choices kept: `{ [workspaceId]: false }` leaves one workspace out. */
  reviewWorkspaces: ReviewWorkspacesSchema.optional(),
});
