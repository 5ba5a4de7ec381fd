import { create } from 'zustand';
import { useUi } from '../../stores/ui';

/** The Linked accounts view's dialogs; one at a time, like every dialog of the app. */
export type AccountsDialog =
  | { kind: 'provider'; providerId: string | null }
  | { kind: 'removeProvider'; providerId: string }
  /** A new sign-in (person and provider chosen in the dialog), or a reconnect of an account. */
  | { kind: 'link'; personLabel?: string; providerId?: string; reconnectAccountId?: string }
  /** Bind an account's token to a workspace secret; with a name, change that binding's workspaces. */
  | { kind: 'bind'; accountId: string; secretName?: string }
  | { kind: 'unlink'; accountId: string }
  | { kind: 'variables'; personId: string };

interface AccountsDialogState {
  dialog: AccountsDialog | null;
}

/**
 * Which of the view's dialogs is open. The app-wide store only knows "an accounts dialog is
 * open" (so the rest of the app is inert and shortcuts wait); this one knows which. Both change
 * in the same event, so React renders them together.
 */
export const useAccountsDialog = create<AccountsDialogState>()(() => ({ dialog: null }));

export function openAccountsDialog(dialog: AccountsDialog): void {
  useAccountsDialog.setState({ dialog });
  useUi.getState().openDialog({ kind: 'accounts' });
}

/** Swaps the open dialog for another (e.g. "add a provider" from the link dialog). */
export function replaceAccountsDialog(dialog: AccountsDialog): void {
  useAccountsDialog.setState({ dialog });
}

export function closeAccountsDialog(): void {
  useAccountsDialog.setState({ dialog: null });
  if (useUi.getState().dialog?.kind === 'accounts') useUi.getState().closeDialog();
}

/** The open dialog, if the app still says an accounts dialog is open. */
export function useOpenAccountsDialog(): AccountsDialog | null {
  const dialog = useAccountsDialog((s) => s.dialog);
  const appDialog = useUi((s) => s.dialog?.kind);
  return appDialog === 'accounts' ? dialog : null;
}
