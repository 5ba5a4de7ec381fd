/**
 * Flows of the local secrets, push, review and activity views that span the cache and the UI
 * state. No value passes through here: values go from a form straight to main.
 */
import type { Plan } from '../../../shared/schemas/push';
import { call } from '../keyring';
import { resultSummary } from '../lib/push-text';
import { queryClient, queryKeys } from '../queries/client';
import { resetPushRun } from '../queries/pushProgress';
import { cachedActiveWorkspaceId } from '../queries/workspaces';
import { switchToWorkspace } from './actions';
import { useBrowse } from './browse';
import { useLocalSecretsUi } from './local-secrets';
import { useUi, type PushScope } from './ui';

/** Everything computed from local secrets is stale (main's `localSecrets:changed` says the same). */
export async function localSecretsChanged(): Promise<void> {
  await Promise.all([
    queryClient.invalidateQueries({ queryKey: queryKeys.localSecrets }),
    queryClient.invalidateQueries({ queryKey: queryKeys.reviewAll }),
    queryClient.invalidateQueries({ queryKey: queryKeys.activity }),
  ]);
}

export function openPushPlan(scope: PushScope): void {
  useUi.getState().openDialog({ kind: 'pushPlan', scope });
}

/** Ctrl/⌘+Shift+P: a plan for every local secret and every target. */
export function planPushAll(): void {
  openPushPlan({ kind: 'push', secretIds: [], workspaceIds: [] });
}

/**
 * Applies a plan: main sends it several items at a time and re-syncs the workspaces after. The
 * dialog shows the progress; if it was closed meanwhile, a note says how it ended.
 */
export async function applyPlan(
  planId: string,
  choice: { leaveOut: number[]; confirmed: number[] } = { leaveOut: [], confirmed: [] },
): Promise<Plan> {
  resetPushRun(planId);
  try {
    const plan = await call((api) => api.push.apply({ planId, ...choice }));
    const dialog = useUi.getState().dialog;
    if (dialog?.kind !== 'pushPlan') {
      const failed = plan.items.some((item) => item.status === 'failed' || item.status === 'refused');
      useUi.getState().notify(failed ? 'error' : 'success', `Push finished: ${resultSummary(plan)}.`);
    }
    return plan;
  } finally {
    await Promise.all([localSecretsChanged(), queryClient.invalidateQueries({ queryKey: queryKeys.inventory })]);
  }
}

/** Opens a local secret in its view. */
export function showLocalSecret(id: string): void {
  useLocalSecretsUi.getState().open(id);
  useUi.getState().setView('local-secrets');
}

/** Opens a remote secret in the Secrets view (switching workspace if the list shows one). */
export async function showRemoteSecret(workspaceId: string, secretId: string): Promise<void> {
  const ui = useUi.getState();
  if (ui.scope === 'workspace' && cachedActiveWorkspaceId() !== workspaceId) await switchToWorkspace(workspaceId);
  ui.setView('secrets');
  useBrowse.getState().open({ workspaceId, secretId });
}

/** Looks a name up in the Secrets view, across every workspace. */
export function findInSecrets(name: string): void {
  const ui = useUi.getState();
  ui.setScope('all');
  useBrowse.getState().resetFilters();
  useBrowse.getState().setFilters({ query: name });
  ui.setView('secrets');
}
