/**
 * Flows that span several stores (add a workspace, then switch to it, then sync it...). Views
 * call these; the stores themselves stay one domain each.
 */
import type { MenuCommand } from '../../../shared/contract';
import type { AddWorkspaceRequest, KeyOutcome, WorkspaceSummary } from '../../../shared/schemas/workspaces';
import { call, toIpcError } from '../keyring';
import { quoted } from '../lib/format';
import { useInventory } from './inventory';
import { useSync } from './sync';
import { useUi, type View } from './ui';
import { useWorkspaces, workspaceLabel } from './workspaces';

export async function switchToWorkspace(workspaceId: string): Promise<void> {
  try {
    await useWorkspaces.getState().setActive(workspaceId);
  } catch (error) {
    useUi.getState().notify('error', `Could not switch workspace: ${toIpcError(error).message}`);
  }
}

/** Ctrl/⌘+1..9. */
export function switchToIndex(index: number): void {
  const workspace = useWorkspaces.getState().workspaces[index];
  if (workspace) void switchToWorkspace(workspace.id);
}

export function syncActive(): void {
  const { activeWorkspaceId } = useWorkspaces.getState();
  if (activeWorkspaceId) void useSync.getState().sync([activeWorkspaceId]);
}

export function syncAll(): void {
  if (useWorkspaces.getState().workspaces.length) void useSync.getState().sync('all');
}

/** A workspace was just added (or re-keyed): show it and fill its inventory. */
async function adopt(workspace: WorkspaceSummary): Promise<void> {
  await useWorkspaces.getState().load();
  await switchToWorkspace(workspace.id);
  useUi.getState().setView('secrets');
  void useSync.getState().sync([workspace.id]);
}

/**
 * Adds a workspace. The key travels in this call only; the caller forgets it once the outcome
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

export async function replaceKey(request: { workspaceId: string; apiKey: string; saveUnverified?: boolean; acceptWorkspaceMismatch?: boolean }): Promise<KeyOutcome> {
  const outcome = await call((api) => api.workspaces.replaceKey(request));
  if (outcome.outcome === 'saved') {
    useUi.getState().notify('success', `Replaced the API key of ${quoted(outcome.workspace.label)}.`);
    await useWorkspaces.getState().load();
    void useSync.getState().sync([outcome.workspace.id]);
  }
  return outcome;
}

export async function renameWorkspace(workspaceId: string, label: string): Promise<WorkspaceSummary> {
  const workspace = await call((api) => api.workspaces.rename({ workspaceId, label }));
  await useWorkspaces.getState().changed();
  return workspace;
}

export async function removeWorkspace(workspaceId: string): Promise<void> {
  const label = workspaceLabel(workspaceId);
  const reply = await call((api) => api.workspaces.remove({ workspaceId }));
  useWorkspaces.setState({ activeWorkspaceId: reply.activeWorkspaceId });
  await useWorkspaces.getState().load();
  const open = useInventory.getState().openSecret;
  if (open?.workspaceId === workspaceId) useInventory.getState().open(null);
  useUi.getState().notify('success', `Removed ${quoted(label)} from this computer.`);
}

export function showView(view: View): void {
  useUi.getState().setView(view);
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

export function runMenuCommand(command: MenuCommand): void {
  if (useUi.getState().dialog && command !== 'add-workspace') return;
  switch (command) {
    case 'add-workspace':
      if (!useUi.getState().dialog) openAddWorkspace();
      return;
    case 'sync-all':
      syncAll();
      return;
    case 'sync-active':
      syncActive();
      return;
    case 'focus-search':
      focusSearch();
      return;
    case 'show-secrets':
      showView('secrets');
      return;
    case 'show-connections':
      showView('connections');
      return;
    case 'show-workspaces':
      showView('workspaces');
      return;
  }
}
