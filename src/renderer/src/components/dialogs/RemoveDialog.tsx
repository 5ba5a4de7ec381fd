import { useEffect, useRef, useState } from 'react';
import { toIpcError } from '../../keyring';
import { quoted } from '../../lib/format';
import { removeWorkspace } from '../../stores/actions';
import { useUi } from '../../stores/ui';
import { useWorkspaces } from '../../stores/workspaces';
import { Dialog } from '../Dialog';

export function RemoveDialog({ workspaceId }: { workspaceId: string }) {
  const close = useUi((s) => s.closeDialog);
  const workspace = useWorkspaces((s) => s.workspaces.find((w) => w.id === workspaceId));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const label = useRef(workspace?.label ?? '').current;

  useEffect(() => {
    if (!workspace && !busy) close();
  }, [workspace, busy, close]);

  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await removeWorkspace(workspaceId);
      close();
    } catch (caught) {
      setError(toIpcError(caught).message);
      setBusy(false);
    }
  };

  return (
    <Dialog title={`Remove ${quoted(label)}?`} role="alertdialog" onClose={close} initialFocusRef={cancelRef} describedBy="remove-explanation" size="small" busy={busy}>
      <p id="remove-explanation" className="dialog-intro">
        Its API key is deleted from the system keychain and its cached inventory from this computer. Nothing changes in ElevenLabs.
      </p>
      {error ? (
        <div className="callout callout-error" role="alert">
          {error}
        </div>
      ) : null}
      <div className="dialog-actions">
        <button ref={cancelRef} type="button" className="button" onClick={close}>
          Cancel
        </button>
        <button type="button" className="button button-danger" disabled={busy} onClick={() => void remove()}>
          {busy ? 'Removing…' : 'Remove workspace'}
        </button>
      </div>
    </Dialog>
  );
}
