import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common';
import { LIMITS } from '../limits';

/** The kinds of value a variable holds (one kind per variable, in every environment). */
export const variableKinds = ['string', 'secret', 'auth_connection'] as const;
export const VariableKindSchema = z.enum(variableKinds);
export type VariableKind = z.infer<typeof VariableKindSchema>;

/** The environment every variable has and the API never lets go. */
export const PRODUCTION = 'production';

/** Why a string value was not kept here: it looks like a credential (main/environment-variables/credential-shape.ts). */
export const WithheldSchema = z.object({
  reason: z.enum(['key_prefix', 'high_entropy']),
  /** The key prefix it starts with ('sk_'), or 'BITS/RUN' for a high-entropy run. */
  hint: z.string(),
  /** Its length in characters: all that is said about it. */
  length: z.number().int().nonnegative(),
});
export type Withheld = z.infer<typeof WithheldSchema>;

/** A secret or auth connection a value refers to, as this workspace's last sync knows it. */
export const VariableReferenceSchema = z.object({
  id: z.string(),
  /** null: the id is not in the synced inventory (never listed, or the list was not readable). */
  name: z.string().nullable(),
  /** present: listed by the last sync; removed: listed before, gone now; unknown: never seen here. */
  state: z.enum(['present', 'removed', 'unknown']),
  removedRemotelyAt: TimestampSchema.nullable(),
  /** Connections only: their auth type. */
  authType: z.string().nullable(),
});
export type VariableReference = z.infer<typeof VariableReferenceSchema>;

/** One environment's value: a string (or why it is withheld), or a reference resolved by id. */
export const VariableValueSchema = z.object({
  environment: z.string(),
  kind: VariableKindSchema,
  /** kind 'string': the value; null when `withheld`. */
  value: z.string().nullable(),
  withheld: WithheldSchema.nullable(),
  /** kind 'secret' / 'auth_connection': what the id names. */
  reference: VariableReferenceSchema.nullable(),
});
export type VariableValue = z.infer<typeof VariableValueSchema>;

export const EnvironmentVariableSchema = z.object({
  workspaceId: IdSchema,
  variableId: z.string(),
  label: z.string(),
  /** The API's type: 'string', 'secret' or 'auth_connection' (a newer one is shown as sent). */
  type: z.string(),
  /** By environment: production first, then the others in name order. */
  values: z.array(VariableValueSchema),
  createdAtUnix: z.number().int().nullable(),
  updatedAtUnix: z.number().int().nullable(),
  firstSeenAt: TimestampSchema,
  removedRemotelyAt: TimestampSchema.nullable(),
});
export type EnvironmentVariable = z.infer<typeof EnvironmentVariableSchema>;

// ---- IPC ---------------------------------------------------------------------------------------

export const ListVariablesRequestSchema = z.strictObject({
  workspaceId: IdSchema,
  /** Only variables of this kind. */
  kind: VariableKindSchema.nullable(),
  /** Only variables that have this environment (each still shows every environment). */
  environment: z.string().trim().min(1).max(LIMITS.searchQuery).nullable(),
});

export const ListVariablesReplySchema = z.object({
  variables: z.array(EnvironmentVariableSchema),
  /** Every environment any variable of the workspace has: production first. Filters do not narrow it. */
  environments: z.array(z.string()),
  /** How many variables the workspace has before filtering. */
  total: z.number().int().nonnegative(),
  /** Whether the last sync could list the variables (null: never synced since variables were known). */
  access: z.object({ state: z.enum(['allowed', 'denied']), permission: z.string().nullable(), checkedAt: TimestampSchema }).nullable(),
});
export type ListVariablesReply = z.infer<typeof ListVariablesReplySchema>;

export const SearchVariablesRequestSchema = z.strictObject({
  query: z.string().max(LIMITS.searchQuery),
});

export const VariableHitSchema = z.object({
  workspaceId: IdSchema,
  variableId: z.string(),
  label: z.string(),
  type: z.string(),
  environments: z.array(z.string()),
});
export type VariableHit = z.infer<typeof VariableHitSchema>;
export const SearchVariablesReplySchema = z.object({ hits: z.array(VariableHitSchema) });

/** The variables whose values refer to one secret or connection (a secret's detail, a connection's card). */
export const VariablesReferringRequestSchema = z.strictObject({
  workspaceId: IdSchema,
  kind: z.enum(['secret', 'auth_connection']),
  /** The remote secret's or connection's id. */
  id: z.string().min(1).max(LIMITS.id),
});
export const VariableReferralSchema = z.object({
  variableId: z.string(),
  label: z.string(),
  /** The environments whose value names it. */
  environments: z.array(z.string()),
});
export type VariableReferral = z.infer<typeof VariableReferralSchema>;
export const VariablesReferringReplySchema = z.object({ variables: z.array(VariableReferralSchema) });
