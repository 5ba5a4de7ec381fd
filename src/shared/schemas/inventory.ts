import { z } from 'zod';
import { LIMITS } from '../limits';
import { IdSchema, ProblemSchema, TimestampSchema } from './common';

export const dependantKinds = ['agent', 'tool', 'phone_number', 'mcp_server', 'other'] as const;
export const DependantKindSchema = z.enum(dependantKinds);
export type DependantKind = z.infer<typeof DependantKindSchema>;

export const DependantCountsSchema = z.object({
  agents: z.number().int().nonnegative(),
  tools: z.number().int().nonnegative(),
  phoneNumbers: z.number().int().nonnegative(),
  mcpServers: z.number().int().nonnegative(),
  others: z.number().int().nonnegative(),
});
export type DependantCounts = z.infer<typeof DependantCountsSchema>;

/** One remote secret as cached in SQLite. Never carries a value: the API does not return one. */
export const SecretRowSchema = z.object({
  workspaceId: IdSchema,
  secretId: z.string(),
  name: z.string(),
  dependantCount: z.number().int().nonnegative(),
  counts: DependantCountsSchema,
  /** The API cut the dependants short and the full list could not be fetched. */
  dependantsTruncated: z.boolean(),
  firstSeenAt: TimestampSchema,
  lastSeenAt: TimestampSchema,
  /** Set when a sync no longer found it in the workspace. */
  removedRemotelyAt: TimestampSchema.nullable(),
});
export type SecretRow = z.infer<typeof SecretRowSchema>;

export const DependantSchema = z.object({
  kind: DependantKindSchema,
  id: z.string(),
  /** Null when the key has no access to it (the API's `unknown` dependants) or for `other`. */
  name: z.string().nullable(),
  access: z.enum(['available', 'unknown']),
  accessLevel: z.string().nullable(),
  createdAtUnix: z.number().int().nullable(),
  phoneNumber: z.string().nullable(),
  provider: z.string().nullable(),
  /** For agents that depend on the secret through another resource (e.g. a tool). */
  referencedResourceIds: z.array(z.string()),
});
export type Dependant = z.infer<typeof DependantSchema>;

export const SecretDetailSchema = z.object({
  secret: SecretRowSchema,
  workspaceLabel: z.string(),
  dependants: z.array(DependantSchema),
});
export type SecretDetail = z.infer<typeof SecretDetailSchema>;

/** Dependants a secret list can be filtered by: those with an id of their own. */
export const filterableDependantKinds = ['agent', 'tool', 'phone_number', 'mcp_server'] as const;

export const UsedByFilterSchema = z.strictObject({
  workspaceId: IdSchema,
  kind: z.enum(filterableDependantKinds),
  dependantId: z.string().min(1, 'must not be empty').max(LIMITS.id, `must be at most ${LIMITS.id} characters`),
});
export type UsedByFilter = z.infer<typeof UsedByFilterSchema>;

export const SearchSecretsRequestSchema = z.strictObject({
  /** Matches anywhere in the name, ignoring case and treating `_`, `-` and spaces alike. */
  query: z.string().max(LIMITS.searchQuery, `must be at most ${LIMITS.searchQuery} characters`),
  /** Null searches every workspace. */
  workspaceId: IdSchema.nullable(),
  usage: z.enum(['any', 'unused', 'used']),
  presence: z.enum(['present', 'removed', 'all']),
  usedBy: UsedByFilterSchema.nullable(),
  offset: z.number().int().min(0).max(LIMITS.maxOffset),
  limit: z.number().int().min(1).max(LIMITS.pageSize, `must be at most ${LIMITS.pageSize}`),
});
export type SearchSecretsRequest = z.infer<typeof SearchSecretsRequestSchema>;

export const SearchSecretsReplySchema = z.object({
  total: z.number().int().nonnegative(),
  offset: z.number().int().nonnegative(),
  items: z.array(SecretRowSchema),
});
export type SearchSecretsReply = z.infer<typeof SearchSecretsReplySchema>;

export const GetSecretRequestSchema = z.strictObject({
  workspaceId: IdSchema,
  secretId: z.string().min(1, 'must not be empty').max(LIMITS.id, `must be at most ${LIMITS.id} characters`),
});

export const ListDependantsRequestSchema = z.strictObject({ workspaceId: IdSchema.nullable() });

export const DependantOptionSchema = z.object({
  workspaceId: IdSchema,
  kind: z.enum(filterableDependantKinds),
  dependantId: z.string(),
  /** Null for one the key may not see (the API's `unknown` dependants). */
  name: z.string().nullable(),
  /** For a phone number: the number itself. */
  detail: z.string().nullable(),
  secretCount: z.number().int().nonnegative(),
});
export type DependantOption = z.infer<typeof DependantOptionSchema>;

export const ListDependantsReplySchema = z.object({ dependants: z.array(DependantOptionSchema) });

export const SyncRequestSchema = z.strictObject({
  /** Empty means every workspace. */
  workspaceIds: z.array(IdSchema).max(LIMITS.workspacesPerRequest, `must list at most ${LIMITS.workspacesPerRequest} workspaces`),
});

export const SyncResultSchema = z.object({
  workspaceId: IdSchema,
  ok: z.boolean(),
  problem: ProblemSchema.nullable(),
  secretCount: z.number().int().nonnegative(),
  removedSecretCount: z.number().int().nonnegative(),
  authConnectionCount: z.number().int().nonnegative(),
  /** What this sync changed: secrets seen for the first time, and ones it found gone. */
  changes: z.object({ added: z.number().int().nonnegative(), removed: z.number().int().nonnegative() }),
});
export type SyncResult = z.infer<typeof SyncResultSchema>;
export const SyncReplySchema = z.object({ results: z.array(SyncResultSchema) });

export const syncPhases = ['starting', 'secrets', 'dependants', 'auth_connections', 'saving', 'done', 'failed', 'cancelled'] as const;
export const SyncProgressSchema = z.object({
  workspaceId: IdSchema,
  phase: z.enum(syncPhases),
  pagesFetched: z.number().int().nonnegative(),
  secretsFetched: z.number().int().nonnegative(),
  /** Set while the sync waits before trying a request again (rate limited, server error). */
  retry: z
    .object({
      code: z.enum(['rate_limited', 'server_error']),
      /** When the next attempt starts (ms since the epoch), for a live countdown. */
      retryAt: TimestampSchema,
      attempt: z.number().int().positive(),
    })
    .nullable(),
});
export type SyncProgress = z.infer<typeof SyncProgressSchema>;
export type SyncPhase = (typeof syncPhases)[number];
