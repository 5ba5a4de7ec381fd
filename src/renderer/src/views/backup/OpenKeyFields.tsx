import { useId, useState } from 'react';
import type { OpenKey } from '../../../../shared/schemas/backup';

export type KeyKind = 'passphrase' | 'identity';

/** What opens a backup as typed: its passphrase, or the recovery key from its sheet. */
export function openKeyOf(kind: KeyKind, text: string): OpenKey {
  const trimmed = text.trim();
  return kind === 'passphrase' ? { passphrase: trimmed } : { identity: trimmed.toUpperCase() };
}

/** The passphrase (or recovery key) field of the Verify and Restore dialogs, masked until shown. */
export function OpenKeyFields({
  kind,
  text,
  onKind,
  onText,
  disabled,
  error,
}: {
  kind: KeyKind;
  text: string;
  onKind(kind: KeyKind): void;
  onText(text: string): void;
  disabled: boolean;
  /** The field's problem (empty, or refused by the backup). */
  error?: string | null;
}) {
  const id = useId();
  const [shown, setShown] = useState(false);
  const label = kind === 'passphrase' ? 'Passphrase' : 'Recovery key';
  return (
    <>
      <fieldset className="checkbox-group" disabled={disabled}>
        <legend>The backup opens with</legend>
        <label className="checkbox-line">
          <input type="radio" name={`${id}-kind`} checked={kind === 'passphrase'} onChange={() => onKind('passphrase')} />
          Its passphrase
        </label>
        <label className="checkbox-line">
          <input type="radio" name={`${id}-kind`} checked={kind === 'identity'} onChange={() => onKind('identity')} />
          Its recovery key (AGE-SECRET-KEY-1…)
        </label>
      </fieldset>
      <div className={`field${error ? ' field-invalid' : ''}`}>
        <label htmlFor={`${id}-key`} className="field-label">
          {label}
        </label>
        <div className="key-input">
          <input
            id={`${id}-key`}
            className="input mono"
            type={shown ? 'text' : 'password'}
            value={text}
            disabled={disabled}
            onChange={(event) => onText(event.target.value)}
            autoComplete="off"
            autoCorrect="off"
            autoCapitalize="off"
            spellCheck={false}
            aria-invalid={error ? true : undefined}
            aria-describedby={`${error ? `${id}-error ` : ''}${id}-hint`}
          />
          <button
            type="button"
            className="button button-ghost button-small key-toggle"
            aria-controls={`${id}-key`}
            onClick={() => setShown((s) => !s)}
          >
            {shown ? `Hide ${label.toLowerCase()}` : `Show ${label.toLowerCase()}`}
          </button>
        </div>
        {error ? (
          <p id={`${id}-error`} className="field-error">
            {error}
          </p>
        ) : null}
        <p id={`${id}-hint`} className="field-hint">
          {kind === 'passphrase'
            ? 'As it is on the recovery sheet: the words joined by hyphens.'
            : 'The recovery key printed on the sheet of a backup made with one.'}
        </p>
      </div>
    </>
  );
}
