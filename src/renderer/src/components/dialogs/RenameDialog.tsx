import { useEffect, useRef, useState } from 'react';
import { LabelSchema } from '../../../../shared/schemas/workspaces';
import { toIpcError } from '../../keyring';
import { renameWorkspace } from '../../stores/actions';
import { useUi } from '../../stores/ui';
import { useWorkspaces } from '../../stores/workspaces';
import { Dialog } from '../Dialog';
import { Field } from '../Field';
import { fieldErrors } from './keyOutcome';

export function RenameDialog({ workspaceId }: { workspaceId: string }) {
  const close = useUi((s) => s.closeDialog);
  const workspace = useWorkspaces((s) => s.workspaces.find((w) => w.id === workspaceId));
  const [label, setLabel] = useState(workspace?.label ?? '');
  const [error, setError] = useState<string | undefined>();
  const [serverError, setServerError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    inputRef.current?.select();
  }, []);
  useEffect(() => {
    if (!workspace) close();
  }, [workspace, close]);
  // After a refused rename the field is enabled again: put the cursor back in it.
  useEffect(() => {
    if (!busy && serverError) inputRef.current?.focus();
  }, [busy, serverError]);
  if (!workspace) return null;

  const submit = async () => {
    const parsed = LabelSchema.safeParse(label);
    if (!parsed.success) {
      setError(fieldErrors(parsed.error.issues.map((i) => ({ ...i, path: ['label'] })), { label: 'Name' }).label);
      inputRef.current?.focus();
      return;
    }
    if (parsed.data === workspace.label) return close();
    setBusy(true);
    try {
      await renameWorkspace(workspaceId, parsed.data);
      close();
    } catch (caught) {
      const problem = toIpcError(caught);
      setServerError(problem.message);
      if (problem.field === 'label') setError(problem.message);
      setBusy(false);
    }
  };

  return (
    <Dialog title="Rename workspace" onClose={close} initialFocusRef={inputRef} size="small" busy={busy}>
      <form
        className="dialog-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Field label="Name" error={error}>
          {(field) => (
            <input
              {...field}
              ref={inputRef}
              className="input"
              value={label}
              maxLength={200}
              autoComplete="off"
              disabled={busy}
              onChange={(e) => {
                setLabel(e.target.value);
                setError(undefined);
                setServerError(null);
              }}
            />
          )}
        </Field>
        {serverError ? (
          <div className="callout callout-error" role="alert">
            {serverError}
          </div>
        ) : null}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
