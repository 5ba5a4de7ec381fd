import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { toIpcError } from '../../keyring';
import { joinAnd } from '../../../../shared/dependants';
import { plural, quoted } from '../../lib/format';
import { useAllLocalSecrets } from '../../queries/local-secrets';
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
  const targeting = useAllLocalSecrets()
    .data?.secrets.filter((s) => s.targets.some((t) => t.workspaceId === workspaceId))
    .map((s) => s.name);

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
      <div id="remove-explanation" className="dialog-intro">
        <p>Its API key is deleted from the system keychain and its cached inventory from this computer. Nothing changes in ElevenLabs.</p>
        {targeting?.length ? <TargetingSecrets names={targeting} label={label} /> : null}
      </div>
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

/** Local secrets that push to the workspace: their values stay; their targets to it go. */
function TargetingSecrets({ names, label }: { names: string[]; label: string }) {
  const shown = names.slice(0, 3).map(quoted);
  const more = names.length - shown.length;
  return (
    <p className="remove-targets">
      <strong>{plural(names.length, 'local secret targets', 'local secrets target')} it</strong>:{' '}
      {joinAnd(more > 0 ? [...shown, plural(more, 'other')] : shown)}. Their values stay on this computer; their targets to {quoted(label)}{' '}
      are dropped, so nothing is pushed there again.
    </p>
  );
}
