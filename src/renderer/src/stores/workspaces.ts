import { create } from 'zustand';
import type { IpcError } from '../../../shared/errors';
import type { WorkspaceSummary } from '../../../shared/schemas/workspaces';
import { call, toIpcError } from '../keyring';

export interface WorkspacesState {
  status: 'loading' | 'ready' | 'error';
  /** Why the list could not be read (shown instead of the app). */
  error: IpcError | null;
  /** In the user's order; index 0 is Ctrl/⌘+1. */
  workspaces: WorkspaceSummary[];
  activeWorkspaceId: string | null;
  /** Bumped by every `workspaces:changed` event (a sync ended, a workspace was added...): inventory views re-read. */
  changeCount: number;

  load(): Promise<void>;
  /** Re-reads the list after something changed (and tells the inventory views to re-read). */
  changed(): Promise<void>;
  setActive(workspaceId: string): Promise<void>;
}

let loadSequence = 0;

export const useWorkspaces = create<WorkspacesState>()((set, get) => ({
  status: 'loading',
  error: null,
  workspaces: [],
  activeWorkspaceId: null,
  changeCount: 0,

  async load() {
    const sequence = ++loadSequence;
    try {
      const list = await call((api) => api.workspaces.list({}));
      if (sequence !== loadSequence) return;
      set({ status: 'ready', error: null, workspaces: list.workspaces, activeWorkspaceId: list.activeWorkspaceId });
    } catch (error) {
      if (sequence !== loadSequence) return;
      // Keep showing what was there; only a first failure replaces the app.
      set((state) => ({ status: state.status === 'ready' ? 'ready' : 'error', error: toIpcError(error) }));
    }
  },

  changed() {
    set((state) => ({ changeCount: state.changeCount + 1 }));
    return get().load();
  },

  async setActive(workspaceId) {
    const previous = get().activeWorkspaceId;
    if (previous === workspaceId) return;
    set({ activeWorkspaceId: workspaceId });
    try {
      const reply = await call((api) => api.workspaces.setActive({ workspaceId }));
      set({ activeWorkspaceId: reply.activeWorkspaceId });
    } catch (error) {
      set({ activeWorkspaceId: previous });
      throw error;
    }
  },
}));

export function useActiveWorkspace(): WorkspaceSummary | null {
  return useWorkspaces((s) => s.workspaces.find((w) => w.id === s.activeWorkspaceId) ?? null);
}

export function workspaceLabel(workspaceId: string): string {
  return useWorkspaces.getState().workspaces.find((w) => w.id === workspaceId)?.label ?? 'Removed workspace';
}

/** The last attempt failed for a reason other than the user cancelling it. */
export function lastSyncFailed(workspace: WorkspaceSummary): boolean {
  return workspace.sync.status === 'failed' && workspace.sync.problem?.code !== 'cancelled';
}

/** The last attempt was cancelled by the user (main records it as a failed attempt). */
export function lastSyncCancelled(workspace: WorkspaceSummary): boolean {
  return workspace.sync.status === 'failed' && workspace.sync.problem?.code === 'cancelled';
}
