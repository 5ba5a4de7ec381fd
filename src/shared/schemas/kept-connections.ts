// Connections kept here, as they cross IPC: requests carry a definition (the type's schema from
// connection-definitions.ts, where PEM material may instead name a file for main to read), and
// replies carry everything about a connection except its sensitive parts: public fields, which
// parts are kept, an HMAC fingerprint, the public facts of its PEM material, and its targets.
import { z } from 'zod';
import { LIMITS } from '../limits';
import { EndpointUrlSchema } from './accounts';
import { creatableAuthTypes } from './auth-connections';
import { IdSchema, TimestampSchema } from './common';
import {
  ConnectionNameSchema,
  connectionFields,
  definitionSchemas,
  sensitiveFieldsOf,
  type ConnectionAuthType,
} from './connection-definitions';

/** Every sensitive part any type has; each is a credential kind of its own in the keychain. */
export type SensitiveField =
  'clientSecret' | 'token' | 'password' | 'secretKey' | 'clientCertificate' | 'clientKey' | 'caCertificate' | 'keyPassphrase';

/** PEM material (and a JWT signing key, which is PEM for RS algorithms) may be read from a file instead of pasted. */
export const fileFields = ['clientCertificate', 'clientKey', 'caCertificate', 'secretKey'] as const;
export type FileField = (typeof fileFields)[number];
const fromFile = new Set<string>(fileFields);

/** A file the user chose; main reads it (the renderer cannot). */
export const PemFileSchema = z.strictObject({
  file: z
    .string()
    .min(1, 'must not be empty')
    .max(4096, 'must be at most 4096 characters')
    .refine((path) => path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\'), 'must be an absolute path'),
});
export type PemFile = z.infer<typeof PemFileSchema>;

type Sources<D> = { [K in keyof D]: K extends FileField ? D[K] | PemFile : D[K] };
type EditOf<D> = Omit<D, SensitiveField> & { [K in Extract<keyof D, SensitiveField>]?: D[K] | null };
type InputOf<T extends ConnectionAuthType> = z.input<(typeof definitionSchemas)[T]>;
type OutputOf<T extends ConnectionAuthType> = z.output<(typeof definitionSchemas)[T]>;

/** A definition to create: the type's schema, with files allowed for PEM material. */
export type DefinitionRequest = { [T in ConnectionAuthType]: Sources<OutputOf<T>> }[ConnectionAuthType];
export type DefinitionRequestInput = { [T in ConnectionAuthType]: Sources<InputOf<T>> }[ConnectionAuthType];
/** A definition to save over a kept one: a sensitive part left out stays as it is; null removes an optional one. */
export type DefinitionEdit = { [T in ConnectionAuthType]: EditOf<Sources<OutputOf<T>>> }[ConnectionAuthType];
export type DefinitionEditInput = { [T in ConnectionAuthType]: EditOf<Sources<InputOf<T>>> }[ConnectionAuthType];

/**
 * The request form of each type's schema. Cross-field rules (a signing key that fits the
 * algorithm) are the definition schema's own and run in main once files are read.
 */
function requestSchemaOf(authType: ConnectionAuthType, mode: 'create' | 'edit'): z.ZodObject {
  const shape: Record<string, z.ZodType> = { ...(definitionSchemas[authType] as unknown as z.ZodObject).shape };
  for (const field of sensitiveFieldsOf(authType)) {
    const required = connectionFields[authType][field]?.required ?? false;
    let schema = shape[field] as z.ZodType;
    if (schema instanceof z.ZodOptional) schema = schema.unwrap() as z.ZodType;
    if (fromFile.has(field)) schema = z.union([schema, PemFileSchema]);
    if (mode === 'create') shape[field] = required ? schema : schema.optional();
    else shape[field] = required ? schema.optional() : schema.nullable().optional();
  }
  return z.strictObject(shape);
}

const requestUnion = (mode: 'create' | 'edit') =>
  z.discriminatedUnion(
    'authType',
    creatableAuthTypes.map((authType) => requestSchemaOf(authType, mode)) as unknown as [z.ZodObject, ...z.ZodObject[]],
  );

export const DefinitionRequestSchema = requestUnion('create') as unknown as z.ZodType<DefinitionRequest, DefinitionRequestInput>;
export const DefinitionEditSchema = requestUnion('edit') as unknown as z.ZodType<DefinitionEdit, DefinitionEditInput>;

/** The sensitive values a request carries as text (files are read, and taught to the redactor, in main). */
export function sensitiveTextOf(definition: DefinitionRequest | DefinitionEdit | undefined): string[] {
  if (!definition) return [];
  return sensitiveFieldsOf(definition.authType)
    .map((field) => (definition as Record<string, unknown>)[field])
    .filter((value): value is string => typeof value === 'string');
}

// ---- replies ------------------------------------------------------------------------------------

export const PublicFieldValueSchema = z.union([z.string(), z.number(), z.boolean(), z.array(z.string()), z.record(z.string(), z.string())]);
export type PublicFieldValue = z.infer<typeof PublicFieldValueSchema>;

export const KeyFactsSchema = z.object({
  type: z.string(),
  bits: z.number().int().nullable(),
  curve: z.string().nullable(),
  encrypted: z.boolean(),
});
export const CertificateFactsSchema = z.object({
  subject: z.string(),
  issuer: z.string(),
  /** SHA-256 of the certificate, as `openssl x509 -fingerprint -sha256` shows it. */
  fingerprint256: z.string(),
  notBefore: TimestampSchema,
  notAfter: TimestampSchema,
  keyType: z.string(),
  keyBits: z.number().int().nullable(),
});
export type CertificateFacts = z.infer<typeof CertificateFactsSchema>;

/** What is public about a connection's PEM material: all SQLite keeps of it. */
export const PemFactsSchema = z.object({
  /** The client certificate (mTLS). */
  certificate: CertificateFactsSchema.nullable(),
  /** Certificates after it in the client certificate field (its chain). */
  intermediates: z.array(CertificateFactsSchema),
  ca: z.array(CertificateFactsSchema),
  /** The client key (mTLS) or the RS signing key (JWT types). */
  key: KeyFactsSchema.nullable(),
});
export type PemFacts = z.infer<typeof PemFactsSchema>;

/** How a target stands, from SQLite alone (the last push and the last sync). */
export const keptTargetStates = [
  'never_pushed', // not in the workspace yet, or adopted and not pushed since
  'in_sync', // pushed, unchanged here, and the last sync saw the same public fields
  'changed_here', // the definition changed since the last push (`changes` says what; `replaceNeeded` whether in place is impossible)
  'changed_remotely', // the last sync saw public fields that differ from the definition (changed in the dashboard)
  'missing_remotely', // it was pushed, but the last sync no longer found it
] as const;
export const KeptTargetStateSchema = z.enum(keptTargetStates);
export type KeptTargetState = z.infer<typeof KeptTargetStateSchema>;

const NamedRefSchema = z.object({ id: z.string(), name: z.string().nullable() });

export const KeptConnectionTargetSchema = z.object({
  workspaceId: IdSchema,
  /** Its name in that workspace. */
  remoteName: z.string(),
  followsName: z.boolean(),
  remoteConnectionId: z.string().nullable(),
  state: KeptTargetStateSchema,
  /** Fields changed since the last push (`secrets` for the sensitive parts), or that differ remotely. */
  changes: z.array(z.string()),
  /** The change cannot be made in place: a new connection replaces the old one, and what uses it must be re-pointed. */
  replaceNeeded: z.boolean(),
  /** What uses the remote connection, as the last sync saw it. */
  usedBy: z.object({ tools: z.array(NamedRefSchema), mcpServers: z.array(NamedRefSchema) }),
  pushedAt: TimestampSchema.nullable(),
});
export type KeptConnectionTarget = z.infer<typeof KeptConnectionTargetSchema>;

/** A connection kept here as the renderer sees it: never a sensitive value. */
export const KeptConnectionSchema = z.object({
  id: IdSchema,
  name: z.string(),
  authType: z.enum(creatableAuthTypes),
  /** Its public fields (provider, client id, token URL, scopes, ...), by the SDK's names. */
  fields: z.record(z.string(), PublicFieldValueSchema),
  /** The sensitive parts kept in the keychain (names only). */
  kept: z.array(z.string()),
  /** HMAC-SHA256 of the sensitive parts under this computer's key: equal fingerprints, equal secrets. */
  fingerprint: z.string(),
  pem: PemFactsSchema.nullable(),
  /** The API can update a connection of this type in place. */
  updatable: z.boolean(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
  secretsChangedAt: TimestampSchema,
  targets: z.array(KeptConnectionTargetSchema),
});
export type KeptConnection = z.infer<typeof KeptConnectionSchema>;

// ---- requests -----------------------------------------------------------------------------------

export const KeptTargetRequestSchema = z.strictObject({
  workspaceId: IdSchema,
  /** Null: the kept connection's own name (follows a rename). */
  remoteName: ConnectionNameSchema.nullable(),
});
const TargetsSchema = z
  .array(KeptTargetRequestSchema)
  .max(LIMITS.workspacesPerRequest, `must list at most ${LIMITS.workspacesPerRequest} workspaces`);

export const ListKeptConnectionsRequestSchema = z.strictObject({
  /** Matches anywhere in the name, ignoring case and treating `_`, `-` and spaces alike. */
  query: z.string().max(LIMITS.searchQuery, `must be at most ${LIMITS.searchQuery} characters`),
});
export const ListKeptConnectionsReplySchema = z.object({ connections: z.array(KeptConnectionSchema) });

export const KeptConnectionIdRequestSchema = z.strictObject({ id: IdSchema });

export const CreateKeptConnectionRequestSchema = z.strictObject({
  definition: DefinitionRequestSchema,
  targets: TargetsSchema.optional(),
});

export const UpdateKeptConnectionRequestSchema = z.strictObject({ id: IdSchema, definition: DefinitionEditSchema });

export const SetKeptTargetsRequestSchema = z.strictObject({ id: IdSchema, targets: TargetsSchema });

const RemoteConnectionIdSchema = z.string().min(1, 'must not be empty').max(LIMITS.id, `must be at most ${LIMITS.id} characters`);

/**
 * Takes over a connection made in the dashboard: a new kept connection from `definition` (its
 * sensitive parts given here), or an existing one (`keptConnectionId`) whose definition it gets.
 */
export const AdoptConnectionRequestSchema = z
  .strictObject({
    workspaceId: IdSchema,
    remoteConnectionId: RemoteConnectionIdSchema,
    definition: DefinitionRequestSchema.optional(),
    keptConnectionId: IdSchema.optional(),
  })
  .refine((request) => (request.definition === undefined) !== (request.keptConnectionId === undefined), {
    message: 'is required unless keptConnectionId is given, and must be left out when it is',
    path: ['definition'],
  });

/** Targets another workspace under the name the connection has in the first (staging → production). */
export const CopyKeptTargetRequestSchema = z.strictObject({ id: IdSchema, fromWorkspaceId: IdSchema, toWorkspaceId: IdSchema });

export const CheckKeptConnectionRequestSchema = z.strictObject({
  id: IdSchema,
  /** For basic, bearer, custom header and mTLS: a URL to try the credentials on (status only). */
  probeUrl: EndpointUrlSchema.optional(),
});

export const DeleteKeptConnectionReplySchema = z.object({ deletedId: IdSchema });
