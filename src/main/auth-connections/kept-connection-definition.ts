// A definition on its way to being kept: PEM material read from the files the user chose, the
// whole parsed by the type's schema (one declaration of what is valid), PEM parsed with
// node:crypto into public facts, then split into what SQLite keeps (public fields, facts) and
// what the keychain keeps (each sensitive part under a credential kind of its own).
import fs from 'node:fs/promises';
import { ConnectionDefinitionSchema, sensitiveFieldsOf, type ConnectionDefinition } from '../../shared/schemas/connection-definitions';
import type { CertificateFacts, PemFacts, PublicFieldValue, SensitiveField } from '../../shared/schemas/kept-connections';
import { LIMITS } from '../../shared/limits';
import { AppError, isAppError } from '../errors';
import type { CredentialKind } from '../vault/credential-kinds';
import { signingKeyFor } from './checks/jwt';
import { summarizeMtls, openPrivateKey, type CertificateInfo } from './pem';
import { canonicalJson } from './kept-connection-rules';

/** The keychain kind of each sensitive part. */
export const credentialKindOf: Record<SensitiveField, CredentialKind> = {
  clientSecret: 'connection-client-secret',
  token: 'connection-token',
  password: 'connection-password',
  secretKey: 'connection-secret-key',
  clientCertificate: 'connection-client-certificate',
  clientKey: 'connection-client-key',
  caCertificate: 'connection-ca-certificate',
  keyPassphrase: 'connection-key-passphrase',
};
export const keptCredentialKinds = [...new Set(Object.values(credentialKindOf))];

/** Where request fields live, for errors that name them as the user sent them. */
const PREFIX = 'definition';

function invalid(field: string, problem: string): AppError {
  const path = `${PREFIX}.${field}`;
  return new AppError('invalid_request', `Invalid request: ${path} ${problem}.`, { field: path });
}

/** Reads a PEM file the user chose, naming the field (and the path, never a byte of the content) when it cannot. */
export async function readPemFile(path: string, field: string): Promise<string> {
  let size: number;
  try {
    const stat = await fs.stat(path);
    if (stat.isDirectory()) throw invalid(`${field}.file`, `is a folder, not a PEM file (${path})`);
    size = stat.size;
  } catch (error) {
    if (isAppError(error)) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'cannot be read (permission denied)' : 'cannot be read';
    throw invalid(`${field}.file`, `${why} (${path})`);
  }
  if (size > LIMITS.secretValue)
    throw invalid(`${field}.file`, `is larger than ${LIMITS.secretValue / 1024} KiB, too large for PEM material (${path})`);
  try {
    return await fs.readFile(path, 'utf8');
  } catch {
    throw invalid(`${field}.file`, `cannot be read (${path})`);
  }
}

/** The definition with every file replaced by its text. */
export async function withFilesRead(definition: Record<string, unknown>): Promise<{ definition: Record<string, unknown>; read: string[] }> {
  const resolved = { ...definition };
  const read: string[] = [];
  for (const [field, value] of Object.entries(definition)) {
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && 'file' in value) {
      const text = await readPemFile(String((value as { file: unknown }).file), field);
      resolved[field] = text;
      read.push(text);
    }
  }
  return { definition: resolved, read };
}

/** Parses a whole definition with its type's schema; the first problem names its field. */
export function parseDefinition(candidate: Record<string, unknown>): ConnectionDefinition {
  const parsed = ConnectionDefinitionSchema.safeParse(candidate);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.map(String).join('.') ?? '';
  const missing = field !== '' && candidate[field] === undefined;
  throw invalid(field, missing ? 'is required' : (issue?.message ?? 'is not valid'));
}

function certificateFacts(info: CertificateInfo): CertificateFacts {
  return {
    subject: info.subject,
    issuer: info.issuer,
    fingerprint256: info.fingerprint256,
    notBefore: info.notBefore,
    notAfter: info.notAfter,
    keyType: info.key.type,
    keyBits: info.key.bits,
  };
}

/** An error of pem.ts or jwt.ts names the bare field; the request's field is under `definition`. */
function underDefinition<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (isAppError(error) && error.extra.field) {
      const path = `${PREFIX}.${error.extra.field}`;
      throw new AppError(error.code, `Invalid request: ${path} ${error.message.replace(new RegExp(`^${error.extra.field} `), '')}`, {
        ...error.extra,
        field: path,
      });
    }
    throw error;
  }
}

/**
 * The public facts of the definition's PEM material (null for types without any). Refuses
 * material that cannot be what it claims: a certificate that does not parse, a key that does not
 * open with the passphrase or is not the certificate's, a signing key that does not fit its algorithm.
 */
export function pemFactsOf(definition: ConnectionDefinition): PemFacts | null {
  return underDefinition(() => {
    if (definition.authType === 'mtls') {
      const summary = summarizeMtls(definition);
      if (!summary.keyMatches) {
        throw new AppError(
          'invalid_request',
          `clientKey does not belong to clientCertificate (${summary.certificate.subject}): they are not a pair.`,
          {
            field: 'clientKey',
          },
        );
      }
      return {
        certificate: certificateFacts(summary.certificate),
        intermediates: summary.intermediates.map(certificateFacts),
        ca: summary.ca.map(certificateFacts),
        key: { type: summary.key.type, bits: summary.key.bits, curve: summary.key.curve, encrypted: summary.key.encrypted },
      };
    }
    if (definition.authType === 'oauth2_jwt' || definition.authType === 'private_key_jwt') {
      signingKeyFor(definition);
      if (!definition.algorithm.startsWith('RS')) return null;
      const opened = openPrivateKey(definition.secretKey, undefined, 'secretKey');
      return { certificate: null, intermediates: [], ca: [], key: { ...opened.info, encrypted: false } };
    }
    return null;
  });
}

/** The certificate's end, for Review (mTLS only). */
export function certificateNotAfter(pem: PemFacts | null): number | null {
  return pem?.certificate?.notAfter ?? null;
}

/** SQLite's half (public fields without type and name) and the keychain's half (sensitive parts by field). */
export function splitDefinition(definition: ConnectionDefinition): {
  publicFields: Record<string, PublicFieldValue>;
  sensitive: Partial<Record<SensitiveField, string>>;
} {
  const sensitiveFields = new Set(sensitiveFieldsOf(definition.authType));
  const publicFields: Record<string, PublicFieldValue> = {};
  const sensitive: Partial<Record<SensitiveField, string>> = {};
  for (const [field, value] of Object.entries(definition)) {
    if (field === 'authType' || field === 'name' || value === undefined) continue;
    if (sensitiveFields.has(field)) sensitive[field as SensitiveField] = value as string;
    else publicFields[field] = value as PublicFieldValue;
  }
  return { publicFields, sensitive };
}

/** The text whose HMAC is a connection's fingerprint: its sensitive parts by field, in a fixed order. */
export function sensitivePartsText(sensitive: Partial<Record<SensitiveField, string>>): string {
  return canonicalJson(sensitive);
}
