import { create } from 'zustand';
import type { ConnectionAuthType } from '../../../../shared/schemas/connection-definitions';
import { useUi } from '../../stores/ui';

/** The dialogs of connections kept here; one at a time, like every dialog of the app. */
export type KeptDialog =
  | { kind: 'create' }
  | { kind: 'edit'; id: string }
  | { kind: 'delete'; id: string }
  | { kind: 'check'; id: string }
  | { kind: 'copy'; id: string }
  /** Keep a connection made in the dashboard here, giving its sensitive parts. */
  | {
      kind: 'adopt';
      workspaceId: string;
      remoteConnectionId: string;
      authType: ConnectionAuthType;
      name: string;
      preset: Record<string, string | boolean>;
    };

/**
 * Which one is open. The app-wide store only knows "a kept connections dialog is open" (so the
 * rest of the app is inert and shortcuts wait); both change in the same event.
 */
export const useKeptDialog = create<{ dialog: KeptDialog | null }>()(() => ({ dialog: null }));

export function openKeptDialog(dialog: KeptDialog): void {
  useKeptDialog.setState({ dialog });
  useUi.getState().openDialog({ kind: 'keptConnections' });
}

export function closeKeptDialog(): void {
  useKeptDialog.setState({ dialog: null });
  if (useUi.getState().dialog?.kind === 'keptConnections') useUi.getState().closeDialog();
}

export function useOpenKeptDialog(): KeptDialog | null {
  const dialog = useKeptDialog((s) => s.dialog);
  const appDialog = useUi((s) => s.dialog?.kind);
  return appDialog === 'keptConnections' ? dialog : null;
}
