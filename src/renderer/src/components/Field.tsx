import { useId, useState, type ReactNode } from 'react';

export interface FieldProps {
  label: string;
  /** Marks the field invalid; a non-empty message is shown under it and announced with it. */
  error?: string | undefined;
  hint?: ReactNode;
  children(props: { id: string; 'aria-invalid': true | undefined; 'aria-describedby': string | undefined }): ReactNode;
}

/** A labelled form field with its hint and error message wired to it. */
export function Field({ label, error, hint, children }: FieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const invalid = error !== undefined;
  const describedBy = [error ? errorId : '', hint ? hintId : ''].filter(Boolean).join(' ') || undefined;
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
      {hint ? (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

export interface KeyInputProps {
  id: string;
  value: string;
  onChange(value: string): void;
  disabled?: boolean;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
  inputRef?: React.Ref<HTMLInputElement>;
}

/** An API key field: masked, never autocompleted or spell-checked, with a "Show key" toggle. */
export function KeyInput({ id, value, onChange, disabled, inputRef, ...aria }: KeyInputProps) {
  const [shown, setShown] = useState(false);
  return (
    <div className="key-input">
      <input
        ref={inputRef}
        id={id}
        className="input mono"
        type={shown ? 'text' : 'password'}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        autoComplete="off"
        autoCorrect="off"
        autoCapitalize="off"
        spellCheck={false}
        disabled={disabled}
        placeholder="sk_…"
        {...aria}
      />
      <button type="button" className="button button-ghost button-small" aria-pressed={shown} aria-controls={id} onClick={() => setShown((s) => !s)}>
        Show key
      </button>
    </div>
  );
}
