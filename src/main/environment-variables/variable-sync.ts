// A sync's part for environment variables: fetch every variable of the workspace (bounded paging,
// operations.ts listEnvironmentVariables) while nothing is written, then a write that the
// inventory's one transaction runs beside secrets and auth connections.
import type { Problem } from '../../shared/schemas/common';
import { isAppError } from '../errors';
import type { CallOptions, WorkspaceApi } from '../elevenlabs/gateway';
import type { RemoteEnvironmentVariable } from '../elevenlabs/types';
import type { VariableRepository } from './variable-repository';

export interface FetchedVariables {
  /** null: the key may not list them; the cached ones stay as they are. */
  variables: RemoteEnvironmentVariable[] | null;
  denied: { permission: string | null } | null;
  /** Said to the user when they could not be listed. */
  note: Problem | null;
}

/** Every variable of the workspace; a key without the permission is a note, not a failed sync. */
export async function fetchEnvironmentVariables(
  api: WorkspaceApi,
  calls: Pick<CallOptions<'listEnvironmentVariables'>, 'signal' | 'onRetry'>,
): Promise<FetchedVariables> {
  try {
    const { variables } = await api.listEnvironmentVariables({}, calls);
    return { variables, denied: null, note: null };
  } catch (error) {
    // A host without the route (an older or another deployment): the rest of the sync stands.
    if (isAppError(error) && error.code === 'remote_not_found') {
      return {
        variables: null,
        denied: null,
        note: {
          code: 'remote_not_found',
          message: 'This ElevenLabs host does not list environment variables (404); the cached ones were kept.',
        },
      };
    }
    if (!isAppError(error) || error.code !== 'missing_permission') throw error;
    const permission = error.extra.permission ?? null;
    return {
      variables: null,
      denied: { permission },
      note: {
        code: 'missing_permission',
        message: `This key may not list environment variables${permission ? ` (it lacks ${permission})` : ''}; the cached ones were kept.`,
        ...(permission ? { permission } : {}),
      },
    };
  }
}

/** The write for the sync's transaction: the variables replaced, or the refusal recorded. */
export function writeEnvironmentVariables(
  repository: VariableRepository,
  workspaceId: string,
  fetched: FetchedVariables,
): (commit: { generation: number; at: number }) => void {
  return ({ generation, at }) => {
    if (fetched.variables) repository.replaceAll(workspaceId, fetched.variables, generation, at);
    else if (fetched.denied)
      repository.recordAccess(workspaceId, { state: 'denied', permission: fetched.denied.permission, checkedAt: at });
  };
}

/** One note from two: each part of the sync that could not be read says so. */
export function joinNotes(first: Problem | null, second: Problem | null): Problem | null {
  if (first === null) return second;
  if (second === null) return first;
  return { ...first, message: `${first.message} ${second.message}` };
}
