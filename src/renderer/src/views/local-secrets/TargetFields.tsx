import { useId } from 'react';
import type { UseFormRegisterReturn } from 'react-hook-form';
import type { WorkspaceSummary } from '../../../../shared/schemas/workspaces';
import type { TargetRow } from './forms';

export interface TargetFieldsProps {
  workspaces: WorkspaceSummary[];
  rows: TargetRow[];
  /** The name the secret is pushed under when no other is given. */
  ownName: string;
  registerSelected(index: number): UseFormRegisterReturn;
  registerName(index: number): UseFormRegisterReturn;
  nameError(index: number): string | undefined;
  /** Main's refusal about the targets as a whole (a name another secret already pushes there). */
  error?: string | undefined;
  hint?: string;
}

/** One checkbox per workspace, and for each one ticked the name it gets there (optional). */
export function TargetFields({ workspaces, rows, ownName, registerSelected, registerName, nameError, error, hint }: TargetFieldsProps) {
  const id = useId();
  return (
    <fieldset
      className="plain-fieldset target-fields"
      aria-describedby={[error ? `${id}-error` : '', hint ? `${id}-hint` : ''].join(' ').trim() || undefined}
    >
      <legend className="field-label">Push to</legend>
      {hint ? (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      ) : null}
      {workspaces.length === 0 ? <p className="muted">No workspace yet: add one to push to it.</p> : null}
      <ul className="target-rows">
        {workspaces.map((workspace, index) => {
          const selected = rows[index]?.selected ?? false;
          const problem = nameError(index);
          return (
            <li key={workspace.id} className="target-row">
              <label className="check">
                <input type="checkbox" {...registerSelected(index)} />
                <span>{workspace.label}</span>
              </label>
              {selected ? (
                <div className="target-name">
                  <label className="visually-hidden" htmlFor={`${id}-name-${index}`}>
                    Name in {workspace.label}
                  </label>
                  <input
                    id={`${id}-name-${index}`}
                    className="input mono"
                    placeholder={ownName ? `${ownName} (its own name)` : 'Its own name'}
                    autoComplete="off"
                    spellCheck={false}
                    maxLength={100}
                    aria-invalid={problem ? true : undefined}
                    aria-describedby={problem ? `${id}-name-error-${index}` : undefined}
                    {...registerName(index)}
                  />
                  {problem ? (
                    <p id={`${id}-name-error-${index}`} className="field-error">
                      Name in {workspace.label} {problem.replace(/\.$/, '')}.
                    </p>
                  ) : null}
                </div>
              ) : null}
            </li>
          );
        })}
      </ul>
      {error ? (
        <p id={`${id}-error`} className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
