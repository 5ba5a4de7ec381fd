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
  'push_replace',
  'adopt',
  'rotate',
  'restore',
  'link',
  'refresh',
  'reconnect',
  'unlink',
  'workspace_add',
  'workspace_rename',
  'workspace_rekey',
  'workspace_remove',
  'provider_add',
  'provider_remove',
  'settings_change',
  'sync',
  'export',
  'backup',
  'backup_verify',
  'backup_restore',
  'cli_pair',
  'cli_unpair',
  'cli_grant',
  'cli_use',
  'cli_revoke',
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
  /** Matches the subject (a secret, an account, a workspace, a provider, a setting, a file name). */
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
/**
 * An export, built and saved by main (it holds exactly what the app keeps, never a value): where
 * it went, or that nothing was saved because the user cancelled the Save dialog.
 */
export const ExportReplySchema = z.discriminatedUnion('saved', [
  z.object({ saved: z.literal(true), fileName: z.string(), path: z.string(), rows: z.number().int().nonnegative() }),
  z.object({ saved: z.literal(false), fileName: z.string() }),
]);
export type ExportReply = z.infer<typeof ExportReplySchema>;
