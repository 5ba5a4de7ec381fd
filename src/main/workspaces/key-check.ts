import { AppError } from '../errors';
import type { WorkspaceApi } from '../elevenlabs/gateway';
import type { KeyFacts } from './workspace-repository';

export type KeyCheckResult =
  | { kind: 'verified'; facts: KeyFacts; sampleSecretId: string | null }
  /** The API could not be asked (offline, timeout, 5xx, 429): the key is neither good nor bad. */
  | { kind: 'unverifiable'; problem: AppError };

/** Problems that say nothing about the key itself. */
const inconclusive = new Set(['unreachable', 'timeout', 'server_error', 'rate_limited', 'unexpected_response', 'remote_not_found']);

/**
 * Checks a key before it is kept: list one secret (needs convai read access), then read
 * /v1/user for the workspace's identity. `missing_permissions` means a valid key with a limited
 * scope, never an invalid key. An invalid key throws.
 */
export async function checkKey(api: WorkspaceApi, now: number, signal?: AbortSignal): Promise<KeyCheckResult> {
  const missingPermissions: string[] = [];
  let sampleSecretId: string | null = null;
  try {
    const page = await api.listSecrets({ pageSize: 1 }, { signal });
    sampleSecretId = page.items[0]?.secretId ?? null;
  } catch (error) {
    const problem = asAppError(error);
    if (problem.code === 'cancelled') throw problem;
    if (problem.code === 'missing_permission') missingPermissions.push(problem.extra.permission ?? 'convai_read');
    else if (inconclusive.has(problem.code)) return { kind: 'unverifiable', problem };
    else throw problem;
  }

  let identity: Pick<KeyFacts, 'remoteWorkspaceId' | 'ownerFirstName' | 'planTier' | 'seatType'> = {
    remoteWorkspaceId: null,
    ownerFirstName: null,
    planTier: null,
    seatType: null,
  };
  try {
    const user = await api.getUser({}, { signal });
    identity = {
      remoteWorkspaceId: user.workspaceId,
      ownerFirstName: user.firstName,
      planTier: user.planTier,
      seatType: user.seatType,
    };
  } catch (error) {
    const problem = asAppError(error);
    if (problem.code === 'cancelled') throw problem;
    if (problem.code === 'missing_permission') missingPermissions.push(problem.extra.permission ?? 'user_read');
    else if (!inconclusive.has(problem.code)) throw problem;
    // Otherwise the key already proved itself on the secrets list; identity stays unknown.
  }

  return {
    kind: 'verified',
    sampleSecretId,
    facts: { verification: 'verified', ...identity, missingPermissions, keyCheckedAt: now },
  };
}

export const unverifiedFacts: KeyFacts = {
  verification: 'unverified',
  remoteWorkspaceId: null,
  ownerFirstName: null,
  planTier: null,
  seatType: null,
  missingPermissions: [],
  keyCheckedAt: null,
};

function asAppError(error: unknown): AppError {
  return error instanceof AppError ? error : new AppError('internal', 'The key check failed unexpectedly.');
}
