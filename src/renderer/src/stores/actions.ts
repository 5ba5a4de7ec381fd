/**
 * Flows that span the cache and the UI state (add a workspace, then switch to it, then sync
 * it...). Views, shortcuts and menu commands call these.
 */
import type { AppCommand } from '../../../shared/commands';
import { LIMITS } from '../../../shared/limits';
import type { SyncResult } from '../../../shared/schemas/inventory';
import type { AddWorkspaceRequest, KeyOutcome, WorkspaceSummary } from '../../../shared/schemas/workspaces';
import { call, toIpcError } from '../keyring';
import { quoted } from '../lib/format';
import { syncSummary } from '../lib/sync-text';
import { queryClient, queryKeys } from '../queries/client';
import { cachedSyncActivity, updateSyncActivity } from '../queries/syncActivity';
import { cachedActiveWorkspaceId, cachedWorkspaces, secretsDenied, workspaceLabel, workspacesQuery } from '../queries/workspaces';
import { shownWorkspaces } from '../views/sections';
import { useBrowse } from './browse';
import { useUi, type View } from './ui';

/** Makes a workspace the active one at once; main is told, and the choice is undone if it refuses. */
export async function switchToWorkspace(workspaceId: string): Promise<void> {
  const previous = cachedActiveWorkspaceId();
  if (previous === workspaceId) return;
  // What was typed, filtered or opened belongs to the other workspace (across all of them, the
  // list stays the same and so does what is on it).
  if (useUi.getState().scope === 'workspace') useBrowse.getState().startWorkspace();
  await queryClient.cancelQueries({ queryKey: queryKeys.workspaces });
  queryClient.setQueryData(workspacesQuery.queryKey, (list) => list && { ...list, activeWorkspaceId: workspaceId });
  try {
    const reply = await call((api) => api.workspaces.setActive({ workspaceId }));
    queryClient.setQueryData(workspacesQuery.queryKey, (list) => list && { ...list, activeWorkspaceId: reply.activeWorkspaceId });
  } catch (error) {
    queryClient.setQueryData(workspacesQuery.queryKey, (list) => list && { ...list, activeWorkspaceId: previous });
    useUi.getState().notify('error', `Could not switch workspace: ${toIpcError(error).message}`);
  }
}

/** Ctrl/⌘+1..9. */
export function switchToIndex(index: number): void {
  const workspace = cachedWorkspaces()[index];
  if (workspace) void switchToWorkspace(workspace.id);
}

/**
 * Syncs workspaces ('all' = every one) and sums the outcome up in one notification; each
 * failure also stays on its workspace (header, sidebar, Workspaces view).
 */
export async function syncWorkspaces(target: string[] | 'all'): Promise<SyncResult[]> {
  const ids = target === 'all' ? cachedWorkspaces().map((w) => w.id) : target;
  // A workspace already syncing is joined by main; asking again would only repeat its result.
  const { running } = cachedSyncActivity();
  const todo = ids.filter((id) => !running[id]);
  if (todo.length === 0) return [];
  updateSyncActivity((activity) => {
    const next = { ...activity.running };
    for (const id of todo) next[id] = { workspaceId: id, phase: 'queued', pagesFetched: 0, secretsFetched: 0, retry: null };
    return { ...activity, running: next };
  });
  const results: SyncResult[] = [];
  try {
    for (let i = 0; i < todo.length; i += LIMITS.workspacesPerRequest) {
      const chunk = todo.slice(i, i + LIMITS.workspacesPerRequest);
      const reply = await call((api) => api.inventory.sync({ workspaceIds: chunk }));
      results.push(...reply.results);
    }
  } catch (error) {
    useUi.getState().notify('error', `Sync failed: ${toIpcError(error).message}`, syncSubjects(todo));
  } finally {
    updateSyncActivity((activity) => {
      const next = { ...activity.running };
      for (const id of todo) delete next[id];
      return { ...activity, running: next };
    });
  }
  if (results.length) {
    const summary = syncSummary(results, workspaceLabel);
    useUi.getState().notify(summary.tone, summary.message, syncSubjects(results.map((r) => r.workspaceId)));
  }
  return results;
}

/** What a sync notification reports on: a newer sync of any of these workspaces replaces it. */
function syncSubjects(workspaceIds: string[]): string[] {
  return workspaceIds.map((id) => `sync:${id}`);
}

/**
 * The workspaces whose data is on screen: the active one, or all of them when the view shows
 * all (Secrets with "All workspaces", Review, Workspaces). A view of this computer's own data
 * (Local secrets, Settings...) shows none: then it is the active one, as the sidebar marks it.
 */
export function syncTargetIds(): string[] {
  const { view, scope } = useUi.getState();
  const workspaces = cachedWorkspaces();
  const activeId = cachedActiveWorkspaceId();
  const active = workspaces.find((w) => w.id === activeId) ?? null;
  const shown = shownWorkspaces(view, scope, workspaces, active).workspaces;
  return (shown.length ? shown : active ? [active] : []).map((w) => w.id);
}

/** Ctrl/⌘+R and the header's Sync: what the screen shows. */
export function syncShown(): void {
  const ids = syncTargetIds();
  if (ids.length) void syncWorkspaces(ids);
}

export function syncAll(): void {
  if (cachedWorkspaces().length) void syncWorkspaces('all');
}

export async function cancelSyncs(): Promise<void> {
  updateSyncActivity((activity) => ({ ...activity, cancelling: true }));
  try {
    await call((api) => api.inventory.cancelSync({}));
  } catch (error) {
    updateSyncActivity((activity) => ({ ...activity, cancelling: false }));
    useUi.getState().notify('error', `Could not cancel the sync: ${toIpcError(error).message}`);
  }
}

/** A workspace was just added: show it and fill its inventory (unless its key cannot). */
async function adopt(workspace: WorkspaceSummary): Promise<void> {
  const viewBefore = useUi.getState().view;
  await queryClient.invalidateQueries({ queryKey: queryKeys.workspaces });
  await switchToWorkspace(workspace.id);
  // A view the user went to meanwhile (by a shortcut, say) is not taken away from them.
  if (useUi.getState().view === viewBefore) useUi.getState().setView('secrets');
  // A key that may not list secrets would only fail; the header says why instead.
  if (!secretsDenied(workspace)) void syncWorkspaces([workspace.id]);
}

/**
 * Adds a workspace. The key travels in this call only; the dialog forgets it once the outcome
 * is final. A `saved` outcome is acted on even if the dialog was closed in the meantime.
 */
export async function addWorkspace(request: AddWorkspaceRequest): Promise<KeyOutcome> {
  const outcome = await call((api) => api.workspaces.add(request));
  if (outcome.outcome === 'saved') void adopt(outcome.workspace);
  return outcome;
}

export async function addDemoWorkspace(): Promise<WorkspaceSummary> {
  const workspace = await call((api) => api.workspaces.addDemo({}));
  await adopt(workspace);
  return workspace;
}

export async function replaceKey(request: {
  workspaceId: string;
  apiKey: string;
  saveUnverified?: boolean;
  acceptLimitedKey?: boolean;
  acceptWorkspaceMismatch?: boolean;
}): Promise<KeyOutcome> {
  const outcome = await call((api) => api.workspaces.replaceKey(request));
  if (outcome.outcome === 'saved') {
    useUi.getState().notify('success', `Replaced the API key of ${quoted(outcome.workspace.label)}.`);
    await queryClient.invalidateQueries({ queryKey: queryKeys.workspaces });
    if (!secretsDenied(outcome.workspace)) void syncWorkspaces([outcome.workspace.id]);
  }
  return outcome;
}

export async function renameWorkspace(workspaceId: string, label: string): Promise<WorkspaceSummary> {
  const workspace = await call((api) => api.workspaces.rename({ workspaceId, label }));
  await queryClient.invalidateQueries({ queryKey: queryKeys.workspaces });
  return workspace;
}

export async function removeWorkspace(workspaceId: string): Promise<void> {
  const label = workspaceLabel(workspaceId);
  const wasActive = cachedActiveWorkspaceId() === workspaceId;
  const reply = await call((api) => api.workspaces.remove({ workspaceId }));
  if (useUi.getState().scope === 'all')
    useBrowse.getState().clearSelection(); // its rows left the list
  else if (wasActive) useBrowse.getState().startWorkspace();
  queryClient.setQueryData(
    workspacesQuery.queryKey,
    (list) => list && { workspaces: list.workspaces.filter((w) => w.id !== workspaceId), activeWorkspaceId: reply.activeWorkspaceId },
  );
  await queryClient.invalidateQueries({ queryKey: queryKeys.workspaces });
  useUi.getState().notify('success', `Removed ${quoted(label)} from this computer.`);
}

export function showView(view: View): void {
  useUi.getState().setView(view);
}

/**
 * A view asked for by its shortcut or menu item: shown, with focus on its main heading, so the
 * keyboard carries on inside it (and a screen reader says where it landed). The heading stays
 * mounted across views, so it can take focus before the new view has rendered.
 */
export function goToView(view: View): void {
  showView(view);
  document.getElementById('main-heading')?.focus();
}

/** Focuses the current view's search box (the secrets one from the workspaces view). */
export function focusSearch(): void {
  const ui = useUi.getState();
  if (ui.view === 'workspaces') ui.setView('secrets');
  ui.requestSearchFocus();
}

export function openAddWorkspace(): void {
  useUi.getState().openDialog({ kind: 'add' });
}

/** Runs a command of the shared table (commands.ts), from a key or from the menu. */
export function runMenuCommand(command: AppCommand): void {
  const { dialog } = useUi.getState();
  // A dialog is modal: commands from the menu or the keyboard wait until it is closed.
  if (dialog) return;
  const commands: Record<AppCommand, () => void> = {
    'add-workspace': openAddWorkspace,
    'sync-shown': syncShown,
    'sync-all': syncAll,
    'plan-push': () => useUi.getState().openDialog({ kind: 'pushPlan', scope: { kind: 'push', secretIds: [], workspaceIds: [] } }),
    // Shown over Local secrets, where the new secrets will be listed once the dialog closes.
    'new-local-secret': () => {
      goToView('local-secrets');
      useUi.getState().openDialog({ kind: 'createLocalSecret' });
    },
    'import-env': () => {
      goToView('local-secrets');
      useUi.getState().openDialog({ kind: 'importEnv' });
    },
    'focus-search': focusSearch,
    'show-secrets': () => goToView('secrets'),
    'show-connections': () => goToView('connections'),
    'show-workspaces': () => goToView('workspaces'),
    'show-local-secrets': () => goToView('local-secrets'),
    'show-accounts': () => goToView('accounts'),
    'show-review': () => goToView('review'),
    'show-activity': () => goToView('activity'),
    'show-settings': () => goToView('settings'),
    'show-variables': () => goToView('variables'),
  };
  commands[command]();
}
