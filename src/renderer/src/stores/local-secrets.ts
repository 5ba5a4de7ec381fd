import { create } from 'zustand';

/**
 * What the user is looking at in the local secrets view: the search, the tag and the open
 * secret. UI state only: what main knows of them is in the query cache, and no value is ever
 * kept here.
 */
export interface LocalSecretsState {
  query: string;
  tag: string | null;
  /** The local secret shown in the detail pane. */
  openId: string | null;
  /** A finished push the user has read the outcome of ("Dismiss" on the last-push notice). */
  dismissedPlanId: string | null;

  setQuery(query: string): void;
  setTag(tag: string | null): void;
  open(id: string | null): void;
  dismissPlan(planId: string): void;
}

export const useLocalSecretsUi = create<LocalSecretsState>()((set) => ({
  query: '',
  tag: null,
  openId: null,
  dismissedPlanId: null,

  setQuery: (query) => set({ query }),
  setTag: (tag) => set({ tag }),
  open: (openId) => set({ openId }),
  dismissPlan: (dismissedPlanId) => set({ dismissedPlanId }),
}));
