import { create } from 'zustand';
import type { IpcError } from '../../../shared/errors';
import type { AuthConnectionRow } from '../../../shared/schemas/auth-connections';
import { call, toIpcError } from '../keyring';

export interface ConnectionsState {
  query: string;
  /** A workspace id, null for every workspace, undefined before the first scope is known. */
  workspaceId: string | null | undefined;
  connections: AuthConnectionRow[];
  /** The question `connections` answers (for "No auth connections match “…”"). */
  answeredQuery: string;
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: IpcError | null;

  setScope(workspaceId: string | null): void;
  setQuery(query: string): void;
  refresh(): void;
}

let sequence = 0;

export const useConnections = create<ConnectionsState>()((set, get) => {
  async function load(keepShowing: boolean): Promise<void> {
    const { workspaceId, query } = get();
    if (workspaceId === undefined) return;
    const mine = ++sequence;
    if (!keepShowing) set({ status: 'loading', error: null });
    try {
      const reply = await call((api) => api.authConnections.list({ workspaceId, query: query.trim() }));
      if (mine !== sequence) return;
      set({ connections: reply.connections, answeredQuery: query.trim(), status: 'ready', error: null });
    } catch (error) {
      if (mine !== sequence) return;
      set({ status: 'error', error: toIpcError(error) });
    }
  }

  return {
    query: '',
    workspaceId: undefined,
    connections: [],
    answeredQuery: '',
    status: 'idle',
    error: null,

    setScope(workspaceId) {
      if (get().workspaceId === workspaceId) return;
      set({ workspaceId, connections: [] });
      void load(false);
    },
    setQuery(query) {
      if (get().query === query) return;
      set({ query });
      void load(true);
    },
    refresh() {
      void load(true);
    },
  };
});
