import { create } from 'zustand';
import type { ReplyOf } from '../../../shared/contract';
import { guessIsMac } from '../lib/shortcuts';

export type View = 'secrets' | 'connections' | 'workspaces';
/** Whether the inventory views show the active workspace or every workspace. */
export type Scope = 'workspace' | 'all';

export type DialogState =
  | { kind: 'add' }
  | { kind: 'rename'; workspaceId: string }
  | { kind: 'replaceKey'; workspaceId: string }
  | { kind: 'remove'; workspaceId: string }
  | { kind: 'shortcuts' };

export type ToastTone = 'success' | 'info' | 'warning' | 'error';

export interface Toast {
  id: number;
  tone: ToastTone;
  message: string;
}

export type AppInfo = ReplyOf<'app:getInfo'>;

export interface UiState {
  view: View;
  scope: Scope;
  dialog: DialogState | null;
  toasts: Toast[];
  /** `navigator.onLine`, kept current by the online/offline events. */
  online: boolean;
  isMac: boolean;
  appInfo: AppInfo | null;
  /** Bumped to ask the current view's search box to take focus. */
  searchFocusRequest: number;

  setView(view: View): void;
  setScope(scope: Scope): void;
  openDialog(dialog: DialogState): void;
  closeDialog(): void;
  notify(tone: ToastTone, message: string): number;
  dismiss(id: number): void;
  requestSearchFocus(): void;
  setOnline(online: boolean): void;
  setAppInfo(info: AppInfo): void;
}

let nextToastId = 1;
const MAX_TOASTS = 6;

export const useUi = create<UiState>()((set) => ({
  view: 'secrets',
  scope: 'workspace',
  dialog: null,
  toasts: [],
  online: typeof navigator === 'undefined' ? true : navigator.onLine,
  isMac: guessIsMac(),
  appInfo: null,
  searchFocusRequest: 0,

  setView: (view) => set({ view }),
  setScope: (scope) => set({ scope }),
  openDialog: (dialog) => set({ dialog }),
  closeDialog: () => set({ dialog: null }),
  notify: (tone, message) => {
    const id = nextToastId++;
    set((state) => ({ toasts: [...state.toasts, { id, tone, message }].slice(-MAX_TOASTS) }));
    return id;
  },
  dismiss: (id) => set((state) => ({ toasts: state.toasts.filter((t) => t.id !== id) })),
  requestSearchFocus: () => set((state) => ({ searchFocusRequest: state.searchFocusRequest + 1 })),
  setOnline: (online) => set({ online }),
  setAppInfo: (appInfo) => set({ appInfo, isMac: appInfo.platform === 'darwin' }),
}));
