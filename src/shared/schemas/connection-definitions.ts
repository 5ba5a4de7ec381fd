// An auth connection as it is kept here (a definition): one zod schema per type the API creates,
// validating as ElevenLabs' published spec does (required fields, enums, string maps, integer
// bounds) plus the app's own rule that every URL is https unless it points at this machine.
// Field names are the SDK's (camelCase); `connectionFields` says what each field means, whether
// it is sensitive (kept in the keychain, never returned by the API) and whether the API can
// update it in place. PEM material is only checked for its shape here; main parses it (pem.ts).
import { z } from 'zod';
import { LIMITS } from '../limits';
import { EndpointUrlSchema, ScopeSchema } from './accounts';
import { creatableAuthTypes } from './auth-connections';

export type ConnectionAuthType = (typeof creatableAuthTypes)[number];

/** Types whose connection the API's PATCH can change; the others are replaced (deleted and created). */
export const updatableAuthTypes = ['oauth2_client_credentials', 'basic_auth', 'bearer_auth', 'oauth2_jwt'] as const;
export type UpdatableAuthType = (typeof updatableAuthTypes)[number];

export const jwtAlgorithms = ['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512'] as const;
export type JwtAlgorithm = (typeof jwtAlgorithms)[number];
export const tokenResponseFields = ['access_token', 'id_token'] as const;

/** The API's bounds for `expiration_seconds` (spec: minimum 60, maximum 86400). */
export const EXPIRATION_SECONDS = { min: 60, max: 86_400, default: 3600 } as const;
/** A connection's name: the API publishes no rule; the dashboard shows names of this length comfortably. */
export const CONNECTION_NAME_MAX = 200;
const TEXT_MAX = 1000;
const MAP_ENTRIES_MAX = 50;

const text = (max = TEXT_MAX) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

/** A sensitive value: never trimmed (spaces may be part of it), never empty. */
const SensitiveSchema = z.string().min(1, 'must not be empty').max(LIMITS.secretValue, `must be at most ${LIMITS.secretValue} characters`);

/** An HTTP header name (RFC 9110 token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HeaderNameSchema = text(200).regex(HEADER_NAME, "must be a header name (letters, digits and !#$%&'*+.^_`|~-, no spaces)");

/** Keys and values are strings: the API's `additionalProperties: {type: string}`. */
const stringMap = (key: z.ZodType<string>, value: z.ZodType<string>) =>
  z.record(key, value).refine((map) => Object.keys(map).length <= MAP_ENTRIES_MAX, `must have at most ${MAP_ENTRIES_MAX} entries`);

const ParamNameSchema = text(200);
const ParamValueSchema = z.string().max(TEXT_MAX, `must be at most ${TEXT_MAX} characters`);
/** A header value may not break the request: no line breaks or other control characters. */
const NO_CONTROL_CHARACTERS = 'may not contain line breaks or control characters';
/** Tabs are allowed in header values (RFC 9110); every other control character breaks the request. */
const hasNoControlCharacters = (value: string) =>
  [...value].every((char) => {
    const code = char.charCodeAt(0);
    return code === 9 || (code >= 32 && code !== 127);
  });
const HeaderValueSchema = ParamValueSchema.refine(hasNoControlCharacters, NO_CONTROL_CHARACTERS);

const ScopesSchema = z.array(ScopeSchema).max(100, 'must have at most 100 scopes');

const ExpirationSecondsSchema = z
  .number({ message: `must be a whole number of seconds from ${EXPIRATION_SECONDS.min} to ${EXPIRATION_SECONDS.max}` })
  .int(`must be a whole number of seconds from ${EXPIRATION_SECONDS.min} to ${EXPIRATION_SECONDS.max}`)
  .min(EXPIRATION_SECONDS.min, `must be at least ${EXPIRATION_SECONDS.min} seconds`)
  .max(EXPIRATION_SECONDS.max, `must be at most ${EXPIRATION_SECONDS.max} seconds (one day)`);

const PEM_BLOCK = (label: string) => new RegExp(`-----BEGIN ${label}-----[\\s\\S]+?-----END ${label}-----`);
const CERTIFICATE_PEM = PEM_BLOCK('CERTIFICATE');
const PRIVATE_KEY_PEM = PEM_BLOCK('(?:RSA |EC |ENCRYPTED )?PRIVATE KEY');

const CertificatePemSchema = SensitiveSchema.regex(CERTIFICATE_PEM, 'must be a PEM certificate (-----BEGIN CERTIFICATE-----)');
const PrivateKeyPemSchema = SensitiveSchema.regex(PRIVATE_KEY_PEM, 'must be a PEM private key (-----BEGIN PRIVATE KEY-----)');

/** A connection's name (also a target's name for it in a workspace). */
export const ConnectionNameSchema = text(CONNECTION_NAME_MAX);

const common = {
  name: ConnectionNameSchema,
  provider: text(200),
};

const jwtClaims = {
  algorithm: z.enum(jwtAlgorithms).default('HS256'),
  keyId: text(200).optional(),
  issuer: text(),
  audience: text(),
  subject: text(),
  expirationSeconds: ExpirationSecondsSchema.default(EXPIRATION_SECONDS.default),
  extraParams: stringMap(ParamNameSchema, ParamValueSchema).default({}),
  secretKey: SensitiveSchema,
};

/** RS* sign with a private key (PEM); HS* with a shared secret, which must not be a key pasted by mistake. */
function checkSecretKeyFitsAlgorithm(value: { algorithm: JwtAlgorithm; secretKey: string }, ctx: z.RefinementCtx): void {
  const isPem = PRIVATE_KEY_PEM.test(value.secretKey);
  if (value.algorithm.startsWith('RS') && !isPem) {
    ctx.addIssue({
      code: 'custom',
      path: ['secretKey'],
      message: `must be a PEM private key (-----BEGIN PRIVATE KEY-----) for ${value.algorithm}`,
    });
  } else if (value.algorithm.startsWith('HS') && isPem) {
    ctx.addIssue({
      code: 'custom',
      path: ['secretKey'],
      message: `is a private key, but ${value.algorithm} signs with a shared secret: choose RS256, RS384 or RS512`,
    });
  }
}

export const OAuth2ClientCredentialsDefinitionSchema = z.strictObject({
  authType: z.literal('oauth2_client_credentials'),
  ...common,
  clientId: text(512),
  tokenUrl: EndpointUrlSchema,
  clientSecret: SensitiveSchema,
  scopes: ScopesSchema.default([]),
  extraParams: stringMap(ParamNameSchema, ParamValueSchema).default({}),
  basicAuthInHeader: z.boolean().default(false),
  customHeaders: stringMap(HeaderNameSchema, HeaderValueSchema).default({}),
});

export const OAuth2JwtDefinitionSchema = z
  .strictObject({
    authType: z.literal('oauth2_jwt'),
    ...common,
    ...jwtClaims,
    tokenUrl: EndpointUrlSchema,
    scopes: ScopesSchema.default([]),
    tokenResponseField: z.enum(tokenResponseFields).default('access_token'),
  })
  .superRefine(checkSecretKeyFitsAlgorithm);

export const PrivateKeyJwtDefinitionSchema = z
  .strictObject({ authType: z.literal('private_key_jwt'), ...common, ...jwtClaims })
  .superRefine(checkSecretKeyFitsAlgorithm);

export const BasicAuthDefinitionSchema = z.strictObject({
  authType: z.literal('basic_auth'),
  ...common,
  // RFC 7617: a user-id containing a colon cannot be sent in Basic auth.
  username: text(512).regex(/^[^:]*$/, "may not contain ':' (Basic auth separates user name and password with it)"),
  password: SensitiveSchema,
});

export const BearerAuthDefinitionSchema = z.strictObject({ authType: z.literal('bearer_auth'), ...common, token: SensitiveSchema });

export const CustomHeaderAuthDefinitionSchema = z.strictObject({
  authType: z.literal('custom_header_auth'),
  ...common,
  headerName: HeaderNameSchema,
  token: SensitiveSchema.refine(hasNoControlCharacters, NO_CONTROL_CHARACTERS),
});

export const MtlsDefinitionSchema = z.strictObject({
  authType: z.literal('mtls'),
  ...common,
  clientCertificate: CertificatePemSchema,
  clientKey: PrivateKeyPemSchema,
  caCertificate: CertificatePemSchema.optional(),
  keyPassphrase: SensitiveSchema.optional(),
});

/** Any of the seven, told apart by `authType`. */
export const ConnectionDefinitionSchema = z.discriminatedUnion('authType', [
  OAuth2ClientCredentialsDefinitionSchema,
  OAuth2JwtDefinitionSchema,
  PrivateKeyJwtDefinitionSchema,
  BasicAuthDefinitionSchema,
  BearerAuthDefinitionSchema,
  CustomHeaderAuthDefinitionSchema,
  MtlsDefinitionSchema,
]);
export type ConnectionDefinition = z.infer<typeof ConnectionDefinitionSchema>;
/** What a form may send: defaults not yet applied. */
export type ConnectionDefinitionInput = z.input<typeof ConnectionDefinitionSchema>;
export type DefinitionOf<T extends ConnectionAuthType> = Extract<ConnectionDefinition, { authType: T }>;

export const definitionSchemas = {
  oauth2_client_credentials: OAuth2ClientCredentialsDefinitionSchema,
  oauth2_jwt: OAuth2JwtDefinitionSchema,
  private_key_jwt: PrivateKeyJwtDefinitionSchema,
  basic_auth: BasicAuthDefinitionSchema,
  bearer_auth: BearerAuthDefinitionSchema,
  custom_header_auth: CustomHeaderAuthDefinitionSchema,
  mtls: MtlsDefinitionSchema,
} as const satisfies Record<ConnectionAuthType, z.ZodType>;

// ---- what each field means, for the forms and the plan -----------------------------------------

export type FieldInput = 'text' | 'url' | 'secret' | 'pem' | 'list' | 'map' | 'boolean' | 'integer' | 'choice';

export interface ConnectionFieldInfo {
  label: string;
  /** One or two sentences a builder can act on. */
  description: string;
  input: FieldInput;
  required: boolean;
  /** Kept in the keychain; the API accepts it but never returns it. */
  sensitive: boolean;
  /** The API's PATCH can change it (only for updatable types; never `name` or `tokenUrl`). */
  updatable: boolean;
  choices?: readonly string[];
}

type FieldTable = Record<string, Omit<ConnectionFieldInfo, 'updatable'> & { updatable?: boolean }>;

const NAME_AND_PROVIDER: FieldTable = {
  name: {
    label: 'Name',
    description: 'How the connection is called in ElevenLabs. It cannot be changed there later; matching across workspaces is by name.',
    input: 'text',
    required: true,
    sensitive: false,
    updatable: false,
  },
  provider: {
    label: 'Provider',
    description: 'The service the connection signs in to (for example "salesforce"); shown in the dashboard.',
    input: 'text',
    required: true,
    sensitive: false,
  },
};

const EXTRA_CLAIMS: FieldTable = {
  extraParams: {
    label: 'Extra claims',
    description: 'Additional claims put in the signed JWT, as name → text pairs.',
    input: 'map',
    required: false,
    sensitive: false,
  },
};

const JWT_FIELDS: FieldTable = {
  algorithm: {
    label: 'Signing algorithm',
    description: 'HS256/384/512 sign with a shared secret; RS256/384/512 with an RSA private key (PEM). Default HS256.',
    input: 'choice',
    required: false,
    sensitive: false,
    choices: jwtAlgorithms,
  },
  keyId: {
    label: 'Key ID (kid)',
    description: 'Put in the JWT header so the receiver can pick the right key while keys are rotated.',
    input: 'text',
    required: false,
    sensitive: false,
  },
  issuer: {
    label: 'Issuer (iss)',
    description: 'Who issues the JWT, as the receiver expects it.',
    input: 'text',
    required: true,
    sensitive: false,
  },
  audience: {
    label: 'Audience (aud)',
    description: 'Who the JWT is for, usually the token endpoint or API identifier.',
    input: 'text',
    required: true,
    sensitive: false,
  },
  subject: {
    label: 'Subject (sub)',
    description: 'Whom the JWT speaks for, such as a service account or user id.',
    input: 'text',
    required: true,
    sensitive: false,
  },
  expirationSeconds: {
    label: 'Lifetime (seconds)',
    description: `How long each signed JWT is valid: ${EXPIRATION_SECONDS.min} to ${EXPIRATION_SECONDS.max} seconds, default ${EXPIRATION_SECONDS.default}.`,
    input: 'integer',
    required: false,
    sensitive: false,
  },
  ...EXTRA_CLAIMS,
  secretKey: {
    label: 'Signing key',
    description: 'The shared secret (HS algorithms) or RSA private key in PEM (RS algorithms) that signs the JWT.',
    input: 'secret',
    required: true,
    sensitive: true,
  },
};

const TOKEN_URL: FieldTable = {
  tokenUrl: {
    label: 'Token URL',
    description: 'Where ElevenLabs asks for an access token. https (http only for 127.0.0.1 or localhost). It cannot be changed later.',
    input: 'url',
    required: true,
    sensitive: false,
    updatable: false,
  },
};

const SCOPES: FieldTable = {
  scopes: {
    label: 'Scopes',
    description: 'Scopes to ask for, one per entry, sent space-separated in the token request.',
    input: 'list',
    required: false,
    sensitive: false,
  },
};

const TABLES: Record<ConnectionAuthType, FieldTable> = {
  oauth2_client_credentials: {
    ...NAME_AND_PROVIDER,
    clientId: {
      label: 'Client ID',
      description: 'The OAuth client registered with the provider.',
      input: 'text',
      required: true,
      sensitive: false,
    },
    ...TOKEN_URL,
    clientSecret: {
      label: 'Client secret',
      description: "The OAuth client's secret, sent with each token request.",
      input: 'secret',
      required: true,
      sensitive: true,
    },
    ...SCOPES,
    extraParams: {
      label: 'Extra parameters',
      description: 'Additional form fields for the token request (for example audience), as name → text pairs.',
      input: 'map',
      required: false,
      sensitive: false,
    },
    basicAuthInHeader: {
      label: 'Send credentials as HTTP Basic',
      description: 'On: client id and secret go in an Authorization: Basic header. Off: in the request body.',
      input: 'boolean',
      required: false,
      sensitive: false,
    },
    customHeaders: {
      label: 'Custom headers',
      description: 'Extra HTTP headers sent with the token request, as name → value pairs.',
      input: 'map',
      required: false,
      sensitive: false,
    },
  },
  oauth2_jwt: {
    ...NAME_AND_PROVIDER,
    ...JWT_FIELDS,
    ...TOKEN_URL,
    ...SCOPES,
    tokenResponseField: {
      label: 'Token to use',
      description: 'Which field of the token endpoint’s answer is used: access_token (usual) or id_token.',
      input: 'choice',
      required: false,
      sensitive: false,
      choices: tokenResponseFields,
    },
  },
  private_key_jwt: { ...NAME_AND_PROVIDER, ...JWT_FIELDS },
  basic_auth: {
    ...NAME_AND_PROVIDER,
    username: {
      label: 'User name',
      description: 'Sent with the password in an Authorization: Basic header.',
      input: 'text',
      required: true,
      sensitive: false,
    },
    password: {
      label: 'Password',
      description: 'Sent with the user name in an Authorization: Basic header.',
      input: 'secret',
      required: true,
      sensitive: true,
    },
  },
  bearer_auth: {
    ...NAME_AND_PROVIDER,
    token: { label: 'Token', description: 'Sent as Authorization: Bearer <token>.', input: 'secret', required: true, sensitive: true },
  },
  custom_header_auth: {
    ...NAME_AND_PROVIDER,
    headerName: {
      label: 'Header name',
      description: 'The header that carries the token, for example X-Api-Key.',
      input: 'text',
      required: true,
      sensitive: false,
    },
    token: { label: 'Token', description: 'The value sent in that header.', input: 'secret', required: true, sensitive: true },
  },
  mtls: {
    ...NAME_AND_PROVIDER,
    clientCertificate: {
      label: 'Client certificate',
      description: 'The PEM certificate (with its chain, if any) presented to the server.',
      input: 'pem',
      required: true,
      sensitive: true,
    },
    clientKey: {
      label: 'Client key',
      description: 'The PEM private key of that certificate; it may be encrypted with the passphrase below.',
      input: 'pem',
      required: true,
      sensitive: true,
    },
    caCertificate: {
      label: 'CA certificate',
      description: "The PEM certificate of the authority that signed the server's certificate, when it is not a public one.",
      input: 'pem',
      required: false,
      sensitive: true,
    },
    keyPassphrase: {
      label: 'Key passphrase',
      description: 'Opens the client key when it is encrypted.',
      input: 'secret',
      required: false,
      sensitive: true,
    },
  },
};

const updatable = new Set<string>(updatableAuthTypes);

/** Every field of every type (besides `authType`), with what it means. */
export const connectionFields: Record<ConnectionAuthType, Record<string, ConnectionFieldInfo>> = Object.fromEntries(
  Object.entries(TABLES).map(([authType, table]) => [
    authType,
    Object.fromEntries(
      Object.entries(table).map(([field, info]) => [field, { ...info, updatable: updatable.has(authType) && (info.updatable ?? true) }]),
    ),
  ]),
) as Record<ConnectionAuthType, Record<string, ConnectionFieldInfo>>;

/** The sensitive fields of a type (the keychain's entries for a connection of it). */
export function sensitiveFieldsOf(authType: ConnectionAuthType): string[] {
  return Object.entries(connectionFields[authType])
    .filter(([, info]) => info.sensitive)
    .map(([field]) => field);
}

export function isUpdatableAuthType(authType: string): authType is UpdatableAuthType {
  return updatable.has(authType);
}

/** The sensitive values a definition holds, by field (for the keychain, fingerprints and the redactor). */
export function sensitiveValuesOf(definition: ConnectionDefinition): Record<string, string> {
  const values: Record<string, string> = {};
  for (const field of sensitiveFieldsOf(definition.authType)) {
    const value = (definition as Record<string, unknown>)[field];
    if (typeof value === 'string') values[field] = value;
  }
  return values;
}

/**
 * What an in-place update sends: the type, then only the fields that change. `name` and
 * `tokenUrl` are never among them (the API cannot change them), nor any field of the three types
 * the API cannot update (those are replaced).
 */
export type ConnectionUpdate = {
  [T in UpdatableAuthType]: { authType: T } & Partial<Omit<DefinitionOf<T>, 'authType' | 'name' | 'tokenUrl'>>;
}[UpdatableAuthType];

/** The sensitive values an update carries, to scrub from whatever comes back. */
export function sensitiveValuesOfUpdate(update: ConnectionUpdate): string[] {
  return sensitiveFieldsOf(update.authType)
    .map((field) => (update as Record<string, unknown>)[field])
    .filter((value): value is string => typeof value === 'string');
}

// ---- what a check before sending reports (src/main/auth-connections/checks) --------------------

export const CheckStepSchema = z.object({
  /** What was tried, e.g. "Token request". */
  label: z.string(),
  outcome: z.enum(['passed', 'failed', 'warning', 'skipped']),
  detail: z.string(),
});
export type CheckStep = z.infer<typeof CheckStepSchema>;

/** Public facts a check learnt (expiry, scopes granted, key size, days to expiry); never a credential. */
export const CheckFactSchema = z.union([z.string(), z.number(), z.boolean(), z.array(z.string()), z.null()]);

export const CheckReportSchema = z.object({
  authType: z.enum(creatableAuthTypes),
  /** failed if any step failed; warning if any warned; else passed. */
  outcome: z.enum(['passed', 'failed', 'warning']),
  /** One sentence: the first failure, else the first warning, else the last step that says something. */
  summary: z.string(),
  steps: z.array(CheckStepSchema),
  facts: z.record(z.string(), CheckFactSchema),
  durationMs: z.number().int().nonnegative(),
});
export type CheckReport = z.infer<typeof CheckReportSchema>;
