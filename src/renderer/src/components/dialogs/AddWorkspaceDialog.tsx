import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useRef } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import type { z } from 'zod';
import { AddWorkspaceRequestSchema, residencies, residencyLabels, type Residency } from '../../../../shared/schemas/workspaces';
import { useWorkspaceList } from '../../queries/workspaces';
import { addWorkspace } from '../../stores/actions';
import { useUi } from '../../stores/ui';
import { Dialog } from '../Dialog';
import { Field, KeyInput } from '../Field';
import { duplicateLabelWarning, fieldMessage, fieldOfError } from './keyOutcome';
import { KeySubmissionFeedback } from './KeySubmissionFeedback';
import { useKeySubmission } from './useKeySubmission';

type FormField = 'label' | 'residency' | 'baseUrl' | 'apiKey';
type AddForm = z.input<typeof AddWorkspaceRequestSchema>;
type AddRequest = z.output<typeof AddWorkspaceRequestSchema>;

const labels: Record<FormField, string> = { label: 'Name', residency: 'Data residency', baseUrl: 'API base URL', apiKey: 'API key' };
const choices = residencies.filter((r): r is Exclude<Residency, 'demo'> => r !== 'demo');

/**
 * Adds an ElevenLabs workspace. The form is checked against the request's own schema (the one
 * main checks too). The API key lives in the form only while the dialog is open, is sent with
 * each attempt, and is gone with the dialog.
 */
export function AddWorkspaceDialog() {
  const close = useUi((s) => s.closeDialog);
  const workspaces = useWorkspaceList();
  const form = useForm<AddForm, unknown, AddRequest>({
    resolver: zodResolver(AddWorkspaceRequestSchema),
    defaultValues: { label: '', residency: 'default', apiKey: '' },
    // Errors stay until the next submit; an edit clears its own field's error (see `edited`).
    reValidateMode: 'onSubmit',
  });
  const { register, handleSubmit, setError, clearErrors, setFocus, control, formState } = form;
  const residency = useWatch({ control, name: 'residency' });
  const label = useWatch({ control, name: 'label' });
  const confirmRef = useRef<HTMLButtonElement>(null);
  const submission = useKeySubmission<AddRequest>({
    send: addWorkspace,
    onSaved: close,
    onFieldError: (problem) => {
      const field = fieldOfError(problem, labels);
      if (!field) return false;
      // The typed key stays (masked): a typo can be found with "Show key".
      setError(field, { type: 'server', message: problem.message });
      return true;
    },
    confirmRef,
  });
  const { busy, confirm } = submission;

  // Main refused a field: put the cursor in it once the form is enabled again.
  const refusedField = (Object.keys(labels) as FormField[]).find((field) => formState.errors[field]?.type === 'server');
  useEffect(() => {
    if (!busy && refusedField) setFocus(refusedField);
  }, [busy, refusedField, setFocus]);

  /** Any edit makes an earlier question or error moot. */
  const edited = (...fields: FormField[]) => {
    submission.clear();
    clearErrors(fields);
  };

  const errors = formState.errors;
  return (
    <Dialog title="Add workspace" onClose={close} busy={busy}>
      <form
        className="dialog-form"
        noValidate
        aria-busy={busy || undefined}
        onSubmit={(event) => void handleSubmit(submission.submit)(event)}
      >
        <p className="dialog-intro">
          The key is checked with ElevenLabs, then kept in this computer’s system keychain. Agent Keyring never shows it again.
        </p>
        <fieldset className="plain-fieldset" disabled={busy}>
          <Field
            label={labels.label}
            error={fieldMessage(labels.label, errors.label)}
            warning={duplicateLabelWarning(label ?? '', workspaces)}
          >
            {(field) => (
              <input
                {...field}
                {...register('label', { onChange: () => edited('label') })}
                className="input"
                maxLength={200}
                placeholder="e.g. Production"
                autoComplete="off"
              />
            )}
          </Field>
          <Field
            label={labels.residency}
            error={fieldMessage(labels.residency, errors.residency)}
            hint="Where the workspace’s data lives; it decides which API address is used."
          >
            {(field) => (
              <select {...field} {...register('residency', { onChange: () => edited('residency', 'baseUrl') })} className="select">
                {choices.map((r) => (
                  <option key={r} value={r}>
                    {residencyLabels[r]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {residency === 'custom' ? (
            <Field
              label={labels.baseUrl}
              error={fieldMessage(labels.baseUrl, errors.baseUrl)}
              hint="https, or plain http only for 127.0.0.1 / localhost (the local emulator)."
            >
              {(field) => (
                <input
                  {...field}
                  // Empty means "not given"; hidden (another residency) means not sent at all.
                  {...register('baseUrl', {
                    setValueAs: (value: string | undefined) => (value?.trim() ? value : undefined),
                    shouldUnregister: true,
                    onChange: () => edited('baseUrl'),
                  })}
                  className="input mono"
                  type="url"
                  placeholder="https://… or http://127.0.0.1:PORT"
                  autoComplete="off"
                  spellCheck={false}
                />
              )}
            </Field>
          ) : null}
          <Field
            label={labels.apiKey}
            error={fieldMessage(labels.apiKey, errors.apiKey)}
            hint="In ElevenLabs: Settings → API keys. Give it the ElevenLabs Agents read permission."
          >
            {(field) => <KeyInput {...field} {...register('apiKey', { onChange: () => edited('apiKey') })} />}
          </Field>
        </fieldset>

        <KeySubmissionFeedback
          formError={submission.formError}
          confirm={confirm}
          advice={{
            unverified: 'You can keep it anyway and sync once ElevenLabs is reachable.',
            limited: 'You can keep it anyway: the workspace will say what the key cannot read, and you can replace the key later.',
            mismatch: 'Adding it anyway lists that workspace’s secrets twice.',
          }}
        />

        <div className="dialog-actions">
          <button type="button" className="button" onClick={close}>
            Cancel
          </button>
          {confirm ? (
            <button
              ref={confirmRef}
              type="button"
              className="button button-primary"
              disabled={busy}
              aria-busy={busy || undefined}
              onClick={(event) => void handleSubmit(submission.accept)(event)}
            >
              {busy ? 'Saving…' : confirm.kind === 'unverified' ? 'Save unverified' : 'Add anyway'}
            </button>
          ) : (
            <button type="submit" className="button button-primary" disabled={busy} aria-busy={busy || undefined}>
              {busy ? 'Checking key…' : 'Add workspace'}
            </button>
          )}
        </div>
      </form>
    </Dialog>
  );
}
