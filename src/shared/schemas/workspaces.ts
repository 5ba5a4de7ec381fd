import { z } from 'zod';
import { blockedPortProblem, isLoopbackHost } from '../hosts';
import { LIMITS } from '../limits';
import { IdSchema, ProblemSchema, TimestampSchema } from './common';

/** Where a workspace's API lives: the SDK's environments, a custom URL, or the built-in demo. */
export const residencies = ['default', 'us', 'eu', 'india', 'singapore', 'custom', 'demo'] as const;
export const ResidencySchema = z.enum(residencies);
export type Residency = z.infer<typeof ResidencySchema>;

export const residencyLabels: Record<Residency, string> = {
  default: 'Default (api.elevenlabs.io)',
  us: 'United States',
  eu: 'European Union',
  india: 'India',
  singapore: 'Singapore',
  custom: 'Custom URL (emulator, proxy)',
  demo: 'Demo (built-in emulator)',
};

/**
 * A custom base URL must be https, or http on a loopback host (the emulator): an API key must
 * never travel in clear text over a network.
 */
export const BaseUrlSchema = z
  .string()
  .trim()
  .max(LIMITS.url, `must be at most ${LIMITS.url} characters`)
  .superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'is not a valid URL (for example https://api.example.com)' });
      return;
    }
    if (url.username || url.password) {
      ctx.addIssue({ code: 'custom', message: 'must not contain a user name or password (the API key is sent separately)' });
      return;
    }
    const blocked = blockedPortProblem(url);
    if (blocked) {
      ctx.addIssue({ code: 'custom', message: blocked });
      return;
    }
    if (url.protocol === 'https:') return;
    if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return;
    ctx.addIssue({
      code: 'custom',
      message: 'must use https (plain http is only allowed for 127.0.0.1 or localhost)',
    });
  });

export const LabelSchema = z.string().trim().min(1, 'must not be empty').max(LIMITS.label, `must be at most ${LIMITS.label} characters`);

/**
 * ElevenLabs keys are `sk_` and 48 hex digits (older ones 32 hex digits). Only the characters a
 * key can have are accepted: a quote, space or non-ASCII letter means a bad paste, could never
 * be sent in a header, and would slip past the redactor in escaped form.
 */
export const ApiKeySchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(LIMITS.apiKey, `must be at most ${LIMITS.apiKey} characters`)
  .regex(/^\S+$/, 'must not contain spaces or line breaks')
  .regex(/^[A-Za-z0-9._-]+$/, "may only contain letters, digits, '_', '-' and '.' (check that it was copied without quotes)")
  .min(LIMITS.minCredential, `is too short: ElevenLabs API keys have at least ${LIMITS.minCredential} characters`);

export const verificationStates = ['verified', 'unverified'] as const;

export const SyncStateSchema = z.object({
  status: z.enum(['never', 'ok', 'failed']),
  lastAttemptAt: TimestampSchema.nullable(),
  lastSuccessAt: TimestampSchema.nullable(),
  problem: ProblemSchema.nullable(),
  secretCount: z.number().int().nonnegative(),
  removedSecretCount: z.number().int().nonnegative(),
  authConnectionCount: z.number().int().nonnegative(),
});
export type SyncState = z.infer<typeof SyncStateSchema>;

/** Whether the key may do something: `unknown` until a check or a sync has shown it. */
export const AccessSchema = z.object({
  state: z.enum(['unknown', 'allowed', 'denied']),
  /** The permission it lacks, when denied and known. */
  permission: z.string().nullable(),
});
export type Access = z.infer<typeof AccessSchema>;

export const WorkspaceSummarySchema = z.object({
  id: IdSchema,
  label: z.string(),
  residency: ResidencySchema,
  baseUrl: z.string().nullable(),
  verification: z.enum(verificationStates),
  /** ElevenLabs' own workspace id, when the key may read /v1/user. */
  remoteWorkspaceId: z.string().nullable(),
  ownerFirstName: z.string().nullable(),
  planTier: z.string().nullable(),
  seatType: z.string().nullable(),
  /** Permissions the key lacked when it was checked (it is valid, with a limited scope). */
  missingPermissions: z.array(z.string()),
  /** What the key may read, from its check and its last sync: shown where the user looks. */
  access: z.object({ secrets: AccessSchema, authConnections: AccessSchema }),
  /** Other workspaces here whose key reaches the same ElevenLabs workspace. */
  sameRemoteAs: z.array(IdSchema),
  createdAt: TimestampSchema,
  keyCheckedAt: TimestampSchema.nullable(),
  /** Whether the last call to its API got through. */
  reachability: z.enum(['unknown', 'reachable', 'unreachable']),
  /** When its API last answered (any answer, even an error). */
  lastContactAt: TimestampSchema.nullable(),
  sync: SyncStateSchema,
});
export type WorkspaceSummary = z.infer<typeof WorkspaceSummarySchema>;

export const WorkspaceListSchema = z.object({
  workspaces: z.array(WorkspaceSummarySchema),
  activeWorkspaceId: IdSchema.nullable(),
});
export type WorkspaceList = z.infer<typeof WorkspaceListSchema>;

const KeyConfirmationsSchema = {
  /** Keep the key even though ElevenLabs could not be reached to check it. */
  saveUnverified: z.boolean().optional(),
  /** Keep the key even though it may not list secrets (nothing could be synced). */
  acceptLimitedKey: z.boolean().optional(),
  /** Keep the key even though it reaches a workspace that is already here (or a different one). */
  acceptWorkspaceMismatch: z.boolean().optional(),
};

export const AddWorkspaceRequestSchema = z
  .strictObject({
    label: LabelSchema,
    residency: ResidencySchema.exclude(['demo']),
    baseUrl: BaseUrlSchema.optional(),
    apiKey: ApiKeySchema,
    ...KeyConfirmationsSchema,
  })
  .superRefine((request, ctx) => {
    if (request.residency === 'custom' && !request.baseUrl) {
      ctx.addIssue({ code: 'custom', path: ['baseUrl'], message: 'is required for a custom URL' });
    }
    if (request.residency !== 'custom' && request.baseUrl) {
      ctx.addIssue({ code: 'custom', path: ['baseUrl'], message: 'is only used with the custom residency' });
    }
  });
export type AddWorkspaceRequest = z.input<typeof AddWorkspaceRequestSchema>;

/**
 * Adding (or re-keying) either finishes, or stops to ask the user something first. Nothing is
 * kept when it stops.
 */
export const KeyOutcomeSchema = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('saved'), workspace: WorkspaceSummarySchema }),
  z.object({
    outcome: z.literal('confirm_unverified'),
    /** Why the key could not be checked (unreachable, timeout, server error...). */
    problem: ProblemSchema,
  }),
  z.object({
    outcome: z.literal('confirm_limited_key'),
    /** The permissions it lacks, and what that stops Agent Keyring from doing. */
    missingPermissions: z.array(z.string()),
    message: z.string(),
  }),
  z.object({
    outcome: z.literal('confirm_workspace_mismatch'),
    /** `duplicate`: the key reaches a workspace already here. `different`: a re-key reaches another workspace. */
    reason: z.enum(['duplicate', 'different']),
    otherWorkspaceIds: z.array(IdSchema),
    message: z.string(),
  }),
]);
export type KeyOutcome = z.infer<typeof KeyOutcomeSchema>;

export const RenameWorkspaceRequestSchema = z.strictObject({ workspaceId: IdSchema, label: LabelSchema });

export const ReplaceKeyRequestSchema = z.strictObject({
  workspaceId: IdSchema,
  apiKey: ApiKeySchema,
  ...KeyConfirmationsSchema,
});

export const WorkspaceIdRequestSchema = z.strictObject({ workspaceId: IdSchema });

export const RemoveWorkspaceReplySchema = z.object({
  removedWorkspaceId: IdSchema,
  activeWorkspaceId: IdSchema.nullable(),
  /** Local secrets that targeted it: they keep their values here; their targets to it were dropped. */
  droppedTargets: z.array(z.object({ id: IdSchema, name: z.string() })),
});

export const ActiveWorkspaceReplySchema = z.object({ activeWorkspaceId: IdSchema.nullable() });
