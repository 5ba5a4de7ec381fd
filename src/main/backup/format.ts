import { createHash } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../errors';
import { damaged, notABackup } from './age-file';

// The JSON inside the age file. Documented in docs/backup-format.md; change both together.

export const FORMAT_NAME = 'agent-keyring-backup';
/** The format this version writes. */
export const FORMAT_VERSION = 1;
/** The newest `minReaderVersion` this version can read: a file asking for more is refused as too new. */
export const READER_VERSION = 1;

const CountsSchema = z.object({
  credentials: z.number().int().nonnegative(),
  byKind: z.record(z.string(), z.number().int().nonnegative()),
  leftOut: z.record(z.string(), z.number().int().nonnegative()),
  records: z.record(z.string(), z.number().int().nonnegative()),
});

/** Only what a reader needs before trusting the rest: checked first, so a newer file is named as such. */
const EnvelopeSchema = z.object({
  format: z.string(),
  formatVersion: z.number().int().positive(),
  minReaderVersion: z.number().int().positive(),
});

export const BackupPayloadSchema = z.object({
  format: z.literal(FORMAT_NAME),
  formatVersion: z.number().int().positive(),
  minReaderVersion: z.number().int().positive(),
  appVersion: z.string(),
  schemaVersion: z.number().int().nonnegative(),
  createdAt: z.string().datetime(),
  createdOn: z.object({ hostname: z.string(), platform: z.string() }),
  options: z.object({ refreshTokens: z.boolean() }),
  counts: CountsSchema,
  credentials: z.array(z.object({ ref: z.string().min(1), kind: z.string().min(1), value: z.string() })),
  database: z.object({
    encoding: z.literal('base64'),
    bytes: z.number().int().positive(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    data: z.string(),
  }),
});
export type BackupPayload = z.infer<typeof BackupPayloadSchema>;

/**
 * Parses decrypted bytes: not JSON or another format is "not a backup", a newer reader version
 * is "too new", anything else off the documented shape (or a snapshot whose digest differs) is
 * "damaged". Returns the payload and the SQLite file's bytes.
 */
export function parsePayload(plaintext: Uint8Array): { payload: BackupPayload; database: Buffer } {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(plaintext).toString('utf8'));
  } catch {
    throw notABackup('it opened, but what is inside is not JSON');
  }
  const envelope = EnvelopeSchema.safeParse(json);
  if (!envelope.success || envelope.data.format !== FORMAT_NAME) throw notABackup(`it opened, but it is not in the ${FORMAT_NAME} format`);
  if (envelope.data.minReaderVersion > READER_VERSION) {
    throw new AppError(
      'backup_too_new',
      `This backup was made by a newer version of Agent Keyring (format ${envelope.data.formatVersion}, needs a reader of version ${envelope.data.minReaderVersion}; this one reads up to ${READER_VERSION}). Update Agent Keyring, then restore it. Nothing was changed.`,
    );
  }
  const parsed = BackupPayloadSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw damaged(`its ${issue?.path.join('.') || 'contents'} is not as the format says`);
  }
  const database = Buffer.from(parsed.data.database.data, 'base64');
  if (database.length !== parsed.data.database.bytes || sha256(database) !== parsed.data.database.sha256) {
    throw damaged('its database snapshot does not match its digest');
  }
  return { payload: parsed.data, database };
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
