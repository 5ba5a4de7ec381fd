import { z } from 'zod';
import { LIMITS } from '../limits';
import { IdSchema, ProblemSchema, TimestampSchema } from './common';
import { DependantSchema } from './inventory';

/**
 * `replace` (connections only): a change the API cannot make in place (the name, the token URL, a
 * type it cannot update): a new connection is made, and the old one is deleted only if nothing uses it.
 */
export const planActions = ['create', 'update', 'replace', 'delete', 'unchanged', 'remote_only'] as const;
export const PlanActionSchema = z.enum(planActions);
export type PlanAction = z.infer<typeof PlanActionSchema>;

/**
 * What an item sends: a local secret's value, a connection kept here (its fields and sensitive
 * parts), or an environment variable's values (the user's edit, or a promotion).
 */
export const planItemKinds = ['secret', 'connection', 'variable'] as const;
export const PlanItemKindSchema = z.enum(planItemKinds);
export type PlanItemKind = z.infer<typeof PlanItemKindSchema>;

/** Why an update (or a create) is planned. */
export const updateReasons = [
  'value_changed',
  'renamed',
  'forced',
  'takes_over_existing',
  // Adopted and not pushed since: ElevenLabs never shows the dashboard value, so whether it differs is unknown.
  'adopted',
  // Pushed here once, then deleted in ElevenLabs (the last sync no longer found it): the create recreates it.
  'removed_remotely',
  // Connections: public fields changed here since the last push (`changes` names them).
  'fields_changed',
  // Connections: the dashboard's public fields differ from the definition kept here; the push puts it back.
  'changed_remotely',
  // Connections: ElevenLabs cannot update this type in place, so any change is a replace.
  'not_updatable',
] as const;

export const itemStatuses = [
  'planned', // not sent yet
  'sending', // sent; no answer recorded (after a crash: may or may not have been applied)
  'done',
  'failed',
  'skipped', // nothing to send (unchanged, remote-only)
  'left_out', // the user left it out of the apply: not sent; the change stays pending here
  'refused', // ElevenLabs refused it for a reason a retry cannot fix (in use, invalid): final
] as const;
export const ItemStatusSchema = z.enum(itemStatuses);
export type ItemStatus = z.infer<typeof ItemStatusSchema>;

export const PlanItemSchema = z.object({
  /** Stable within the plan. */
  id: z.number().int().nonnegative(),
  workspaceId: IdSchema,
  kind: PlanItemKindSchema,
  action: PlanActionSchema,
  reasons: z.array(z.enum(updateReasons)),
  /** Connections: what changed (public field names, `secrets` for the sensitive parts, `name`). */
  changes: z.array(z.string()),
  localSecretId: IdSchema.nullable(),
  keptConnectionId: IdSchema.nullable(),
  /** Connections: the type (e.g. `oauth2_client_credentials`). */
  authType: z.string().nullable(),
  /** The name the remote secret has now (null before a create). */
  remoteName: z.string().nullable(),
  /** The name it will have after the item is applied. */
  newName: z.string().nullable(),
  remoteSecretId: z.string().nullable(),
  /** Connections: the remote connection (for a replace, the old one). */
  remoteConnectionId: z.string().nullable(),
  /** Variables: the remote variable (null before a create). */
  remoteVariableId: z.string().nullable(),
  /** Variables: each environment it changes, as it reads now and after (null: not set / cleared). */
  cells: z.array(z.object({ environment: z.string(), before: z.string().nullable(), after: z.string().nullable() })),
  /** For a delete, an update or a replace: who uses the remote secret or connection, from the inventory. */
  dependants: z.array(DependantSchema),
  /**
   * Applied only when confirmed (or left out): an update that overwrites a value something uses,
   * and every replace.
   */
  needsConfirmation: z.boolean(),
  status: ItemStatusSchema,
  problem: ProblemSchema.nullable(),
  finishedAt: TimestampSchema.nullable(),
});
export type PlanItem = z.infer<typeof PlanItemSchema>;

export const PlanSchema = z.object({
  id: IdSchema,
  createdAt: TimestampSchema,
  status: z.enum(['draft', 'applying', 'applied', 'interrupted']),
  /** What was asked but cannot be planned, each a sentence (a promotion's reference not found by name in the target). */
  notes: z.array(z.string()),
  /** Built while a workspace was unreachable, from the cached inventory. */
  items: z.array(PlanItemSchema),
  counts: z.object({
    create: z.number().int(),
    update: z.number().int(),
    replace: z.number().int(),
    delete: z.number().int(),
    unchanged: z.number().int(),
    remoteOnly: z.number().int(),
  }),
});
export type Plan = z.infer<typeof PlanSchema>;

const RemoteConnectionIdSchema = z.string().min(1).max(LIMITS.id);

/** What `{{system_env__<label>}}` can hold (the live API's rule is unknown; the emulator has the same). */
export const VariableLabelSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters')
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must start with a letter or _ and hold only letters, digits and _');
/** An environment's name: `production`, `staging`, `dev`, … */
export const EnvironmentNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,49}$/, 'must be 1–50 lower-case letters, digits, _ or -, starting with a letter or digit');

/** One environment's new value: a string, or a secret or auth connection named in that workspace. */
export const VariableCellInputSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('string'), value: z.string().min(1, 'must not be empty').max(LIMITS.secretValue) }),
  z.strictObject({ kind: z.literal('secret'), name: z.string().min(1, 'must not be empty').max(LIMITS.secretName) }),
  z.strictObject({
    kind: z.literal('auth_connection'),
    name: z
      .string()
      .min(1, 'must not be empty')
      .max(LIMITS.label * 4),
  }),
]);
export type VariableCellInput = z.infer<typeof VariableCellInputSchema>;

/** Add a variable, or set (a value) and clear (null) some of its environments. */
export const VariableEditSchema = z.strictObject({
  workspaceId: IdSchema,
  label: VariableLabelSchema,
  /** Adding a variable: refused if one of that label exists (an edit of it would be a surprise). */
  add: z.boolean().optional(),
  values: z
    .record(EnvironmentNameSchema, VariableCellInputSchema.nullable())
    .refine((values) => Object.keys(values).length > 0, 'must change at least one environment'),
});
export type VariableEdit = z.infer<typeof VariableEditSchema>;

const WorkspaceEnvironmentSchema = z.strictObject({ workspaceId: IdSchema, environment: EnvironmentNameSchema });
/** One environment's values copied to another (the same workspace or another), references resolved by name. */
export const VariablePromotionSchema = z.strictObject({
  from: WorkspaceEnvironmentSchema,
  to: WorkspaceEnvironmentSchema,
  /** Only these variables; absent: every variable that has the source environment. */
  labels: z.array(VariableLabelSchema).max(LIMITS.secretsPerRequest).optional(),
});
export type VariablePromotion = z.infer<typeof VariablePromotionSchema>;

/**
 * What to plan. Nothing listed (no secret and no connection ids) means everything kept here, of
 * both kinds; otherwise only what is listed.
 */
export const PlanRequestSchema = z.strictObject({
  /** Local secrets to push. */
  secretIds: z.array(IdSchema).max(LIMITS.secretsPerRequest),
  /** Connections kept here to push. */
  connectionIds: z.array(IdSchema).max(LIMITS.secretsPerRequest).optional(),
  /** Workspaces to push to; empty means every targeted workspace. */
  workspaceIds: z.array(IdSchema).max(LIMITS.workspacesPerRequest),
  /** Send values again even where nothing changed. */
  force: z.boolean(),
  /** Remote secrets the user asked to delete. Nothing is ever deleted otherwise. */
  deletions: z
    .array(z.strictObject({ workspaceId: IdSchema, remoteSecretId: z.string().min(1).max(LIMITS.id) }))
    .max(LIMITS.secretsPerRequest),
  /** Environment variables to add or change. */
  variableEdits: z.array(VariableEditSchema).max(LIMITS.secretsPerRequest).optional(),
  /** One environment's values to another. */
  promotion: VariablePromotionSchema.optional(),
  /** Remote auth connections the user asked to delete. */
  connectionDeletions: z
    .array(z.strictObject({ workspaceId: IdSchema, remoteConnectionId: RemoteConnectionIdSchema }))
    .max(LIMITS.secretsPerRequest)
    .optional(),
  /**
   * Plan the deletions alone: nothing kept here is pushed and nothing is listed as remote-only, so
   * deleting one remote secret or connection never sends anything else along with it.
   */
  deletionsOnly: z.boolean().optional(),
});

const PlanItemIdsSchema = z.array(z.number().int().nonnegative()).max(LIMITS.secretsPerRequest * LIMITS.workspacesPerRequest);

export const ApplyRequestSchema = z.strictObject({
  planId: IdSchema,
  /** Items of the plan not to send in this apply: they are recorded as left out, and stay pending here. */
  leaveOut: PlanItemIdsSchema.optional(),
  /** Items that need confirmation (they overwrite a value in use) which the user confirmed. */
  confirmed: PlanItemIdsSchema.optional(),
});

/** The latest plan that was applied or is being applied, if any (after a restart: what really happened). */
export const LatestPlanReplySchema = z.object({ plan: PlanSchema.nullable() });

export const PushProgressSchema = z.object({
  planId: IdSchema,
  item: PlanItemSchema,
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  /** Set while a request waits out a rate limit before trying again. */
  retryAt: TimestampSchema.nullable(),
});
export type PushProgress = z.infer<typeof PushProgressSchema>;
