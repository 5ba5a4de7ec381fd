import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { toIpcError } from '../../keyring';
import { quoted } from '../../lib/format';
import { useWorkspace } from '../../queries/workspaces';
import { removeWorkspace } from '../../stores/actions';
import { useUi } from '../../stores/ui';
import { Dialog } from '../Dialog';

export function RemoveDialog({ workspaceId }: { workspaceId: string }) {
  const close = useUi((s) => s.closeDialog);
  const workspace = useWorkspace(workspaceId);
  const remove = useMutation({ mutationFn: () => removeWorkspace(workspaceId) });
  const cancelRef = useRef<HTMLButtonElement>(null);
  // The title keeps the name while the workspace disappears from the list.
  const [label] = useState(workspace?.label ?? '');

  useEffect(() => {
    if (!workspace && remove.isIdle) close();
  }, [workspace, remove.isIdle, close]);

  return (
    <Dialog
      title={`Remove ${quoted(label)}?`}
      role="alertdialog"
      onClose={close}
      initialFocusRef={cancelRef}
      describedBy="remove-explanation"
      size="small"
      busy={remove.isPending}
    >
      <p id="remove-explanation" className="dialog-intro">
        Its API key is deleted from the system keychain and its cached inventory from this computer. Nothing changes in ElevenLabs.
      </p>
      {remove.isError ? (
        <div className="callout callout-error" role="alert">
          {toIpcError(remove.error).message}
        </div>
      ) : null}
      <div className="dialog-actions">
        <button ref={cancelRef} type="button" className="button" onClick={close}>
          Cancel
        </button>
        <button
          type="button"
          className="button button-danger"
          disabled={remove.isPending}
          onClick={() => remove.mutate(undefined, { onSuccess: close })}
        >
          {remove.isPending ? 'Removing…' : 'Remove workspace'}
        </button>
      </div>
    </Dialog>
  );
}
