// Workspace auth connections (README: Auth connections): request validation per auth_type,
// what is kept, and what is returned. Write-only fields (secrets, tokens, keys, certificates) are
// validated and then dropped; only their SHA-256 digests are kept, for tests to confirm what was
// sent through a control endpoint, so they can never be returned.
import { createHash } from 'node:crypto';
import { type ApiError, apiError } from './errors';
import { type FieldSpec, type FieldSpecs, discriminator, requireObjectBody, validateFields } from './validation';

// Written from this folder's README on its own, not imported from the app (src/shared): the
// emulator stands in for ElevenLabs, so an app mistake must not become its behaviour too.
export const CREATABLE_AUTH_TYPES = [
  'oauth2_client_credentials',
  'custom_header_auth',
  'basic_auth',
  'bearer_auth',
  'oauth2_jwt',
  'private_key_jwt',
  'mtls',
] as const;
export type CreatableAuthType = (typeof CREATABLE_AUTH_TYPES)[number];

export const UPDATABLE_AUTH_TYPES = ['oauth2_client_credentials', 'basic_auth', 'bearer_auth', 'oauth2_jwt'] as const;
export type UpdatableAuthType = (typeof UPDATABLE_AUTH_TYPES)[number];

/** Made by dashboard or integration flows; listed, but not creatable through the API. */
export type ReadOnlyAuthType =
  | 'refresh_token_auth'
  | 'api_integration_oauth2_auth_code'
  | 'api_integration_oauth2_custom_app'
  | 'whatsapp_auth'
  | 'slack_bot_auth'
  | 'url_secret';

export type AuthType = CreatableAuthType | ReadOnlyAuthType;
export type AuthConnectionStatus = 'active' | 'refresh_failed' | 'revoked' | 'credential_invalid';

export interface IntegrationConnectionRef {
  id: string;
  name: string;
}

export interface StoredAuthConnection {
  id: string;
  authType: AuthType;
  name: string;
  /** Public fields of the variant (provider, client_id, token_url, ...). */
  fields: Record<string, unknown>;
  status: AuthConnectionStatus;
  statusDetail?: string;
  statusUpdatedAt: string;
  /** Integration connections have no resource of their own here, so they are kept inline. */
  integrationConnections: IntegrationConnectionRef[];
  /** SHA-256 (hex) of each write-only field last sent, by wire name; never a value. */
  credentialDigests?: Record<string, string>;
}

export const AUTH_CONNECTION_STATUSES: readonly AuthConnectionStatus[] = ['active', 'refresh_failed', 'revoked', 'credential_invalid'];

/** The published spec's bounds for `expiration_seconds`. */
const EXPIRATION_SECONDS: FieldSpec = { kind: 'integer', minimum: 60, maximum: 86_400 };

const JWT_ALGORITHMS = ['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512'] as const;
const TOKEN_RESPONSE_FIELDS = ['access_token', 'id_token'] as const;

const required = (kind: FieldSpec['kind']): FieldSpec => ({ kind, required: true });
const optional = (kind: FieldSpec['kind']): FieldSpec => ({ kind });
const requiredSecret: FieldSpec = { kind: 'string', required: true, writeOnly: true };
const optionalSecret: FieldSpec = { kind: 'string', writeOnly: true };

const NAME_AND_PROVIDER: FieldSpecs = { name: required('string'), provider: required('string') };
const JWT_CLAIMS: FieldSpecs = {
  algorithm: optional({ oneOf: JWT_ALGORITHMS }),
  key_id: optional('string'),
  issuer: required('string'),
  audience: required('string'),
  subject: required('string'),
  expiration_seconds: EXPIRATION_SECONDS,
  extra_params: optional('stringMap'),
};

const CREATE_FIELDS: Record<CreatableAuthType, FieldSpecs> = {
  oauth2_client_credentials: {
    ...NAME_AND_PROVIDER,
    client_id: required('string'),
    token_url: required('string'),
    scopes: optional('stringList'),
    extra_params: optional('stringMap'),
    basic_auth_in_header: optional('boolean'),
    client_secret: requiredSecret,
    custom_headers: optional('stringMap'),
  },
  custom_header_auth: { ...NAME_AND_PROVIDER, header_name: required('string'), token: requiredSecret },
  basic_auth: { ...NAME_AND_PROVIDER, username: required('string'), password: requiredSecret },
  bearer_auth: { ...NAME_AND_PROVIDER, token: requiredSecret },
  oauth2_jwt: {
    ...NAME_AND_PROVIDER,
    ...JWT_CLAIMS,
    token_url: required('string'),
    scopes: optional('stringList'),
    token_response_field: optional({ oneOf: TOKEN_RESPONSE_FIELDS }),
    secret_key: requiredSecret,
  },
  private_key_jwt: { ...NAME_AND_PROVIDER, ...JWT_CLAIMS, secret_key: requiredSecret },
  mtls: {
    ...NAME_AND_PROVIDER,
    client_certificate: requiredSecret,
    client_key: requiredSecret,
    ca_certificate: optionalSecret,
    key_passphrase: optionalSecret,
  },
};

// `name` and `token_url` cannot be updated (README: Auth connections); unknown fields are ignored.
// Map values are strings, as on create: the published spec allows no null inside them.
const UPDATE_FIELDS: Record<UpdatableAuthType, FieldSpecs> = {
  oauth2_client_credentials: {
    provider: optional('string'),
    client_id: optional('string'),
    scopes: optional('stringList'),
    extra_params: optional('stringMap'),
    basic_auth_in_header: optional('boolean'),
    client_secret: optionalSecret,
    custom_headers: optional('stringMap'),
  },
  basic_auth: { provider: optional('string'), username: optional('string'), password: optionalSecret },
  bearer_auth: { provider: optional('string'), token: optionalSecret },
  oauth2_jwt: {
    provider: optional('string'),
    algorithm: optional({ oneOf: JWT_ALGORITHMS }),
    key_id: optional('string'),
    issuer: optional('string'),
    audience: optional('string'),
    subject: optional('string'),
    expiration_seconds: EXPIRATION_SECONDS,
    extra_params: optional('stringMap'),
    scopes: optional('stringList'),
    token_response_field: optional({ oneOf: TOKEN_RESPONSE_FIELDS }),
    secret_key: optionalSecret,
  },
};

function withoutWriteOnly(values: Record<string, unknown>, specs: FieldSpecs): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([field]) => !specs[field]?.writeOnly));
}

/** Digests of the write-only fields present: proof of what was sent, without keeping it. */
function digestsOfWriteOnly(values: Record<string, unknown>, specs: FieldSpecs): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values)
      .filter(([field, value]) => specs[field]?.writeOnly && typeof value === 'string')
      .map(([field, value]) => [
        field,
        createHash('sha256')
          .update(value as string)
          .digest('hex'),
      ]),
  );
}

export interface NewAuthConnection {
  authType: CreatableAuthType;
  name: string;
  fields: Record<string, unknown>;
  credentialDigests: Record<string, string>;
}

export function parseCreateAuthConnection(body: unknown): NewAuthConnection {
  const input = requireObjectBody(body);
  const authType = discriminator(input, 'auth_type', CREATABLE_AUTH_TYPES);
  const specs = CREATE_FIELDS[authType];
  const { name, ...rest } = validateFields(input, specs, ['body', authType]);
  return { authType, name: String(name), fields: withoutWriteOnly(rest, specs), credentialDigests: digestsOfWriteOnly(rest, specs) };
}

export interface AuthConnectionChanges {
  authType: UpdatableAuthType;
  fields: Record<string, unknown>;
  /** Digests of the write-only fields sent; empty when none was. */
  credentialDigests: Record<string, string>;
}

export function parseUpdateAuthConnection(body: unknown): AuthConnectionChanges {
  const input = requireObjectBody(body);
  const authType = discriminator(input, 'auth_type', UPDATABLE_AUTH_TYPES);
  const specs = UPDATE_FIELDS[authType];
  const values = validateFields(input, specs, ['body', authType]);
  return { authType, fields: withoutWriteOnly(values, specs), credentialDigests: digestsOfWriteOnly(values, specs) };
}

export function authTypeMismatch(stored: StoredAuthConnection, requested: string): ApiError {
  return apiError(
    400,
    'auth_type_mismatch',
    `Auth connection ${stored.id} has auth_type ${stored.authType}; ` + `an update with auth_type ${requested} cannot be applied to it.`,
  );
}

/** Omitted fields stay; maps are replaced as a whole. New credentials make the connection active again. */
export function applyAuthConnectionChanges(stored: StoredAuthConnection, changes: AuthConnectionChanges, now: Date): void {
  for (const [field, value] of Object.entries(changes.fields)) stored.fields[field] = value;
  if (Object.keys(changes.credentialDigests).length > 0) {
    stored.credentialDigests = { ...stored.credentialDigests, ...changes.credentialDigests };
    stored.status = 'active';
    delete stored.statusDetail;
    stored.statusUpdatedAt = now.toISOString();
  }
}

export function authConnectionView(stored: StoredAuthConnection, usedBy: Record<string, unknown>): Record<string, unknown> {
  return {
    id: stored.id,
    auth_type: stored.authType,
    name: stored.name,
    ...stored.fields,
    status: stored.status,
    ...(stored.statusDetail === undefined ? {} : { status_detail: stored.statusDetail }),
    status_updated_at: stored.statusUpdatedAt,
    used_by: usedBy,
  };
}
