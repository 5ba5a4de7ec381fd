import type { PlanItemKind, VariableEdit, VariablePromotion } from '../../../shared/schemas/push';
import { create } from 'zustand';

export type View =
  'secrets' | 'connections' | 'local-secrets' | 'accounts' | 'review' | 'activity' | 'workspaces' | 'settings' | 'variables';
/** Whether the inventory views show the active workspace or every workspace. */
export type Scope = 'workspace' | 'all';
export type Density = 'comfortable' | 'compact';

export type DialogState =
  | { kind: 'add' }
  | { kind: 'rename'; workspaceId: string }
  | { kind: 'replaceKey'; workspaceId: string }
  | { kind: 'remove'; workspaceId: string }
  | { kind: 'shortcuts' }
  /** One of the Linked accounts view's own dialogs (views/accounts/dialogs.ts says which). */
  | { kind: 'accounts' }
  /** One of the connections kept here dialogs (views/connections/kept-dialogs.ts says which). */
  | { kind: 'keptConnections' }
  | { kind: 'createLocalSecret' }
  | { kind: 'editLocalSecret'; id: string }
  | { kind: 'localSecretTargets'; id: string }
  | { kind: 'rotateLocalSecret'; id: string }
  | { kind: 'restorePrevious'; id: string }
  | { kind: 'deleteLocalSecret'; id: string }
  | { kind: 'importEnv' }
  | { kind: 'pushPlan'; scope: PushScope }
  | { kind: 'adoptRemoteSecret'; workspaceId: string; secretId: string }
  | { kind: 'restoreBackup' }
  | { kind: 'verifyBackup' };

/**
 * What a push dialog plans: local secrets and connections kept here to push (none listed: all of
 * both), one remote secret or auth connection to delete, or the last plan to finish.
 */
export type PushScope =
  | { kind: 'push'; secretIds: string[]; connectionIds?: string[]; workspaceIds: string[] }
  | { kind: 'delete'; what: Exclude<PlanItemKind, 'variable'>; workspaceId: string; remoteId: string; name: string }
  | { kind: 'variables'; title: string; edits: VariableEdit[]; promotion?: VariablePromotion }
  | { kind: 'resume'; planId: string };

export type ToastTone = 'success' | 'info' | 'warning' | 'error';

export interface Toast {
  id: number;
  tone: ToastTone;
  message: string;
  /**
   * What the toast reports the outcome of ("sync:<workspace id>", one per workspace): a newer
   * outcome of any of them replaces it, so a red "2 failed" never stays under a later success.
   */
  about?: string[];
}

/** UI state only: what main knows lives in the query cache (queries/). */
export interface UiState {
  view: View;
  scope: Scope;
  density: Density;
  dialog: DialogState | null;
  toasts: Toast[];
  /** Bumped to ask the current view's search box to take focus. */
  searchFocusRequest: number;

  setView(view: View): void;
  setScope(scope: Scope): void;
  setDensity(density: Density): void;
  openDialog(dialog: DialogState): void;
  closeDialog(): void;
  notify(tone: ToastTone, message: string, about?: string[]): number;
  dismiss(id: number): void;
  requestSearchFocus(): void;
}

/** At most this many errors (they stay until dismissed) and this many other notes on screen. */
export const MAX_ERROR_TOASTS = 3;
export const MAX_OTHER_TOASTS = 3;
const DENSITY_KEY = 'agent-keyring.density';

let nextToastId = 1;

function storedDensity(): Density {
  try {
    return localStorage.getItem(DENSITY_KEY) === 'compact' ? 'compact' : 'comfortable';
  } catch {
    return 'comfortable';
  }
}

export const useUi = create<UiState>()((set) => ({
  view: 'secrets',
  scope: 'workspace',
  density: storedDensity(),
  dialog: null,
  toasts: [],
  searchFocusRequest: 0,

  setView: (view) => set({ view }),
  setScope: (scope) => set({ scope }),
  setDensity: (density) => {
    try {
      localStorage.setItem(DENSITY_KEY, density);
    } catch {
      // Storage refused (private mode): the choice lasts this session.
    }
    set({ density });
  },
  openDialog: (dialog) => set({ dialog }),
  closeDialog: () => set({ dialog: null }),
  notify: (tone, message, about) => {
    const id = nextToastId++;
    set((state) => {
      // The same message again, or a newer outcome of the same thing, replaces the earlier one.
      const others = state.toasts.filter(
        (t) => !(t.tone === tone && t.message === message) && !(about?.length && t.about?.some((subject) => about.includes(subject))),
      );
      const toasts = [...others, { id, tone, message, ...(about?.length ? { about } : {}) }];
      const errors = toasts.filter((t) => t.tone === 'error').slice(-MAX_ERROR_TOASTS);
      const notes = toasts.filter((t) => t.tone !== 'error').slice(-MAX_OTHER_TOASTS);
      return { toasts: toasts.filter((t) => errors.includes(t) || notes.includes(t)) };
    });
    return id;
  },
  dismiss: (id) => set((state) => ({ toasts: state.toasts.filter((t) => t.id !== id) })),
  requestSearchFocus: () => set((state) => ({ searchFocusRequest: state.searchFocusRequest + 1 })),
}));
