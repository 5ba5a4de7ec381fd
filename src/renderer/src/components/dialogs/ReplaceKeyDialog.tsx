import { useEffect, useRef, useState } from 'react';
import { ApiKeySchema } from '../../../../shared/schemas/workspaces';
import { quoted } from '../../lib/format';
import { replaceKey } from '../../stores/actions';
import { useUi } from '../../stores/ui';
import { useWorkspaces } from '../../stores/workspaces';
import { Dialog } from '../Dialog';
import { Field, KeyInput } from '../Field';
import { acceptance, fieldErrors, fieldOfError } from './keyOutcome';
import { KeySubmissionFeedback } from './KeySubmissionFeedback';
import { useKeySubmission } from './useKeySubmission';

const labels = { apiKey: 'API key' } as const;

/** Gives a workspace a new API key; the same checks and questions as adding one. */
export function ReplaceKeyDialog({ workspaceId }: { workspaceId: string }) {
  const close = useUi((s) => s.closeDialog);
  const workspace = useWorkspaces((s) => s.workspaces.find((w) => w.id === workspaceId));
  const [apiKey, setApiKey] = useState('');
  const [error, setError] = useState<string | undefined>();
  const keyRef = useRef<HTMLInputElement>(null);
  const focusKeyAfterBusy = useRef(false);
  /** Questions already answered with yes, kept for the next attempt. */
  const accepted = useRef<(typeof acceptance)[keyof typeof acceptance]>({});
  const { busy, confirm, serverError, confirmRef, run, clear } = useKeySubmission({
    onSaved: () => {
      setApiKey('');
      close();
    },
    onError: (problem) => {
      const at = fieldOfError(problem, labels);
      if (!at) return;
      setError(at.message);
      if (problem.code === 'invalid_key') setApiKey('');
      focusKeyAfterBusy.current = true;
    },
  });
  useEffect(() => {
    if (busy || !focusKeyAfterBusy.current) return;
    keyRef.current?.focus();
    focusKeyAfterBusy.current = false;
  });
  // The workspace was removed meanwhile.
  useEffect(() => {
    if (!workspace) close();
  }, [workspace, close]);
  if (!workspace) return null;

  const submit = async (confirmations: (typeof acceptance)[keyof typeof acceptance] = {}) => {
    if (busy) return;
    accepted.current = confirmations;
    const parsed = ApiKeySchema.safeParse(apiKey);
    if (!parsed.success) {
      setError(fieldErrors(parsed.error.issues.map((i) => ({ ...i, path: ['apiKey'] })), labels).apiKey);
      keyRef.current?.focus();
      return;
    }
    setError(undefined);
    await run(() => replaceKey({ workspaceId, apiKey: parsed.data, ...confirmations }));
  };

  return (
    <Dialog title="Replace API key" onClose={close} initialFocusRef={keyRef} busy={busy}>
      <form
        className="dialog-form"
        noValidate
        aria-busy={busy || undefined}
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <p className="dialog-intro">
          A new key for {quoted(workspace.label)}. It is checked with ElevenLabs first; the old key is deleted from the keychain only once the new
          one is kept.
        </p>
        <Field label={labels.apiKey} error={error}>
          {(field) => (
            <KeyInput
              {...field}
              inputRef={keyRef}
              value={apiKey}
              disabled={busy}
              onChange={(value) => {
                setApiKey(value);
                setError(undefined);
                clear();
              }}
            />
          )}
        </Field>
        <KeySubmissionFeedback serverError={serverError} confirm={confirm} />
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
              onClick={() => void submit({ ...accepted.current, ...acceptance[confirm.kind] })}
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
