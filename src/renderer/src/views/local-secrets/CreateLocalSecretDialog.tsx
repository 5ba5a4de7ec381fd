import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import type { z } from 'zod';
import { Dialog, FormActions } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { fieldMessage } from '../../components/dialogs/keyOutcome';
import { useSubmit } from '../../hooks/useSubmit';
import { call } from '../../keyring';
import { quoted } from '../../lib/format';
import { useWorkspaceList } from '../../queries/workspaces';
import { localSecretsChanged } from '../../stores/local-secret-actions';
import { useLocalSecretsUi } from '../../stores/local-secrets';
import { useUi } from '../../stores/ui';
import { CreateFormSchema, targetRows } from './forms';
import { TargetFields } from './TargetFields';
import { ValueInput } from './ValueInput';

type CreateForm = z.input<typeof CreateFormSchema>;
type CreateRequest = z.output<typeof CreateFormSchema>;

const labels = { name: 'Name', value: 'Value', note: 'Note', tags: 'Tags' } as const;

/**
 * A new local secret: its value goes to the keychain (through main), everything else to SQLite.
 * The value lives in this form until main has it, then the form is reset.
 */
export function CreateLocalSecretDialog() {
  const close = useUi((s) => s.closeDialog);
  const notify = useUi((s) => s.notify);
  const workspaces = useWorkspaceList();
  const { register, handleSubmit, setError, clearErrors, setFocus, control, formState, reset } = useForm<
    CreateForm,
    unknown,
    CreateRequest
  >({
    resolver: zodResolver(CreateFormSchema),
    defaultValues: { name: '', value: '', note: '', tags: '', targets: targetRows(workspaces) },
    reValidateMode: 'onSubmit',
  });
  const rows = useWatch({ control, name: 'targets' });
  const name = useWatch({ control, name: 'name' });
  const create = useSubmit();
  const problem = create.error;
  const fieldOf = problem?.field?.split('.')[0];
  const formError = problem && !['name', 'value', 'note', 'tags', 'targets'].includes(fieldOf ?? '') ? problem.message : null;

  useEffect(() => {
    setFocus('name');
  }, [setFocus]);

  /** An edit makes main's earlier refusal of that field moot. */
  const edited = (field: 'name' | 'value') => {
    clearErrors(field);
    create.reset();
  };

  const submit = async (request: CreateRequest) => {
    const result = await create.run(() =>
      call((api) => api.localSecrets.create({ ...request, note: request.note || undefined, tags: request.tags })),
    );
    if (!result.ok) {
      const field = result.error.field?.split('.')[0];
      if (field === 'name' || field === 'value' || field === 'note' || field === 'tags')
        setError(field, { type: 'server', message: result.error.message });
      return;
    }
    const secret = result.data;
    // The value is in the keychain now: nothing of it stays here.
    reset();
    void localSecretsChanged();
    useLocalSecretsUi.getState().open(secret.id);
    notify(
      'success',
      secret.targets.length
        ? `Kept ${quoted(secret.name)} in the keychain. Plan a push to send it to its workspaces.`
        : `Kept ${quoted(secret.name)} in the keychain.`,
    );
    close();
  };

  const errors = formState.errors;
  const busy = create.busy;
  return (
    <Dialog title="New local secret" onClose={close} busy={busy}>
      <form className="dialog-form" noValidate onSubmit={(event) => void handleSubmit(submit)(event)}>
        <p className="dialog-intro">
          The value is kept in this computer’s system keychain. Nothing is sent to ElevenLabs until you push it.
        </p>
        <fieldset className="plain-fieldset" disabled={busy}>
          <Field
            label={labels.name}
            error={fieldMessage(labels.name, errors.name)}
            hint="Letters, digits, “_”, “.” and “-”, starting with a letter or “_”."
          >
            {(field) => (
              <input
                {...field}
                {...register('name', { onChange: () => edited('name') })}
                className="input mono"
                maxLength={100}
                autoComplete="off"
                spellCheck={false}
                placeholder="e.g. STRIPE_API_KEY"
              />
            )}
          </Field>
          <Field label={labels.value} error={fieldMessage(labels.value, errors.value)}>
            {(field) => <ValueInput {...field} {...register('value', { onChange: () => edited('value') })} />}
          </Field>
          <Field
            label={labels.note}
            error={fieldMessage(labels.note, errors.note)}
            hint="Optional. Never put a value here: notes are not secret."
          >
            {(field) => <textarea {...field} {...register('note')} className="input textarea" rows={2} maxLength={2000} />}
          </Field>
          <Field label={labels.tags} error={fieldMessage(labels.tags, errors.tags)} hint="Optional, separated by commas.">
            {(field) => (
              <input {...field} {...register('tags')} className="input" autoComplete="off" placeholder="e.g. billing, production" />
            )}
          </Field>
          <TargetFields
            workspaces={workspaces}
            rows={rows ?? []}
            ownName={name ?? ''}
            registerSelected={(i) => register(`targets.${i}.selected`, { onChange: () => create.reset() })}
            registerName={(i) => register(`targets.${i}.remoteName`, { onChange: () => create.reset() })}
            nameError={(i) => errors.targets?.[i]?.remoteName?.message}
            error={fieldOf === 'targets' ? problem?.message : undefined}
            hint="Optional: a different name in a workspace. You can change targets later."
          />
        </fieldset>
        {formError ? (
          <div className="callout callout-error" role="alert">
            {formError}
          </div>
        ) : null}
        <FormActions onCancel={close} pending={busy} submitLabel="Save local secret" pendingLabel="Saving…" />
      </form>
    </Dialog>
  );
}
