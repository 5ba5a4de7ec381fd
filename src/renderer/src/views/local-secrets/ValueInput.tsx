import { useState } from 'react';
import type { KeyInputProps } from '../../components/Field';

/**
 * A secret value field: masked, never autocompleted or spell-checked, with a Show/Hide toggle.
 * What is typed lives in the form only, and the form is reset once main has it.
 */
export function ValueInput({ ref, id, ...props }: KeyInputProps) {
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
        {...props}
      />
      <button type="button" className="button button-ghost button-small key-toggle" aria-controls={id} onClick={() => setShown((s) => !s)}>
        {shown ? 'Hide value' : 'Show value'}
      </button>
    </div>
  );
}
