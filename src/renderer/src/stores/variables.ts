import { create } from 'zustand';
import type { VariableKind } from '../../../shared/schemas/environment-variables';

/** The Environment variables view's own state: its filters, its search, and a label to bring into view. */
export interface VariablesUiState {
  kind: VariableKind | null;
  environment: string | null;
  /** Searched across every workspace. */
  query: string;
  /** A variable asked for from elsewhere (a search hit, Review): scrolled to and focused once shown. */
  focus: { workspaceId: string; label: string } | null;
  setKind(kind: VariableKind | null): void;
  setEnvironment(environment: string | null): void;
  setQuery(query: string): void;
  focusVariable(focus: { workspaceId: string; label: string } | null): void;
}

export const useVariablesUi = create<VariablesUiState>()((set) => ({
  kind: null,
  environment: null,
  query: '',
  focus: null,
  setKind: (kind) => set({ kind }),
  setEnvironment: (environment) => set({ environment }),
  setQuery: (query) => set({ query }),
  focusVariable: (focus) => set({ focus }),
}));
