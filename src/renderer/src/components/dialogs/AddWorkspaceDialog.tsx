import { useEffect, useRef, useState } from 'react';
import { AddWorkspaceRequestSchema, residencies, residencyLabels, type Residency } from '../../../../shared/schemas/workspaces';
import { addWorkspace } from '../../stores/actions';
import { useUi } from '../../stores/ui';
import { Dialog } from '../Dialog';
import { Field, KeyInput } from '../Field';
import { acceptance, fieldErrors, fieldOfError } from './keyOutcome';
import { KeySubmissionFeedback } from './KeySubmissionFeedback';
import { useKeySubmission } from './useKeySubmission';

type FormField = 'label' | 'residency' | 'baseUrl' | 'apiKey';
const labels: Record<FormField, string> = { label: 'Name', residency: 'Data residency', baseUrl: 'API base URL', apiKey: 'API key' };
const choices = residencies.filter((r): r is Exclude<Residency, 'demo'> => r !== 'demo');

/**
 * Adds an ElevenLabs workspace. The API key lives in this component's state only while the
 * dialog is open, is sent with each attempt, and is cleared once the workspace is saved.
 */
export function AddWorkspaceDialog() {
  const close = useUi((s) => s.closeDialog);
  const [label, setLabel] = useState('');
  const [residency, setResidency] = useState<Exclude<Residency, 'demo'>>('default');
  const [baseUrl, setBaseUrl] = useState('');
  const [apiKey, setApiKey] = useState('');
  const [errors, setErrors] = useState<Partial<Record<FormField, string>>>({});
  const refs = {
    label: useRef<HTMLInputElement>(null),
    residency: useRef<HTMLSelectElement>(null),
    baseUrl: useRef<HTMLInputElement>(null),
    apiKey: useRef<HTMLInputElement>(null),
  };
  /** The field to focus once the controls are enabled again. */
  const focusAfterBusy = useRef<FormField | null>(null);
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
      setErrors({ [at.field]: at.message });
      if (problem.code === 'invalid_key') setApiKey('');
      focusAfterBusy.current = at.field;
    },
  });

  useEffect(() => {
    if (busy || !focusAfterBusy.current) return;
    refs[focusAfterBusy.current].current?.focus();
    focusAfterBusy.current = null;
  });

  /** Any edit makes an earlier question or error moot. */
  const edited = (field: FormField) => {
    clear();
    setErrors((e) => ({ ...e, [field]: undefined }));
  };

  const submit = async (confirmations: (typeof acceptance)[keyof typeof acceptance] = {}) => {
    if (busy) return;
    accepted.current = confirmations;
    const parsed = AddWorkspaceRequestSchema.safeParse({
      label,
      residency,
      baseUrl: residency === 'custom' ? baseUrl : undefined,
      apiKey,
      ...confirmations,
    });
    if (!parsed.success) {
      const found = fieldErrors(parsed.error.issues, labels);
      setErrors(found);
      clear();
      const first = (Object.keys(labels) as FormField[]).find((f) => found[f]);
      if (first) refs[first].current?.focus();
      return;
    }
    setErrors({});
    await run(() => addWorkspace(parsed.data));
  };

  return (
    <Dialog title="Add workspace" onClose={close} initialFocusRef={refs.label} busy={busy}>
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
          The key is checked with ElevenLabs, then kept in this computer’s system keychain. Agent Keyring never shows it again.
        </p>
        <Field label={labels.label} error={errors.label}>
          {(field) => (
            <input
              {...field}
              ref={refs.label}
              className="input"
              value={label}
              maxLength={200}
              placeholder="e.g. Production"
              autoComplete="off"
              disabled={busy}
              onChange={(e) => {
                setLabel(e.target.value);
                edited('label');
              }}
            />
          )}
        </Field>
        <Field label={labels.residency} error={errors.residency} hint="Where the workspace’s data lives; it decides which API address is used.">
          {(field) => (
            <select
              {...field}
              ref={refs.residency}
              className="select"
              value={residency}
              disabled={busy}
              onChange={(e) => {
                setResidency(e.target.value as Exclude<Residency, 'demo'>);
                edited('residency');
                edited('baseUrl');
              }}
            >
              {choices.map((r) => (
                <option key={r} value={r}>
                  {residencyLabels[r]}
                </option>
              ))}
            </select>
          )}
        </Field>
        {residency === 'custom' ? (
          <Field label={labels.baseUrl} error={errors.baseUrl} hint="https, or plain http only for 127.0.0.1 / localhost (the local emulator).">
            {(field) => (
              <input
                {...field}
                ref={refs.baseUrl}
                className="input mono"
                type="url"
                value={baseUrl}
                placeholder="https://… or http://127.0.0.1:PORT"
                autoComplete="off"
                spellCheck={false}
                disabled={busy}
                onChange={(e) => {
                  setBaseUrl(e.target.value);
                  edited('baseUrl');
                }}
              />
            )}
          </Field>
        ) : null}
        <Field label={labels.apiKey} error={errors.apiKey} hint="In ElevenLabs: Settings → API keys. Give it the ElevenLabs Agents read permission.">
          {(field) => (
            <KeyInput
              {...field}
              inputRef={refs.apiKey}
              value={apiKey}
              disabled={busy}
              onChange={(value) => {
                setApiKey(value);
                edited('apiKey');
              }}
            />
          )}
        </Field>

        <KeySubmissionFeedback
          serverError={serverError}
          confirm={confirm}
          advice={{
            unverified: 'You can keep it anyway and sync once ElevenLabs is reachable.',
            limited: 'Its auth connections and identity can still be read where the key allows.',
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
              onClick={() => void submit({ ...accepted.current, ...acceptance[confirm.kind] })}
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
