import { create } from 'zustand';
import type { ActivityAction } from '../../../shared/schemas/activity';

/** What the activity log is narrowed to (the request's filter, without the page window). */
export interface ActivityFilter {
  workspaceId: string | null;
  action: ActivityAction | null;
  result: 'ok' | 'failed' | null;
  query: string;
}

export const noActivityFilter: ActivityFilter = { workspaceId: null, action: null, result: null, query: '' };

/** The activity view's filters and page. UI state only; the entries are in the query cache. */
export interface ActivityState {
  filter: ActivityFilter;
  offset: number;
  setFilter(patch: Partial<ActivityFilter>): void;
  resetFilter(): void;
  setOffset(offset: number): void;
}

export const useActivity = create<ActivityState>()((set) => ({
  filter: noActivityFilter,
  offset: 0,
  // Another filter is another list: back to its first page.
  setFilter: (patch) => set((state) => ({ filter: { ...state.filter, ...patch }, offset: 0 })),
  resetFilter: () => set({ filter: noActivityFilter, offset: 0 }),
  setOffset: (offset) => set({ offset }),
}));
