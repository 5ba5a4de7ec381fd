import { create } from 'zustand';
import type { SearchSecretsRequest, UsedByFilter } from '../../../shared/schemas/inventory';
import type { SecretRef } from '../queries/inventory';

export interface SecretFilters {
  query: string;
  usage: SearchSecretsRequest['usage'];
  presence: SearchSecretsRequest['presence'];
  usedBy: UsedByFilter | null;
}

export const defaultFilters: SecretFilters = { query: '', usage: 'any', presence: 'present', usedBy: null };

/**
 * What the user is looking at in the inventory views: filters, the keyboard cursor and the
 * open secret. UI state only; the rows themselves are in the query cache.
 */
export interface BrowseState {
  filters: SecretFilters;
  /** The keyboard cursor, valid only for the question it was made in (see `selectedIndexFor`). */
  selection: { question: string; index: number } | null;
  /** The secret shown in the detail pane. */
  openSecret: SecretRef | null;
  /** The auth connections search. */
  connectionsQuery: string;

  setFilters(patch: Partial<SecretFilters>): void;
  resetFilters(): void;
  select(question: string, index: number | null): void;
  open(ref: SecretRef | null): void;
  /** Escape: nothing selected, nothing open. */
  clearSelection(): void;
  setConnectionsQuery(query: string): void;
  /** Another workspace was chosen: searches and what was open belong to the old one. */
  startWorkspace(): void;
}

export const useBrowse = create<BrowseState>()((set) => ({
  filters: defaultFilters,
  selection: null,
  openSecret: null,
  connectionsQuery: '',

  setFilters: (patch) => set((state) => ({ filters: { ...state.filters, ...patch } })),
  resetFilters: () => set({ filters: defaultFilters }),
  select: (question, index) => set({ selection: index === null ? null : { question, index } }),
  open: (openSecret) => set({ openSecret }),
  clearSelection: () => set({ selection: null, openSecret: null }),
  setConnectionsQuery: (connectionsQuery) => set({ connectionsQuery }),
  // Usage and presence stay: they are shown in their selects, and make sense in any workspace.
  startWorkspace: () =>
    set((state) => ({
      filters: { ...state.filters, query: '', usedBy: null },
      connectionsQuery: '',
      selection: null,
      openSecret: null,
    })),
}));

export function sameUsedBy(a: UsedByFilter, b: UsedByFilter): boolean {
  return a.workspaceId === b.workspaceId && a.kind === b.kind && a.dependantId === b.dependantId;
}
