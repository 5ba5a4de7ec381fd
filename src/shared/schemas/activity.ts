import { z } from 'zod';
import { LIMITS } from '../limits';
import { IdSchema, TimestampSchema } from './common';

export const activityActions = [
  'create',
  'update',
  'rename',
  'delete',
  'import',
  'push_create',
  'push_update',
  'push_delete',
  'adopt',
  'rotate',
  'restore',
  'link',
  'refresh',
  'reconnect',
  'unlink',
  'backup',
  'backup_verify',
  'backup_restore',
] as const;
export const ActivityActionSchema = z.enum(activityActions);
export type ActivityAction = z.infer<typeof ActivityActionSchema>;

/** One thing the user or the app did. Never a value: names, ids and outcomes only. */
export const ActivityEntrySchema = z.object({
  id: z.number().int().positive(),
  at: TimestampSchema,
  workspaceId: IdSchema.nullable(),
  /** The workspace's label when it happened (the workspace may be gone since). */
  workspaceLabel: z.string().nullable(),
  subject: z.string(),
  action: ActivityActionSchema,
  result: z.enum(['ok', 'failed']),
  detail: z.string().nullable(),
});
export type ActivityEntry = z.infer<typeof ActivityEntrySchema>;

export const ActivityFilterSchema = z.strictObject({
  workspaceId: IdSchema.nullable(),
  action: ActivityActionSchema.nullable(),
  result: z.enum(['ok', 'failed']).nullable(),
  /** Matches the subject (a secret name, an account). */
  query: z.string().max(LIMITS.searchQuery, `must be at most ${LIMITS.searchQuery} characters`),
});

export const ListActivityRequestSchema = ActivityFilterSchema.extend({
  offset: z.number().int().min(0).max(LIMITS.maxOffset),
  limit: z.number().int().min(1).max(LIMITS.pageSize, `must be at most ${LIMITS.pageSize}`),
});
export const ListActivityReplySchema = z.object({ total: z.number().int().nonnegative(), entries: z.array(ActivityEntrySchema) });

export const ExportFormatSchema = z.enum(['csv', 'json']);
export const ExportActivityRequestSchema = z.strictObject({ format: ExportFormatSchema, filter: ActivityFilterSchema });
export const ExportInventoryRequestSchema = z.strictObject({ format: ExportFormatSchema, workspaceId: IdSchema.nullable() });
/** A file for the user to save: built in main, so it holds exactly what the app keeps (never a value). */
export const ExportReplySchema = z.object({ fileName: z.string(), mimeType: z.string(), content: z.string() });
