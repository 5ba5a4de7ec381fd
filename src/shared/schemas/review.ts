import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common';

/** What needs attention, each a question about the cached inventory and the local secrets. */
export const reviewKinds = [
  'in_use_without_local_value', // a remote secret agents use, with no local value here
  'changed_since_push', // a local value changed since it was last pushed
  'never_pushed', // a local secret not pushed anywhere yet
  'unused_remote', // a remote secret nothing uses
  'shared_value', // local secrets with the same value
  'not_rotated', // a local value older than the chosen number of days
  'missing_in_workspace', // a name present in some workspaces and missing in others
  'account_expiring', // a linked account whose token ends soon and cannot be refreshed
  'account_refresh_failing', // a linked account whose refreshes fail (the app keeps trying)
  'account_needs_reconnect', // a linked account the provider no longer accepts
  'account_unbound', // a linked account no workspace secret holds
  // Auth connections: synced ones (in the workspaces reviewed) and connections kept here.
  'connection_failing', // a synced connection whose status is refresh_failed, revoked or credential_invalid
  'certificate_expiring', // a kept connection whose client, chain or CA certificate ends within 30 days or has ended
  'connection_unused', // a synced connection of a type the API makes that nothing uses
  'kept_connection_missing', // a kept connection pushed to a workspace whose last sync no longer found it
  'connection_changed_remotely', // a remote connection whose public fields differ from the definition kept here
  'not_backed_up', // a local value changed after the last verified backup (or none was made)
  // Environment variables (in the workspaces reviewed).
  'variable_reference_removed', // a value names a secret or auth connection the last sync did not find
  'variable_environment_missing', // a variable lacks an environment most of its workspace's variables have
  'variable_looks_like_credential', // a plain string value that looks like a key (it should be a secret)
] as const;
export const ReviewKindSchema = z.enum(reviewKinds);
export type ReviewKind = z.infer<typeof ReviewKindSchema>;

export const ReviewItemSchema = z.object({
  kind: ReviewKindSchema,
  /** The secret's name, or the account's "person · provider", as the user knows it. */
  name: z.string(),
  workspaceIds: z.array(IdSchema),
  localSecretId: IdSchema.nullable(),
  remoteSecretId: z.string().nullable(),
  linkedAccountId: IdSchema.nullable(),
  /** The connection kept here it is about (absent or null: not about one). */
  keptConnectionId: IdSchema.nullable().optional(),
  /** The synced auth connection it is about, in `workspaceIds[0]` (absent or null: not about one). */
  remoteConnectionId: z.string().nullable().optional(),
  /** One line on why it is listed (e.g. "used by 2 agents", "not rotated since …"). */
  detail: z.string(),
  since: TimestampSchema.nullable(),
});
export type ReviewItem = z.infer<typeof ReviewItemSchema>;

export const ReviewRequestSchema = z.strictObject({
  /** "Not rotated" means older than this many days. */
  rotationDays: z.number().int().min(1).max(3650),
});
export const ReviewReplySchema = z.object({ items: z.array(ReviewItemSchema) });
