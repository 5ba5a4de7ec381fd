import { z } from 'zod';
import { LIMITS } from '../limits';
import { IdSchema, TimestampSchema } from './common';

/**
 * A workspace secret's name, as the app (and the emulator) accept it: a letter or underscore,
 * then letters, digits, `_`, `.` or `-`. The same rule is used for names imported from .env files.
 */
export const SecretNameSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(LIMITS.secretName, `must be at most ${LIMITS.secretName} characters`)
  .regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, "must start with a letter or '_' and use only letters, digits, '_', '.' and '-'");

/** A secret value: never trimmed (spaces may be part of it), never empty. */
export const SecretValueSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(LIMITS.secretValue, `must be at most ${LIMITS.secretValue} characters`);

export const NoteSchema = z.string().max(LIMITS.note, `must be at most ${LIMITS.note} characters`);
export const TagSchema = z.string().trim().min(1, 'must not be empty').max(LIMITS.tag, `must be at most ${LIMITS.tag} characters`);
export const TagsSchema = z.array(TagSchema).max(LIMITS.tagsPerSecret, `must have at most ${LIMITS.tagsPerSecret} tags`);

/** Where a local secret is pushed: a workspace, under the secret's own name or another remote name. */
export const TargetRequestSchema = z.strictObject({
  workspaceId: IdSchema,
  /** Null: the local secret's own name (follows a rename). */
  remoteName: SecretNameSchema.nullable(),
});

/** How a target stands against the inventory, computed from SQLite only. */
export const targetStates = [
  'in_sync', // pushed, and neither value nor name changed since
  'value_changed', // the local value changed since the last push
  'renamed', // the name to push differs from the one last pushed
  'never_pushed', // no remote secret yet (or one of that name exists and will be taken over)
  'missing_remotely', // it was pushed, but the last sync no longer found it
] as const;
export const TargetStateSchema = z.enum(targetStates);
export type TargetState = z.infer<typeof TargetStateSchema>;

export const LocalSecretTargetSchema = z.object({
  workspaceId: IdSchema,
  /** The name it has (or will have) in that workspace. */
  remoteName: z.string(),
  followsName: z.boolean(),
  remoteSecretId: z.string().nullable(),
  state: TargetStateSchema,
  pushedAt: TimestampSchema.nullable(),
});
export type LocalSecretTarget = z.infer<typeof LocalSecretTargetSchema>;

/** A local secret as the renderer sees it: everything about the value, never the value. */
export const LocalSecretSchema = z.object({
  id: IdSchema,
  name: z.string(),
  note: z.string(),
  tags: z.array(z.string()),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
  /** When the value was last set (created, rotated or restored). */
  valueChangedAt: TimestampSchema,
  /** A rotation left a previous value that can be restored. */
  hasPrevious: z.boolean(),
  /** Bound to a linked account: the value is its access token, replaced at every refresh. */
  linkedAccountId: IdSchema.nullable(),
  /** Other local secrets with the same value (by fingerprint). */
  sharesValueWith: z.array(z.object({ id: IdSchema, name: z.string() })),
  targets: z.array(LocalSecretTargetSchema),
});
export type LocalSecret = z.infer<typeof LocalSecretSchema>;

export const ListLocalSecretsRequestSchema = z.strictObject({
  /** Matches anywhere in the name, ignoring case and treating `_`, `-` and spaces alike. */
  query: z.string().max(LIMITS.searchQuery, `must be at most ${LIMITS.searchQuery} characters`),
  tag: TagSchema.nullable(),
});
export const ListLocalSecretsReplySchema = z.object({ secrets: z.array(LocalSecretSchema), tags: z.array(z.string()) });

export const LocalSecretIdRequestSchema = z.strictObject({ id: IdSchema });

export const CreateLocalSecretRequestSchema = z.strictObject({
  name: SecretNameSchema,
  value: SecretValueSchema,
  note: NoteSchema.optional(),
  tags: TagsSchema.optional(),
  targets: z.array(TargetRequestSchema).max(LIMITS.workspacesPerRequest).optional(),
});

export const UpdateLocalSecretRequestSchema = z.strictObject({
  id: IdSchema,
  name: SecretNameSchema.optional(),
  note: NoteSchema.optional(),
  tags: TagsSchema.optional(),
});

export const RotateLocalSecretRequestSchema = z.strictObject({ id: IdSchema, value: SecretValueSchema });

export const SetTargetsRequestSchema = z.strictObject({
  id: IdSchema,
  targets: z.array(TargetRequestSchema).max(LIMITS.workspacesPerRequest, `must list at most ${LIMITS.workspacesPerRequest} workspaces`),
});

/** Gives a remote secret made elsewhere (the dashboard) a local value; from then on it is managed here. */
export const AdoptRemoteSecretRequestSchema = z.strictObject({
  workspaceId: IdSchema,
  remoteSecretId: z.string().min(1, 'must not be empty').max(LIMITS.id, `must be at most ${LIMITS.id} characters`),
  value: SecretValueSchema,
  /** An existing local secret to link it to (its value wins); omitted: a new local secret of the remote's name. */
  localSecretId: IdSchema.optional(),
});

export const ValueVersionSchema = z.enum(['current', 'previous']);
export const RevealRequestSchema = z.strictObject({ id: IdSchema, version: ValueVersionSchema });
/** The only reply that carries a value: an explicit reveal. */
export const RevealReplySchema = z.object({ value: z.string() });
export const CopyReplySchema = z.object({
  /** When the clipboard will be cleared (if it still holds this value then). */
  clearsAt: TimestampSchema,
});

export const DeleteLocalSecretReplySchema = z.object({ deletedId: IdSchema });

/** One line of a .env file, as the import preview shows it (never with its value). */
export const ImportLineSchema = z.object({
  line: z.number().int().positive(),
  name: z.string(),
  status: z.enum(['new', 'changed', 'unchanged', 'invalid']),
  /** Why an invalid line cannot be imported. */
  problem: z.string().nullable(),
});
export type ImportLine = z.infer<typeof ImportLineSchema>;

export const ImportPreviewRequestSchema = z.strictObject({
  content: z.string().max(LIMITS.envFile, `must be at most ${LIMITS.envFile} characters`),
});
export const ImportPreviewReplySchema = z.object({ lines: z.array(ImportLineSchema) });

export const ImportApplyRequestSchema = z.strictObject({
  content: z.string().max(LIMITS.envFile, `must be at most ${LIMITS.envFile} characters`),
  /** The names the user chose (new or changed ones). */
  names: z.array(SecretNameSchema).max(LIMITS.secretsPerRequest),
  /** Workspaces new secrets target, under their own names. */
  targetWorkspaceIds: z.array(IdSchema).max(LIMITS.workspacesPerRequest),
});
/** A line an import left out, and why: never its value. */
export const ImportSkippedLineSchema = z.object({
  line: z.number().int().positive(),
  name: z.string(),
  /** invalid: `problem` says what is wrong; unchanged: the value kept here is the same; not-chosen: left unticked. */
  reason: z.enum(['invalid', 'unchanged', 'not-chosen']),
  problem: z.string().nullable(),
});
export type ImportSkippedLine = z.infer<typeof ImportSkippedLineSchema>;
export const ImportApplyReplySchema = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  skipped: z.number().int(),
  skippedLines: z.array(ImportSkippedLineSchema),
});
