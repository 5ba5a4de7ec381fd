import { z } from 'zod';
import { LIMITS } from '../limits';
import { blockedPortProblem, isLoopbackHost } from '../hosts';
import { IdSchema, ProblemSchema, TimestampSchema } from './common';
import { SecretNameSchema } from './local-secrets';

/** Built-in provider profiles, and providers the builder describes. */
export const providerKinds = ['google', 'slack', 'github', 'microsoft', 'custom'] as const;
export const ProviderKindSchema = z.enum(providerKinds);
export type ProviderKind = z.infer<typeof ProviderKindSchema>;

/** An OAuth endpoint: https, or http on a loopback host (a provider run locally, as in the tests). */
export const EndpointUrlSchema = z
  .string()
  .trim()
  .max(LIMITS.url, `must be at most ${LIMITS.url} characters`)
  .superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'is not a valid URL (for example https://auth.example.com/token)' });
      return;
    }
    const blocked = blockedPortProblem(url);
    if (url.username || url.password) ctx.addIssue({ code: 'custom', message: 'must not contain a user name or password' });
    else if (blocked) ctx.addIssue({ code: 'custom', message: blocked });
    else if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
      ctx.addIssue({ code: 'custom', message: 'must use https (plain http is only allowed for 127.0.0.1 or localhost)' });
    }
  });

export const ScopeSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  .regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/, 'may not contain spaces, quotes or backslashes');

/** A fixed port for a custom provider's redirect URI: above the privileged ports, as a desktop app can listen there. */
export const LoopbackPortSchema = z
  .number({ message: 'must be a whole number from 1024 to 65535' })
  .int('must be a whole number from 1024 to 65535')
  .min(1024, 'must be from 1024 to 65535 (ports below 1024 need administrator rights)')
  .max(65535, 'must be from 1024 to 65535');

export const ClientIdSchema = z.string().trim().min(1, 'must not be empty').max(512, 'must be at most 512 characters');
export const ClientSecretSchema = z.string().min(1, 'must not be empty').max(2048, 'must be at most 2048 characters');
export const PersonLabelSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(40, 'must be at most 40 characters')
  .regex(/^[A-Za-z0-9 _.-]+$/, "may only contain letters, digits, spaces, '_', '.' and '-'");

/** A provider as configured here: never its client secret, only whether one is kept. */
export const ProviderSchema = z.object({
  id: IdSchema,
  kind: ProviderKindSchema,
  name: z.string(),
  clientId: z.string(),
  hasClientSecret: z.boolean(),
  /** What the profile needs: a client secret (GitHub, Google), or none (PKCE public clients). */
  clientSecretNeeded: z.enum(['required', 'optional', 'none']),
  authorizeUrl: z.string(),
  tokenUrl: z.string(),
  revokeUrl: z.string().nullable(),
  issuer: z.string().nullable(),
  scopes: z.array(z.string()),
  pkce: z.boolean(),
  /** A custom provider's fixed redirect port; null: any free port. */
  port: z.number().int().nullable(),
  /** The exact redirect URI to register with the provider (any port where the provider allows it). */
  redirectUri: z.string(),
  /** Where the provider needs a registered port: the ports tried, in order. */
  fixedPorts: z.array(z.number().int()),
  note: z.string().nullable(),
});
export type Provider = z.infer<typeof ProviderSchema>;

export const SaveProviderRequestSchema = z.strictObject({
  /** Omitted: a new provider. */
  id: IdSchema.optional(),
  kind: ProviderKindSchema,
  name: z.string().trim().min(1, 'must not be empty').max(LIMITS.label, `must be at most ${LIMITS.label} characters`),
  clientId: ClientIdSchema,
  /** Omitted: keep the one kept (or none). Null: remove it. */
  clientSecret: ClientSecretSchema.nullable().optional(),
  /** For custom providers; built-in ones use their profile's endpoints. */
  authorizeUrl: EndpointUrlSchema.optional(),
  tokenUrl: EndpointUrlSchema.optional(),
  revokeUrl: EndpointUrlSchema.nullable().optional(),
  issuer: EndpointUrlSchema.nullable().optional(),
  scopes: z.array(ScopeSchema).max(50, 'must list at most 50 scopes').optional(),
  pkce: z.boolean().optional(),
  /** For custom providers: a fixed port for the redirect URI. Omitted: keep it; null: any free port. */
  port: LoopbackPortSchema.nullable().optional(),
});

export const accountStatuses = ['active', 'refresh_failing', 'needs_reconnect'] as const;
export const AccountStatusSchema = z.enum(accountStatuses);

/** A linked account: everything about its tokens, never a token. */
export const LinkedAccountSchema = z.object({
  id: IdSchema,
  personId: IdSchema,
  personLabel: z.string(),
  providerId: IdSchema,
  providerName: z.string(),
  subject: z.string().nullable(),
  scopes: z.array(z.string()),
  expiresAt: TimestampSchema.nullable(),
  hasRefreshToken: z.boolean(),
  status: AccountStatusSchema,
  problem: ProblemSchema.nullable(),
  /** When the scheduler will refresh it next (or retry after a failure). */
  nextRefreshAt: TimestampSchema.nullable(),
  linkedAt: TimestampSchema,
  refreshedAt: TimestampSchema.nullable(),
  /** Workspace secrets holding its access token: local secrets bound to it. */
  bindings: z.array(z.object({ localSecretId: IdSchema, secretName: z.string(), workspaceIds: z.array(IdSchema) })),
});
export type LinkedAccount = z.infer<typeof LinkedAccountSchema>;

/**
 * What each kind of provider asks of the builder before one is saved: the redirect URI to
 * register in their OAuth app (needed to create the app that gives the client id), whether a
 * client secret is needed, and the profile's note.
 */
export const ProviderProfileSchema = z.object({
  kind: ProviderKindSchema,
  displayName: z.string(),
  redirectUri: z.string(),
  fixedPorts: z.array(z.number().int()),
  clientSecretNeeded: z.enum(['required', 'optional', 'none']),
  defaultScopes: z.array(z.string()),
  pkce: z.boolean(),
  note: z.string().nullable(),
});
export type ProviderProfileSummary = z.infer<typeof ProviderProfileSchema>;

export const ListAccountsReplySchema = z.object({
  people: z.array(z.object({ id: IdSchema, label: z.string() })),
  accounts: z.array(LinkedAccountSchema),
  providers: z.array(ProviderSchema),
  /** One per kind (the built-in profiles, then custom), for the "add a provider" form. */
  profiles: z.array(ProviderProfileSchema),
});

export const StartLinkRequestSchema = z.strictObject({
  personLabel: PersonLabelSchema,
  providerId: IdSchema,
  /** Reconnect an account (new tokens, same settings and bindings). */
  accountId: IdSchema.optional(),
});
export const StartLinkReplySchema = z.object({
  flowId: IdSchema,
  /** Shown with a copy button, in case the browser does not open. */
  authorizeUrl: z.string(),
  redirectUri: z.string(),
  expiresAt: TimestampSchema,
});

export const flowStatuses = ['waiting', 'exchanging', 'linked', 'failed', 'cancelled', 'expired'] as const;
export const LinkFlowEventSchema = z.object({
  flowId: IdSchema,
  status: z.enum(flowStatuses),
  accountId: IdSchema.nullable(),
  problem: ProblemSchema.nullable(),
});
export type LinkFlowEvent = z.infer<typeof LinkFlowEventSchema>;

export const AccountIdRequestSchema = z.strictObject({ accountId: IdSchema });

export const BindAccountRequestSchema = z.strictObject({
  accountId: IdSchema,
  secretName: SecretNameSchema,
  workspaceIds: z.array(IdSchema).min(1, 'must name at least one workspace').max(LIMITS.workspacesPerRequest),
});

export const PersonIdRequestSchema = z.strictObject({ personId: IdSchema });

const SkippedAccountsSchema = z.array(z.object({ accountId: IdSchema, reason: z.string() }));

/** What a person's dynamic variables will hold, with every token shown as "…": safe to display. */
export const DynamicVariablesReplySchema = z.object({
  /** `secret__…` names, one per linked account that can hand over a token. */
  names: z.array(z.string()),
  json: z.string(),
  snippet: z.string(),
  /** Accounts left out (needing a reconnect, or expired), each with why. */
  skipped: SkippedAccountsSchema,
});

export const dynamicVariableFormats = ['json', 'snippet'] as const;
export const CopyDynamicVariablesRequestSchema = z.strictObject({
  personId: IdSchema,
  format: z.enum(dynamicVariableFormats),
  /** Tokens expiring within this many seconds are refreshed first. */
  marginSeconds: z.number().int().min(0).max(86_400),
});
/** The copy happens in main (tokens never visit the renderer); the clipboard is cleared later. */
export const CopyDynamicVariablesReplySchema = z.object({
  clearsAt: TimestampSchema,
  names: z.array(z.string()),
  skipped: SkippedAccountsSchema,
});
