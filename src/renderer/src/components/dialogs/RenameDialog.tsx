import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import type { z } from 'zod';
import { RenameWorkspaceRequestSchema } from '../../../../shared/schemas/workspaces';
import { toIpcError } from '../../keyring';
import { useWorkspace, useWorkspaceList } from '../../queries/workspaces';
import { renameWorkspace } from '../../stores/actions';
import { useUi } from '../../stores/ui';
import { Dialog, FormActions } from '../Dialog';
import { Field } from '../Field';
import { duplicateLabelWarning, fieldMessage } from './keyOutcome';

const RenameFormSchema = RenameWorkspaceRequestSchema.pick({ label: true });
type RenameForm = z.input<typeof RenameFormSchema>;
type RenameRequest = z.output<typeof RenameFormSchema>;

export function RenameDialog({ workspaceId }: { workspaceId: string }) {
  const close = useUi((s) => s.closeDialog);
  const workspace = useWorkspace(workspaceId);
  const others = useWorkspaceList().filter((w) => w.id !== workspaceId);
  const { register, handleSubmit, setError, clearErrors, setFocus, control, formState } = useForm<RenameForm, unknown, RenameRequest>({
    resolver: zodResolver(RenameFormSchema),
    defaultValues: { label: workspace?.label ?? '' },
    reValidateMode: 'onSubmit',
  });
  const label = useWatch({ control, name: 'label' });
  const rename = useMutation({ mutationFn: (newLabel: string) => renameWorkspace(workspaceId, newLabel) });
  // Main's error, when it is about no field.
  const formError = rename.error && toIpcError(rename.error).field !== 'label' ? toIpcError(rename.error).message : null;

  useEffect(() => {
    setFocus('label', { shouldSelect: true });
  }, [setFocus]);
  useEffect(() => {
    if (!workspace) close();
  }, [workspace, close]);
  // After a refused rename the field is enabled again: put the cursor back in it.
  useEffect(() => {
    if (rename.isError) setFocus('label');
  }, [rename.isError, setFocus]);
  if (!workspace) return null;

  const submit = ({ label: newLabel }: RenameRequest) => {
    if (newLabel === workspace.label) return close();
    rename.mutate(newLabel, {
      onSuccess: close,
      onError: (caught) => {
        const problem = toIpcError(caught);
        if (problem.field === 'label') setError('label', { type: 'server', message: problem.message });
      },
    });
  };

  return (
    <Dialog title="Rename workspace" onClose={close} size="small" busy={rename.isPending}>
      <form className="dialog-form" noValidate onSubmit={(event) => void handleSubmit(submit)(event)}>
        <fieldset className="plain-fieldset" disabled={rename.isPending}>
          <Field label="Name" error={fieldMessage('Name', formState.errors.label)} warning={duplicateLabelWarning(label ?? '', others)}>
            {(field) => (
              <input
                {...field}
                {...register('label', {
                  onChange: () => {
                    clearErrors('label');
                    rename.reset();
                  },
                })}
                className="input"
                maxLength={200}
                autoComplete="off"
              />
            )}
          </Field>
        </fieldset>
        {formError ? (
          <div className="callout callout-error" role="alert">
            {formError}
          </div>
        ) : null}
        <FormActions onCancel={close} pending={rename.isPending} submitLabel="Save" pendingLabel="Saving…" />
      </form>
    </Dialog>
  );
}
