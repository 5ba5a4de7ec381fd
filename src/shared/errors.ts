import { z } from 'zod';

/**
 * Every failure that crosses the IPC boundary is one of these codes, with a message written for
 * the user. Messages never contain a secret value, key or token.
 */
export const errorCodes = [
  'invalid_request', // the request failed its schema; `field` names the field
  'not_found', // a local record (workspace, secret) does not exist
  'conflict', // the action clashes with the current state
  'invalid_key', // ElevenLabs rejected the API key
  'missing_permission', // the key is valid but lacks a permission this action needs
  'remote_not_found', // ElevenLabs answered 404
  'rate_limited', // 429; `retryAfterSeconds` says when to try again, when known
  'server_error', // 5xx from ElevenLabs
  'unreachable', // no connection (offline, DNS, refused)
  'timeout', // ElevenLabs did not answer in time
  'unexpected_response', // a reply the SDK could not parse, or an unexpected status
  'remote_rejected', // 4xx other than the above (e.g. 422, deleting a secret in use)
  'keychain_unavailable', // no OS keychain / Secret Service
  'keychain_locked', // the keychain exists but is locked
  'keychain_failed', // any other keychain failure
  'key_missing', // the keychain has no entry where the database expects one
  'cancelled', // the user cancelled
  'storage_failed', // the database could not be written
  'internal', // a bug; details are in the log
  'issuer_mismatch', // an OAuth sign-in reply named another issuer than the provider's (RFC 9207; a possible mix-up attack): refused
  'backup_wrong_passphrase', // the passphrase (or recovery key) does not open this backup
  'backup_not_a_backup', // the file is not an age file, or an age file that is not an Agent Keyring backup
  'backup_damaged', // the backup is truncated, altered or its snapshot fails its checks
  'backup_too_new', // the backup was made by a newer version of Agent Keyring than this one can read
  'backup_work_factor', // the backup's scrypt work factor is outside what this version accepts (refused before deriving)
] as const;

export const ErrorCodeSchema = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

export const IpcErrorSchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  /** Dotted path of the request field at fault (for `invalid_request`, and a rejected `apiKey`). */
  field: z.string().optional(),
  /** For `rate_limited`, when known. */
  retryAfterSeconds: z.number().optional(),
  /** For `missing_permission`, when known. */
  permission: z.string().optional(),
});
export type IpcError = z.infer<typeof IpcErrorSchema>;

/** What every IPC call resolves to: plain data, never a thrown error or class instance. */
export type IpcReply<T> = { ok: true; data: T } | { ok: false; error: IpcError };
