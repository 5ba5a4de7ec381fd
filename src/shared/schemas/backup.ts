import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common';

// The backup and restore API as the IPC will carry it (issue 13). The service in
// src/main/backup/ takes and returns exactly these shapes; the channels are wired later.

const PassphraseSchema = z.string().min(1, 'must not be empty').max(1024, 'must be at most 1024 characters');
/** An age X25519 recipient (the public half of a recovery key). */
const RecipientSchema = z.string().regex(/^age1[02-9ac-hj-np-z]{58}$/, 'must be an age recipient (age1...)');
/** An age X25519 identity (the recovery key printed on the sheet). */
const IdentitySchema = z.string().regex(/^AGE-SECRET-KEY-1[02-9AC-HJ-NP-Z]{58}$/, 'must be an age identity (AGE-SECRET-KEY-1...)');
const FilePathSchema = z.string().min(1, 'must not be empty').max(4096, 'must be at most 4096 characters');

/** What a backup is encrypted to: a passphrase (scrypt), or a recovery key's public half. */
export const BackupKeySchema = z.union([z.strictObject({ passphrase: PassphraseSchema }), z.strictObject({ recipient: RecipientSchema })]);
export type BackupKey = z.infer<typeof BackupKeySchema>;

/** What opens a backup: its passphrase, or the recovery key (identity). */
export const OpenKeySchema = z.union([z.strictObject({ passphrase: PassphraseSchema }), z.strictObject({ identity: IdentitySchema })]);
export type OpenKey = z.infer<typeof OpenKeySchema>;

export const BackupRequestSchema = z.strictObject({
  file: FilePathSchema,
  key: BackupKeySchema,
  /** Refresh tokens are left out unless asked for: re-linking is the safe default (reuse detection revokes the family). */
  includeRefreshTokens: z.boolean(),
});

/** How much a backup holds: credentials by kind, those left out, and records by table. Never a value. */
export const BackupCountsSchema = z.object({
  credentials: z.number().int().nonnegative(),
  byKind: z.record(z.string(), z.number().int().nonnegative()),
  leftOut: z.record(z.string(), z.number().int().nonnegative()),
  records: z.record(z.string(), z.number().int().nonnegative()),
});
export type BackupCounts = z.infer<typeof BackupCountsSchema>;

export const BackupWarningSchema = z.enum([
  // The file's scrypt work factor is below 2^18: it opened, but a stolen copy is cheaper to attack.
  'weak_work_factor',
]);
export type BackupWarning = z.infer<typeof BackupWarningSchema>;

/** What a backup file says about itself, once opened and checked. */
export const BackupFactsSchema = z.object({
  file: z.string(),
  createdAt: TimestampSchema,
  hostname: z.string(),
  appVersion: z.string(),
  formatVersion: z.number().int().positive(),
  schemaVersion: z.number().int().nonnegative(),
  mode: z.enum(['passphrase', 'recovery_key']),
  workFactor: z.number().int().nullable(),
  includesRefreshTokens: z.boolean(),
  counts: BackupCountsSchema,
  warnings: z.array(BackupWarningSchema),
});
export type BackupFacts = z.infer<typeof BackupFactsSchema>;

export const BackupReceiptSchema = BackupFactsSchema.extend({ bytes: z.number().int().positive(), verifiedAt: TimestampSchema });
export type BackupReceipt = z.infer<typeof BackupReceiptSchema>;

export const VerifyRequestSchema = z.strictObject({ file: FilePathSchema, key: OpenKeySchema });
export const VerifyReplySchema = BackupFactsSchema.extend({ verifiedAt: TimestampSchema });

export const RestoreActionSchema = z.enum(['add', 'unchanged', 'conflict', 'only_here']);
export type RestoreAction = z.infer<typeof RestoreActionSchema>;

/** One record that holds credentials (a workspace, a local secret, a provider, a linked account...). */
export const RestoreItemSchema = z.object({
  /** What it is, in the app's words ("Local secret"). */
  what: z.string(),
  /** Its name as the user knows it ("STRIPE_KEY", "me · Google"). */
  label: z.string(),
  action: RestoreActionSchema,
  /** How many credentials it holds in the backup (0 for only here). */
  credentials: z.number().int().nonnegative(),
  /** For conflicts: which of its values differ (by keyed fingerprint; never the values). */
  differing: z.array(z.string()),
  /** Said when something will need the user after the restore ("needs reconnect"). */
  note: z.string().nullable(),
});
export type RestoreItem = z.infer<typeof RestoreItemSchema>;

export const RestorePlanSchema = BackupFactsSchema.extend({
  id: IdSchema,
  items: z.array(RestoreItemSchema),
  counts: BackupCountsSchema,
  actions: z.object({
    add: z.number().int().nonnegative(),
    unchanged: z.number().int().nonnegative(),
    conflict: z.number().int().nonnegative(),
    only_here: z.number().int().nonnegative(),
  }),
});
export type RestorePlan = z.infer<typeof RestorePlanSchema>;

export const ReadAndPlanRequestSchema = z.strictObject({ file: FilePathSchema, key: OpenKeySchema });

export const ApplyRestoreRequestSchema = z.strictObject({
  planId: IdSchema,
  /** merge: add what is missing, keep every conflict as it is here. replace: conflicts take the backup's values. */
  mode: z.enum(['merge', 'replace']),
  /** Replace needs this set, after the UI's typed confirmation. Nothing only here is ever deleted. */
  confirmReplace: z.boolean(),
});

export const RestoreResultSchema = z.object({
  added: z.number().int().nonnegative(),
  replaced: z.number().int().nonnegative(),
  unchanged: z.number().int().nonnegative(),
  conflictsKept: z.number().int().nonnegative(),
  onlyHere: z.number().int().nonnegative(),
  credentialsWritten: z.number().int().nonnegative(),
  /** Linked accounts restored without their refresh token: they say "needs reconnect". */
  needsReconnect: z.number().int().nonnegative(),
  /** The automatic backup of this computer's state taken before a replace. */
  safetyBackup: z.string().nullable(),
});
export type RestoreResult = z.infer<typeof RestoreResultSchema>;

export const LastVerifiedBackupSchema = z
  .object({ file: z.string(), createdAt: TimestampSchema, verifiedAt: TimestampSchema, counts: BackupCountsSchema })
  .nullable();
export type LastVerifiedBackup = z.infer<typeof LastVerifiedBackupSchema>;

export const BackupPhaseSchema = z.enum([
  'reading_keychain',
  'deriving_key',
  'encrypting',
  'writing',
  'verifying',
  'decrypting',
  'validating',
  'planning',
  'safety_backup',
  'writing_keychain',
  'committing',
]);
export type BackupPhase = z.infer<typeof BackupPhaseSchema>;

/** Progress of a backup, verify or restore: the phase, and a count where one is known. */
export const BackupProgressSchema = z.object({
  operation: z.enum(['backup', 'verify', 'restore']),
  phase: BackupPhaseSchema,
  done: z.number().int().nonnegative().nullable(),
  total: z.number().int().nonnegative().nullable(),
});
export type BackupProgress = z.infer<typeof BackupProgressSchema>;

export const GeneratedPassphraseSchema = z.object({ passphrase: z.string(), words: z.number().int(), bits: z.number() });
export const RecoveryKeySchema = z.object({ identity: z.string(), recipient: z.string() });
export const RecoverySheetSchema = z.object({ text: z.string(), html: z.string() });

// The channels (backup:*): where the file goes is asked in main (a Save dialog), never given by
// the renderer; the file to read is one the user chose through `backup:chooseFile`.

/** A backup to make: what it is encrypted to and whether refresh tokens go in. Main asks where to save it. */
export const CreateBackupRequestSchema = BackupRequestSchema.omit({ file: true });
/** Made and read back, or nothing written because the user cancelled the Save dialog. */
export const CreateBackupReplySchema = z.discriminatedUnion('saved', [
  z.object({ saved: z.literal(true), receipt: BackupReceiptSchema }),
  z.object({ saved: z.literal(false) }),
]);
/** The file the user chose in main's Open dialog, or null when it was cancelled. */
export const ChooseBackupFileReplySchema = z.object({ file: z.string().nullable() });
/** The sheet for a backup just made: its passphrase or recovery key and where and when it was made. */
export const RecoverySheetRequestSchema = z.strictObject({
  secret: z.union([z.strictObject({ passphrase: PassphraseSchema }), z.strictObject({ identity: IdentitySchema })]),
  file: FilePathSchema,
  createdAt: TimestampSchema,
  hostname: z.string().max(255, 'must be at most 255 characters'),
});
/** A passphrase or recovery key to put on the clipboard from main (cleared later, as a copied value is). */
export const CopyBackupSecretRequestSchema = z.strictObject({
  secret: z.union([PassphraseSchema, IdentitySchema]),
});
/** When the clipboard will be cleared (if it still holds the secret then). */
export const CopyBackupSecretReplySchema = z.object({ clearsAt: TimestampSchema });
