import { useEffect, useId, useRef, useState } from 'react';
import type { ImportLine, ImportSkippedLine } from '../../../../shared/schemas/local-secrets';
import { LIMITS } from '../../../../shared/limits';
import { Dialog } from '../../components/Dialog';
import { useSubmit } from '../../hooks/useSubmit';
import { call } from '../../keyring';
import { plural, quoted } from '../../lib/format';
import { useWorkspaceList } from '../../queries/workspaces';
import { localSecretsChanged } from '../../stores/local-secret-actions';
import { useUi } from '../../stores/ui';

const statusText: Record<ImportLine['status'], string> = {
  new: 'New',
  changed: 'Changed value',
  unchanged: 'Unchanged',
  invalid: 'Invalid',
};

type Step =
  | { kind: 'source' }
  | { kind: 'choose'; lines: ImportLine[] }
  | { kind: 'done'; created: number; updated: number; skippedLines: ImportSkippedLine[] };

/** Why a line was left out, after its number and name. */
function skippedReason(line: ImportSkippedLine): string {
  switch (line.reason) {
    case 'invalid':
      return line.problem ?? 'cannot be read';
    case 'unchanged':
      return 'same value as the one kept here';
    case 'not-chosen':
      return 'not chosen';
  }
}

/**
 * Imports a .env file: the text (pasted, or read from a file here in the window) goes to main,
 * which parses it and says, line by line, what would happen. Nothing is stored until the user
 * has chosen. The text is masked on screen and forgotten once the import is done or cancelled.
 */
export function ImportEnvDialog() {
  const close = useUi((s) => s.closeDialog);
  const workspaces = useWorkspaceList();
  const id = useId();
  const [content, setContent] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const [shown, setShown] = useState(false);
  const [step, setStep] = useState<Step>({ kind: 'source' });
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [targets, setTargets] = useState<ReadonlySet<string>>(new Set());
  const [readError, setReadError] = useState<string | null>(null);
  const request = useSubmit();
  const textRef = useRef<HTMLTextAreaElement>(null);
  const doneRef = useRef<HTMLButtonElement>(null);
  const previewIntroRef = useRef<HTMLParagraphElement>(null);

  // Each step replaces the button that moved to it: focus goes to the new step's start rather
  // than falling to <body> (the preview's summary, the pasted text, or Done).
  const shownStep = useRef(step.kind);
  useEffect(() => {
    if (shownStep.current === step.kind) return;
    shownStep.current = step.kind;
    if (step.kind === 'choose') previewIntroRef.current?.focus();
    else if (step.kind === 'source') textRef.current?.focus();
    else doneRef.current?.focus();
  }, [step.kind]);

  const readFile = async (file: File | undefined) => {
    setReadError(null);
    if (!file) return;
    if (file.size > LIMITS.envFile) {
      setReadError(`${quoted(file.name)} is larger than ${LIMITS.envFile / 1024 / 1024} MB: that is not a .env file.`);
      return;
    }
    try {
      setContent(await file.text());
      setFileName(file.name);
    } catch {
      setReadError(`${quoted(file.name)} could not be read.`);
    }
  };

  const preview = async () => {
    if (!content.trim()) {
      setReadError('Paste the contents of a .env file, or choose one.');
      textRef.current?.focus();
      return;
    }
    const result = await request.run(() => call((api) => api.localSecrets.importPreview({ content })));
    if (!result.ok) return;
    const importable = result.data.lines.filter((line) => line.status === 'new' || line.status === 'changed').map((line) => line.name);
    setChosen(new Set(importable));
    setStep({ kind: 'choose', lines: result.data.lines });
  };

  const apply = async () => {
    const result = await request.run(() =>
      call((api) => api.localSecrets.importApply({ content, names: [...chosen], targetWorkspaceIds: [...targets] })),
    );
    if (!result.ok) return;
    // Stored: the file's text is not needed any more.
    setContent('');
    setFileName(null);
    void localSecretsChanged();
    setStep({ kind: 'done', created: result.data.created, updated: result.data.updated, skippedLines: result.data.skippedLines });
  };

  const toggle = (set: ReadonlySet<string>, value: string, on: boolean): ReadonlySet<string> => {
    const next = new Set(set);
    if (on) next.add(value);
    else next.delete(value);
    return next;
  };

  const errorCallout = request.error ? (
    <div className="callout callout-error" role="alert">
      {request.error.message}
    </div>
  ) : null;

  if (step.kind === 'done') {
    return (
      <Dialog title="Import a .env file" onClose={close} size="small">
        <div className="callout callout-info" role="status">
          {importedSummary(step.created, step.updated)}
        </div>
        {step.skippedLines.length ? (
          <div className="import-skipped">
            <p className="dialog-note" id={`${id}-skipped`}>
              {plural(step.skippedLines.length, 'line')} not imported:
            </p>
            <ul className="skipped-list" aria-labelledby={`${id}-skipped`}>
              {step.skippedLines.map((line) => (
                <li key={line.line}>
                  Line {line.line}
                  {line.name ? (
                    <>
                      {' '}
                      <span className="mono">{line.name}</span>
                    </>
                  ) : null}
                  : {skippedReason(line)}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        {step.created + step.updated > 0 ? (
          <p className="dialog-note">Nothing was sent to ElevenLabs: plan a push to send the values to their workspaces.</p>
        ) : null}
        <div className="dialog-actions">
          <button ref={doneRef} type="button" className="button button-primary" onClick={close}>
            Done
          </button>
        </div>
      </Dialog>
    );
  }

  if (step.kind === 'choose') {
    const importable = step.lines.filter((line) => line.status === 'new' || line.status === 'changed');
    const invalid = step.lines.filter((line) => line.status === 'invalid').length;
    const anyNew = step.lines.some((line) => line.status === 'new' && chosen.has(line.name));
    return (
      <Dialog title="Import a .env file" onClose={close} size="large" busy={request.busy}>
        <div className="dialog-form">
          <p className="dialog-intro" ref={previewIntroRef} tabIndex={-1}>
            {plural(step.lines.length, 'line')}
            {fileName ? ` in ${quoted(fileName)}` : ''}
            {invalid ? `, ${plural(invalid, 'invalid one', 'invalid ones')} shown with its problem` : ''}. Choose what to keep; nothing is
            stored before you import.
          </p>
          <div className="import-table-frame">
            <table className="data-table import-table">
              <caption className="visually-hidden">Lines of the .env file</caption>
              <thead>
                <tr>
                  <th scope="col">Import</th>
                  <th scope="col">Line</th>
                  <th scope="col">Name</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {step.lines.map((line) => {
                  const selectable = line.status === 'new' || line.status === 'changed';
                  const label = line.name ? `Import ${line.name}` : `Import line ${line.line}`;
                  return (
                    <tr key={line.line} className={line.status === 'invalid' ? 'is-invalid' : undefined}>
                      <td>
                        <input
                          type="checkbox"
                          aria-label={label}
                          disabled={!selectable || request.busy}
                          checked={selectable && chosen.has(line.name)}
                          onChange={(event) => setChosen((set) => toggle(set, line.name, event.target.checked))}
                        />
                      </td>
                      <td className="num">{line.line}</td>
                      <td className="mono">{line.name || <span className="muted">(no name)</span>}</td>
                      <td>
                        <span className={`import-status status-${line.status}`}>{statusText[line.status]}</span>
                        {line.problem ? <span className="import-problem">: {line.problem}</span> : null}
                        {line.status === 'changed' ? <span className="muted"> (the current value is kept as the previous one)</span> : null}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {anyNew ? (
            <fieldset className="plain-fieldset import-targets" disabled={request.busy}>
              <legend className="field-label">Push new secrets to</legend>
              <p className="field-hint">Optional: the workspaces new local secrets target, under their own names. You push them later.</p>
              <div className="check-row">
                {workspaces.map((workspace) => (
                  <label key={workspace.id} className="check">
                    <input
                      type="checkbox"
                      checked={targets.has(workspace.id)}
                      onChange={(event) => setTargets((set) => toggle(set, workspace.id, event.target.checked))}
                    />
                    <span>{workspace.label}</span>
                  </label>
                ))}
              </div>
            </fieldset>
          ) : null}
          {errorCallout}
          <div className="dialog-actions">
            <button type="button" className="button" onClick={() => setStep({ kind: 'source' })} disabled={request.busy}>
              Back
            </button>
            <button type="button" className="button" onClick={close}>
              Cancel
            </button>
            <button
              type="button"
              className="button button-primary"
              disabled={request.busy || chosen.size === 0}
              onClick={() => void apply()}
            >
              {request.busy ? 'Importing…' : importable.length ? `Import ${plural(chosen.size, 'secret')}` : 'Nothing to import'}
            </button>
          </div>
        </div>
      </Dialog>
    );
  }

  return (
    <Dialog title="Import a .env file" onClose={close} busy={request.busy}>
      <div className="dialog-form">
        <p className="dialog-intro">
          Each <span className="mono">NAME=value</span> line becomes a local secret, kept in the system keychain. You see every line before
          anything is stored.
        </p>
        <div className="field">
          <label className="field-label" htmlFor={`${id}-file`}>
            Choose a file
          </label>
          <input
            id={`${id}-file`}
            type="file"
            className="file-input"
            accept=".env,text/plain"
            disabled={request.busy}
            onChange={(event) => void readFile(event.target.files?.[0])}
          />
        </div>
        <div className="field">
          <div className="field-label-row">
            <label className="field-label" htmlFor={`${id}-text`}>
              Or paste its contents
            </label>
            <button
              type="button"
              className="button button-ghost button-tiny"
              aria-controls={`${id}-text`}
              onClick={() => setShown((s) => !s)}
            >
              {shown ? 'Hide values' : 'Show values'}
            </button>
          </div>
          <textarea
            ref={textRef}
            id={`${id}-text`}
            className={`input textarea mono${shown ? '' : ' masked-text'}`}
            rows={8}
            value={content}
            spellCheck={false}
            autoComplete="off"
            aria-invalid={readError ? true : undefined}
            aria-describedby={readError ? `${id}-error` : `${id}-hint`}
            disabled={request.busy}
            onChange={(event) => {
              setContent(event.target.value);
              setFileName(null);
              setReadError(null);
            }}
          />
          {readError ? (
            <p id={`${id}-error`} className="field-error">
              {readError}
            </p>
          ) : (
            <p id={`${id}-hint`} className="field-hint">
              {fileName ? `Read from ${quoted(fileName)}.` : 'Comments and blank lines are ignored.'}
            </p>
          )}
        </div>
        {errorCallout}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={close}>
            Cancel
          </button>
          <button type="button" className="button button-primary" disabled={request.busy} onClick={() => void preview()}>
            {request.busy ? 'Reading…' : 'Preview'}
          </button>
        </div>
      </div>
    </Dialog>
  );
}

/** What was stored, naming only the counts that are not zero. */
function importedSummary(created: number, updated: number): string {
  const parts = [
    created ? plural(created, 'new local secret') : null,
    updated ? `${plural(updated, 'new value')} for ${updated === 1 ? 'an existing one' : 'existing ones'} (the previous value kept)` : null,
  ].filter(Boolean);
  return parts.length ? `Imported: ${parts.join(' and ')}.` : 'Nothing was imported.';
}
