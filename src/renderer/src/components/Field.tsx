import { useId, useState, type ReactNode, type Ref } from 'react';
import type { UseFormRegisterReturn } from 'react-hook-form';

export interface FieldProps {
  label: string;
  /** Marks the field invalid; a non-empty message is shown under it and announced with it. */
  error?: string | undefined;
  /** A note that does not block saving (e.g. a name already in use). */
  warning?: string | undefined;
  hint?: ReactNode;
  children(props: { id: string; 'aria-invalid': true | undefined; 'aria-describedby': string | undefined }): ReactNode;
}

/** A labelled form field with its hint, warning and error message wired to it. */
export function Field({ label, error, warning, hint, children }: FieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const warningId = `${id}-warning`;
  const invalid = error !== undefined;
  const describedBy = [error ? errorId : '', warning ? warningId : '', hint ? hintId : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${invalid ? ' field-invalid' : ''}`}>
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      {children({ id, 'aria-invalid': invalid ? true : undefined, 'aria-describedby': describedBy })}
      {error ? (
        <p id={errorId} className="field-error">
          {error}
        </p>
      ) : null}
      {warning ? (
        <p id={warningId} className="field-warning">
          {warning}
        </p>
      ) : null}
      {hint ? (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

export type KeyInputProps = UseFormRegisterReturn & {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
  ref: Ref<HTMLInputElement>;
};

/**
 * An API key field: masked, never autocompleted or spell-checked, with a Show/Hide toggle so a
 * typo can be found without retyping the key.
 */
export function KeyInput({ ref, id, ...props }: KeyInputProps) {
  const [shown, setShown] = useState(false);
  return (
    <div className="key-input">
      <input
        ref={ref}
        id={id}
        className="input mono"
        type={shown ? 'text' : 'password'}
        autoComplete="off"
        autoCorrect="off"
        autoCapitalize="off"
        spellCheck={false}
        placeholder="sk_…"
        {...props}
      />
      <button type="button" className="button button-ghost button-small key-toggle" aria-controls={id} onClick={() => setShown((s) => !s)}>
        {shown ? 'Hide key' : 'Show key'}
      </button>
    </div>
  );
}
