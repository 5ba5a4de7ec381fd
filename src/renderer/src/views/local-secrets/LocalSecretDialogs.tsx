import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import type { z } from 'zod';
import type { LocalSecret } from '../../../../shared/schemas/local-secrets';
import { Dialog, FormActions } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { fieldMessage } from '../../components/dialogs/keyOutcome';
import { useSubmit } from '../../hooks/useSubmit';
import { call, toIpcError } from '../../keyring';
import { quoted } from '../../lib/format';
import { localSecretQuery } from '../../queries/local-secrets';
import { useWorkspaceList } from '../../queries/workspaces';
import { localSecretsChanged } from '../../stores/local-secret-actions';
import { useLocalSecretsUi } from '../../stores/local-secrets';
import { useUi } from '../../stores/ui';
import { EditFormSchema, targetRows, TargetsFormSchema, ValueFormSchema } from './forms';
import { TargetFields } from './TargetFields';
import { ValueInput } from './ValueInput';

/** The secret a dialog is about; the dialog closes if it is deleted meanwhile. */
function useDialogSecret(id: string): LocalSecret | undefined {
  const close = useUi((s) => s.closeDialog);
  const secret = useQuery(localSecretQuery(id));
  const gone = secret.isError && toIpcError(secret.error).code === 'not_found';
  useEffect(() => {
    if (gone) close();
  }, [gone, close]);
  return secret.data;
}

function Loading({ title, onClose }: { title: string; onClose(): void }) {
  return (
    <Dialog title={title} onClose={onClose} size="small" busy>
      <p className="dialog-intro">Reading the local secret…</p>
    </Dialog>
  );
}

// ---------- edit: name, note, tags ----------

type EditForm = z.input<typeof EditFormSchema>;
type EditRequest = z.output<typeof EditFormSchema>;

export function EditLocalSecretDialog({ id }: { id: string }) {
  const close = useUi((s) => s.closeDialog);
  const secret = useDialogSecret(id);
  if (!secret) return <Loading title="Edit local secret" onClose={close} />;
  return <EditForm secret={secret} onClose={close} />;
}

function EditForm({ secret, onClose }: { secret: LocalSecret; onClose(): void }) {
  const notify = useUi((s) => s.notify);
  const { register, handleSubmit, setError, clearErrors, setFocus, control, formState } = useForm<EditForm, unknown, EditRequest>({
    resolver: zodResolver(EditFormSchema),
    defaultValues: { name: secret.name, note: secret.note, tags: secret.tags.join(', ') },
    reValidateMode: 'onSubmit',
  });
  const name = useWatch({ control, name: 'name' });
  const update = useMutation({
    mutationFn: (request: EditRequest) => call((api) => api.localSecrets.update({ id: secret.id, ...request })),
  });
  const problem = update.error ? toIpcError(update.error) : null;
  const formError = problem && problem.field !== 'name' && problem.field !== 'note' && problem.field !== 'tags' ? problem.message : null;
  const renamed = (name ?? '').trim() !== secret.name;
  const pushed = secret.targets.filter((t) => t.followsName && t.pushedAt !== null).length;

  useEffect(() => {
    setFocus('name', { shouldSelect: true });
  }, [setFocus]);

  const submit = (request: EditRequest) => {
    update.mutate(request, {
      onSuccess: (saved) => {
        void localSecretsChanged();
        notify(
          'success',
          saved.name !== secret.name
            ? `Renamed ${quoted(secret.name)} to ${quoted(saved.name)}.${pushed ? ' Plan a push to rename it in its workspaces.' : ''}`
            : `Saved ${quoted(saved.name)}.`,
        );
        onClose();
      },
      onError: (caught) => {
        const refused = toIpcError(caught);
        if (refused.field === 'name' || refused.field === 'note' || refused.field === 'tags')
          setError(refused.field, { type: 'server', message: refused.message });
      },
    });
  };

  const errors = formState.errors;
  return (
    <Dialog title={`Edit ${quoted(secret.name)}`} onClose={onClose} busy={update.isPending}>
      <form className="dialog-form" noValidate onSubmit={(event) => void handleSubmit(submit)(event)}>
        <fieldset className="plain-fieldset" disabled={update.isPending}>
          <Field
            label="Name"
            error={fieldMessage('Name', errors.name)}
            hint={
              renamed && pushed
                ? 'The next push renames it in the workspaces that use its own name (the value is sent again with it).'
                : undefined
            }
          >
            {(field) => (
              <input
                {...field}
                {...register('name', {
                  onChange: () => {
                    clearErrors('name');
                    update.reset();
                  },
                })}
                className="input mono"
                maxLength={100}
                autoComplete="off"
                spellCheck={false}
              />
            )}
          </Field>
          <Field label="Note" error={fieldMessage('Note', errors.note)} hint="Never put a value here: notes are not secret.">
            {(field) => <textarea {...field} {...register('note')} className="input textarea" rows={3} maxLength={2000} />}
          </Field>
          <Field label="Tags" error={fieldMessage('Tags', errors.tags)} hint="Separated by commas.">
            {(field) => <input {...field} {...register('tags')} className="input" autoComplete="off" />}
          </Field>
        </fieldset>
        {formError ? (
          <div className="callout callout-error" role="alert">
            {formError}
          </div>
        ) : null}
        <FormActions onCancel={onClose} pending={update.isPending} submitLabel="Save" pendingLabel="Saving…" />
      </form>
    </Dialog>
  );
}

// ---------- targets ----------

type TargetsForm = z.input<typeof TargetsFormSchema>;
type TargetsRequest = z.output<typeof TargetsFormSchema>;

export function TargetsDialog({ id }: { id: string }) {
  const close = useUi((s) => s.closeDialog);
  const secret = useDialogSecret(id);
  if (!secret) return <Loading title="Targets" onClose={close} />;
  return <TargetsForm secret={secret} onClose={close} />;
}

function TargetsForm({ secret, onClose }: { secret: LocalSecret; onClose(): void }) {
  const notify = useUi((s) => s.notify);
  const workspaces = useWorkspaceList();
  const { register, handleSubmit, control, formState } = useForm<TargetsForm, unknown, TargetsRequest>({
    resolver: zodResolver(TargetsFormSchema),
    defaultValues: { targets: targetRows(workspaces, secret) },
    reValidateMode: 'onSubmit',
  });
  const rows = useWatch({ control, name: 'targets' });
  const save = useMutation({
    mutationFn: (request: TargetsRequest) => call((api) => api.localSecrets.setTargets({ id: secret.id, targets: request.targets })),
  });
  const problem = save.error ? toIpcError(save.error) : null;

  const submit = (request: TargetsRequest) =>
    save.mutate(request, {
      onSuccess: (saved) => {
        void localSecretsChanged();
        notify(
          'success',
          `${quoted(saved.name)} now targets ${saved.targets.length === 1 ? '1 workspace' : `${saved.targets.length} workspaces`}.`,
        );
        onClose();
      },
    });

  return (
    <Dialog title={`Targets of ${quoted(secret.name)}`} onClose={onClose} busy={save.isPending}>
      <form className="dialog-form" noValidate onSubmit={(event) => void handleSubmit(submit)(event)}>
        <p className="dialog-intro">
          The workspaces it is pushed to. Unticking one stops pushing there; its remote secret stays in ElevenLabs.
        </p>
        <fieldset className="plain-fieldset" disabled={save.isPending}>
          <TargetFields
            workspaces={workspaces}
            rows={rows ?? []}
            ownName={secret.name}
            registerSelected={(i) => register(`targets.${i}.selected`, { onChange: () => save.reset() })}
            registerName={(i) => register(`targets.${i}.remoteName`, { onChange: () => save.reset() })}
            nameError={(i) => formState.errors.targets?.[i]?.remoteName?.message}
            error={problem?.message}
            hint="Leave the name empty to use the local secret’s own name (it follows a rename)."
          />
        </fieldset>
        <FormActions onCancel={onClose} pending={save.isPending} submitLabel="Save targets" pendingLabel="Saving…" />
      </form>
    </Dialog>
  );
}

// ---------- rotate ----------

type ValueForm = z.input<typeof ValueFormSchema>;
type ValueRequest = z.output<typeof ValueFormSchema>;

export function RotateDialog({ id }: { id: string }) {
  const close = useUi((s) => s.closeDialog);
  const secret = useDialogSecret(id);
  if (!secret) return <Loading title="Rotate" onClose={close} />;
  return <RotateForm secret={secret} onClose={close} />;
}

function RotateForm({ secret, onClose }: { secret: LocalSecret; onClose(): void }) {
  const notify = useUi((s) => s.notify);
  const { register, handleSubmit, setFocus, formState, reset, clearErrors } = useForm<ValueForm, unknown, ValueRequest>({
    resolver: zodResolver(ValueFormSchema),
    defaultValues: { value: '' },
    reValidateMode: 'onSubmit',
  });
  const rotate = useSubmit();

  useEffect(() => {
    setFocus('value');
  }, [setFocus]);

  const submit = async ({ value }: ValueRequest) => {
    const result = await rotate.run(() => call((api) => api.localSecrets.rotate({ id: secret.id, value })));
    if (!result.ok) return;
    reset();
    void localSecretsChanged();
    notify(
      'success',
      `Rotated ${quoted(secret.name)}; the previous value is kept.${secret.targets.length ? ' Plan a push to send the new one.' : ''}`,
    );
    onClose();
  };

  return (
    <Dialog title={`Rotate ${quoted(secret.name)}`} onClose={onClose} busy={rotate.busy}>
      <form className="dialog-form" noValidate onSubmit={(event) => void handleSubmit(submit)(event)}>
        <p className="dialog-intro">
          The current value is kept as the previous one until the next rotation, and can be restored. Nothing is sent to ElevenLabs until
          you push.
        </p>
        <fieldset className="plain-fieldset" disabled={rotate.busy}>
          <Field label="New value" error={fieldMessage('New value', formState.errors.value)}>
            {(field) => (
              <ValueInput
                {...field}
                {...register('value', {
                  onChange: () => {
                    clearErrors('value');
                    rotate.reset();
                  },
                })}
              />
            )}
          </Field>
        </fieldset>
        {rotate.error ? (
          <div className="callout callout-error" role="alert">
            {rotate.error.message}
          </div>
        ) : null}
        <FormActions onCancel={onClose} pending={rotate.busy} submitLabel="Rotate" pendingLabel="Rotating…" />
      </form>
    </Dialog>
  );
}

// ---------- confirmations: restore the previous value, delete ----------

export function RestorePreviousDialog({ id }: { id: string }) {
  const close = useUi((s) => s.closeDialog);
  const notify = useUi((s) => s.notify);
  const secret = useDialogSecret(id);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const restore = useMutation({
    mutationFn: () => call((api) => api.localSecrets.restorePrevious({ id })),
    onSuccess: (saved) => {
      void localSecretsChanged();
      notify('success', `Restored the previous value of ${quoted(saved.name)}.${saved.targets.length ? ' Plan a push to send it.' : ''}`);
      close();
    },
  });
  const name = secret?.name ?? '';
  return (
    <Dialog
      title={`Restore the previous value of ${quoted(name)}?`}
      role="alertdialog"
      onClose={close}
      initialFocusRef={cancelRef}
      describedBy="restore-explanation"
      size="small"
      busy={restore.isPending}
    >
      <p id="restore-explanation" className="dialog-intro">
        The previous value becomes the current one again, and the current one becomes the previous. Nothing is sent to ElevenLabs until you
        push.
      </p>
      {restore.isError ? (
        <div className="callout callout-error" role="alert">
          {toIpcError(restore.error).message}
        </div>
      ) : null}
      <div className="dialog-actions">
        <button ref={cancelRef} type="button" className="button" onClick={close}>
          Cancel
        </button>
        <button type="button" className="button button-primary" disabled={restore.isPending || !secret} onClick={() => restore.mutate()}>
          {restore.isPending ? 'Restoring…' : 'Restore previous value'}
        </button>
      </div>
    </Dialog>
  );
}

export function DeleteLocalSecretDialog({ id }: { id: string }) {
  const close = useUi((s) => s.closeDialog);
  const notify = useUi((s) => s.notify);
  const secret = useDialogSecret(id);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const remove = useMutation({
    mutationFn: () => call((api) => api.localSecrets.delete({ id })),
    onSuccess: () => {
      const ui = useLocalSecretsUi.getState();
      if (ui.openId === id) ui.open(null);
      void localSecretsChanged();
      notify('success', `Deleted ${quoted(secret?.name ?? '')} from this computer. Its remote secrets stay in ElevenLabs.`);
      close();
    },
  });
  const pushed = secret?.targets.filter((t) => t.remoteSecretId).length ?? 0;
  return (
    <Dialog
      title={`Delete ${quoted(secret?.name ?? '')} from this computer?`}
      role="alertdialog"
      onClose={close}
      initialFocusRef={cancelRef}
      // Its row and its details are gone: back to the list of the others.
      fallbackFocus={() => document.getElementById('local-secrets-list')}
      describedBy="delete-local-explanation"
      size="small"
      busy={remove.isPending}
    >
      <div id="delete-local-explanation" className="dialog-intro">
        <p>Its value{secret?.hasPrevious ? ' and its previous value are' : ' is'} deleted from the system keychain.</p>
        {pushed ? (
          <p>
            Its {pushed === 1 ? 'remote secret stays' : `${pushed} remote secrets stay`} in ElevenLabs, no longer managed here. To delete
            one there, open it in Secrets and choose “Delete from ElevenLabs…”.
          </p>
        ) : null}
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
        <button type="button" className="button button-danger" disabled={remove.isPending || !secret} onClick={() => remove.mutate()}>
          {remove.isPending ? 'Deleting…' : 'Delete local secret'}
        </button>
      </div>
    </Dialog>
  );
}
