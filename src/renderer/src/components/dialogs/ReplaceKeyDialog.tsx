import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useRef } from 'react';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { ReplaceKeyRequestSchema } from '../../../../shared/schemas/workspaces';
import { quoted } from '../../lib/format';
import { useWorkspace } from '../../queries/workspaces';
import { replaceKey } from '../../stores/actions';
import { useUi } from '../../stores/ui';
import { Dialog } from '../Dialog';
import { Field, KeyInput } from '../Field';
import { fieldMessage, fieldOfError } from './keyOutcome';
import { KeySubmissionFeedback } from './KeySubmissionFeedback';
import { useKeySubmission } from './useKeySubmission';

const KeyFormSchema = ReplaceKeyRequestSchema.pick({ apiKey: true });
type KeyForm = z.input<typeof KeyFormSchema>;
type KeyRequest = z.output<typeof KeyFormSchema>;
const labels = { apiKey: 'API key' } as const;

/** Gives a workspace a new API key; the same checks and questions as adding one. */
export function ReplaceKeyDialog({ workspaceId }: { workspaceId: string }) {
  const close = useUi((s) => s.closeDialog);
  const workspace = useWorkspace(workspaceId);
  const { register, handleSubmit, setError, clearErrors, setFocus, formState } = useForm<KeyForm, unknown, KeyRequest>({
    resolver: zodResolver(KeyFormSchema),
    defaultValues: { apiKey: '' },
    reValidateMode: 'onSubmit',
  });
  const confirmRef = useRef<HTMLButtonElement>(null);
  const submission = useKeySubmission<KeyRequest>({
    send: (request) => replaceKey({ workspaceId, ...request }),
    onSaved: close,
    onFieldError: (problem) => {
      if (!fieldOfError(problem, labels)) return false;
      // The typed key stays (masked): a typo can be found with "Show key".
      setError('apiKey', { type: 'server', message: problem.message });
      return true;
    },
    confirmRef,
  });
  const { busy, confirm } = submission;

  // Main refused the key: put the cursor back in it once the form is enabled again.
  const keyRefused = formState.errors.apiKey?.type === 'server';
  useEffect(() => {
    if (!busy && keyRefused) setFocus('apiKey');
  }, [busy, keyRefused, setFocus]);
  // The workspace was removed meanwhile.
  useEffect(() => {
    if (!workspace) close();
  }, [workspace, close]);
  if (!workspace) return null;

  return (
    <Dialog title="Replace API key" onClose={close} busy={busy}>
      <form
        className="dialog-form"
        noValidate
        aria-busy={busy || undefined}
        onSubmit={(event) => void handleSubmit(submission.submit)(event)}
      >
        <p className="dialog-intro">
          A new key for {quoted(workspace.label)}. It is checked with ElevenLabs first; the old key is deleted from the keychain only once
          the new one is kept.
        </p>
        <fieldset className="plain-fieldset" disabled={busy}>
          <Field label={labels.apiKey} error={fieldMessage(labels.apiKey, formState.errors.apiKey)}>
            {(field) => (
              <KeyInput
                {...field}
                {...register('apiKey', {
                  onChange: () => {
                    clearErrors('apiKey');
                    submission.clear();
                  },
                })}
              />
            )}
          </Field>
        </fieldset>
        <KeySubmissionFeedback
          formError={submission.formError}
          confirm={confirm}
          advice={{ limited: 'You can keep it anyway: the workspace will say what the key cannot read.' }}
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
              onClick={(event) => void handleSubmit(submission.accept)(event)}
            >
              {busy ? 'Saving…' : confirm.kind === 'unverified' ? 'Save unverified' : 'Replace anyway'}
            </button>
          ) : (
            <button type="submit" className="button button-primary" disabled={busy} aria-busy={busy || undefined}>
              {busy ? 'Checking key…' : 'Replace key'}
            </button>
          )}
        </div>
      </form>
    </Dialog>
  );
}
