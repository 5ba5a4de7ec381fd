import { useMutation } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import type { RestoreItem, RestorePlan, RestoreResult } from '../../../../shared/schemas/backup';
import { Dialog } from '../../components/Dialog';
import { call, toIpcError } from '../../keyring';
import { fullDateTime, plural, quoted } from '../../lib/format';
import { queryClient } from '../../queries/client';
import { lastVerifiedBackupQuery } from '../../queries/backup';
import { useUi } from '../../stores/ui';
import { actionLabels, actionSummary, progressText, refusalTitle } from './backup-text';
import { OpenKeyFields, openKeyOf, type KeyKind } from './OpenKeyFields';
import { useBackupProgress } from './useBackupProgress';

/** The word typed to confirm a replace. */
export const REPLACE_WORD = 'REPLACE';

/**
 * Restore from a backup: choose the file, enter its passphrase, and see the plan (what would be
 * added, what is unchanged, what conflicts, what is only here) before anything is written. Merge
 * by default; replacing conflicts needs the typed word and takes a safety backup first.
 */
export function RestoreDialog() {
  const close = useUi((s) => s.closeDialog);
  const [file, setFile] = useState<string | null>(null);
  const [kind, setKind] = useState<KeyKind>('passphrase');
  const [key, setKey] = useState('');
  const [keyError, setKeyError] = useState<string | null>(null);
  const [plan, setPlan] = useState<RestorePlan | null>(null);
  const [result, setResult] = useState<RestoreResult | null>(null);

  const choose = useMutation({
    mutationFn: () => call((api) => api.backup.chooseFile({})),
    onSuccess: (chosen) => {
      if (chosen.file) setFile(chosen.file);
    },
  });
  const open = useMutation({
    mutationFn: (request: { file: string; kind: KeyKind; key: string }) =>
      call((api) => api.backup.readAndPlan({ file: request.file, key: openKeyOf(request.kind, request.key) })),
    onSuccess: (planned) => {
      // The plan is shown; what was typed is not kept on screen.
      setKey('');
      setPlan(planned);
    },
  });
  const busy = open.isPending || choose.isPending;
  const progress = useBackupProgress(open.isPending);

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (!file) return;
    if (key.trim() === '') {
      setKeyError(kind === 'passphrase' ? 'Enter the passphrase of this backup.' : 'Enter the recovery key of this backup.');
      return;
    }
    setKeyError(null);
    open.mutate({ file, kind, key });
  };

  const openError = open.isError ? toIpcError(open.error) : null;
  let body: React.ReactNode;
  if (result && plan) {
    body = <RestoreDone plan={plan} result={result} onClose={close} />;
  } else if (plan) {
    body = <RestorePlanStep plan={plan} onBack={() => setPlan(null)} onRestored={setResult} onCancel={close} />;
  } else {
    body = (
      <form className="dialog-form" noValidate onSubmit={submit}>
        <p className="dialog-intro">
          Nothing is written until you have seen what the restore would do. Values already here are never deleted.
        </p>
        <div className="field">
          <span className="field-label" id="restore-file-label">
            Backup file
          </span>
          <div className="backup-file">
            <span className="mono backup-file-path" aria-labelledby="restore-file-label" role="status">
              {file ?? 'No file chosen'}
            </span>
            <button type="button" className="button" onClick={() => choose.mutate()} disabled={busy}>
              {file ? 'Choose another file…' : 'Choose a backup file…'}
            </button>
          </div>
          {choose.isError ? (
            <p className="field-error" role="alert">
              {toIpcError(choose.error).message}
            </p>
          ) : null}
        </div>
        <OpenKeyFields
          kind={kind}
          text={key}
          onKind={(next) => {
            setKind(next);
            open.reset();
          }}
          onText={(text) => {
            setKey(text);
            setKeyError(null);
          }}
          disabled={busy}
          error={keyError}
        />
        {open.isPending ? (
          <p className="backup-progress" role="status">
            <span className="spinner" aria-hidden="true" /> {progressText(progress, 'restore')}
          </p>
        ) : null}
        {openError ? (
          <div className="callout callout-error" role="alert">
            <strong>{refusalTitle(openError)}.</strong> {openError.message}
          </div>
        ) : null}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={!file || busy}>
            {open.isPending ? 'Opening…' : 'Open backup'}
          </button>
        </div>
      </form>
    );
  }

  return (
    <Dialog title="Restore from a backup" onClose={close} size="large" busy={open.isPending}>
      {body}
    </Dialog>
  );
}

function RestorePlanStep({
  plan,
  onBack,
  onRestored,
  onCancel,
}: {
  plan: RestorePlan;
  onBack(): void;
  onRestored(result: RestoreResult): void;
  onCancel(): void;
}) {
  const id = useId();
  const [mode, setMode] = useState<'merge' | 'replace'>('merge');
  const [typed, setTyped] = useState('');
  const confirmRef = useRef<HTMLInputElement>(null);
  const apply = useMutation({
    mutationFn: () =>
      call((api) => api.backup.applyRestore({ planId: plan.id, mode, confirmReplace: mode === 'replace' && typed === REPLACE_WORD })),
    onSuccess: (result) => {
      void queryClient.invalidateQueries({ queryKey: lastVerifiedBackupQuery.queryKey });
      onRestored(result);
    },
  });
  const progress = useBackupProgress(apply.isPending);
  const conflicts = plan.items.filter((item) => item.action === 'conflict');
  const nothingToDo = plan.actions.add === 0 && (mode === 'merge' || conflicts.length === 0);
  const replaceReady = mode === 'merge' || typed === REPLACE_WORD;
  const order: RestoreItem['action'][] = ['add', 'conflict', 'unchanged', 'only_here'];
  const items = [...plan.items].sort((a, b) => order.indexOf(a.action) - order.indexOf(b.action));
  const applyError = apply.isError ? toIpcError(apply.error) : null;

  return (
    <div className="plan">
      <p className="plan-summary" role="status">
        Backup made {fullDateTime(plan.createdAt)} on {plan.hostname} by Agent Keyring {plan.appVersion}: {actionSummary(plan.actions)}.
        Nothing is written until you restore.
      </p>
      {plan.warnings.includes('weak_work_factor') ? (
        <div className="callout callout-warn">
          This backup was made with a weaker key derivation than Agent Keyring uses now: a stolen copy is cheaper to attack. Make a new
          backup after restoring.
        </div>
      ) : null}
      {/* A long plan scrolls: focusable so the keyboard can scroll it too. */}
      {/* eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex */}
      <div className="plan-groups" tabIndex={0} role="region" aria-label="What the restore would do">
        <ul className="plan-items">
          {items.map((item, index) => (
            <li key={`${item.what}:${item.label}:${index}`} className={`plan-item action-${item.action}`}>
              <div className="plan-item-line">
                <span className={`plan-action restore-action-${item.action}`}>{actionLabels[item.action]}</span>
                <span className="plan-item-name">
                  <span className="muted">{item.what}</span> <span className="mono">{item.label}</span>
                </span>
                {item.credentials ? <span className="muted">{plural(item.credentials, 'value')}</span> : null}
              </div>
              {item.action === 'conflict' && item.differing.length ? (
                <p className="plan-item-reason">Differs here: {item.differing.join(', ')} (compared by fingerprint)</p>
              ) : null}
              {item.action === 'only_here' ? <p className="plan-item-reason">Not in the backup: kept as it is.</p> : null}
              {item.note ? <p className="plan-item-reason tone-warn">{capitalized(item.note)}</p> : null}
            </li>
          ))}
        </ul>
      </div>

      <fieldset className="checkbox-group" disabled={apply.isPending}>
        <legend>How to restore</legend>
        <label className="checkbox-line">
          <input type="radio" name={`${id}-mode`} checked={mode === 'merge'} onChange={() => setMode('merge')} />
          Merge: add what is missing, keep everything here as it is
        </label>
        <label className="checkbox-line">
          <input
            type="radio"
            name={`${id}-mode`}
            checked={mode === 'replace'}
            disabled={conflicts.length === 0}
            onChange={() => {
              setMode('replace');
              queueMicrotask(() => confirmRef.current?.focus());
            }}
          />
          Replace: conflicts take the backup’s values{conflicts.length === 0 ? ' (no conflicts)' : ''}
        </label>
      </fieldset>

      {mode === 'replace' ? (
        <div className="callout callout-warn">
          <p>
            Replaces the values here of {conflicts.map((c) => `${c.what.toLowerCase()} ${quoted(c.label)}`).join(', ')} with the backup’s.
            Anything using the current values (pushed secrets, agents) keeps the old ones until you push. A safety backup of this computer
            is taken first, with the same passphrase or key. Nothing only here is deleted.
          </p>
          <div className="field">
            <label htmlFor={`${id}-confirm`} className="field-label">
              Type {REPLACE_WORD} to confirm
            </label>
            <input
              ref={confirmRef}
              id={`${id}-confirm`}
              className="input mono"
              value={typed}
              onChange={(event) => setTyped(event.target.value)}
              autoComplete="off"
              spellCheck={false}
              disabled={apply.isPending}
            />
          </div>
        </div>
      ) : null}

      {apply.isPending ? (
        <p className="backup-progress" role="status">
          <span className="spinner" aria-hidden="true" /> {progressText(progress, 'restore')}
        </p>
      ) : null}
      {applyError ? (
        <div className="callout callout-error" role="alert">
          {applyError.message}
        </div>
      ) : null}

      <div className="dialog-actions">
        <button type="button" className="button" onClick={onCancel} disabled={apply.isPending}>
          Cancel
        </button>
        <button type="button" className="button" onClick={onBack} disabled={apply.isPending}>
          Back
        </button>
        <button
          type="button"
          className={`button ${mode === 'replace' ? 'button-danger' : 'button-primary'}`}
          disabled={apply.isPending || !replaceReady || nothingToDo}
          onClick={() => apply.mutate()}
        >
          {apply.isPending ? 'Restoring…' : nothingToDo ? 'Nothing to restore' : mode === 'replace' ? 'Replace and restore' : 'Restore'}
        </button>
      </div>
    </div>
  );
}

function RestoreDone({ plan, result, onClose }: { plan: RestorePlan; result: RestoreResult; onClose(): void }) {
  const setView = useUi((s) => s.setView);
  const restoredWorkspaces = plan.items.some((item) => item.what === 'Workspace' && item.action === 'add');
  return (
    <div className="plan">
      <div className="callout callout-success" role="status">
        <p>
          <strong>Restored.</strong> {plural(result.added, 'item')} added, {result.replaced} replaced, {result.unchanged} unchanged
          {result.conflictsKept ? `, ${plural(result.conflictsKept, 'conflict')} kept as here` : ''}
          {result.onlyHere ? `, ${result.onlyHere} only here left as they were` : ''}; {plural(result.credentialsWritten, 'value')} written
          to the keychain and read back.
        </p>
        {restoredWorkspaces ? <p>The restored workspace keys are being checked with ElevenLabs (a sync).</p> : null}
        {result.safetyBackup ? (
          <p>
            The state before was saved first in <span className="mono">{result.safetyBackup}</span>.
          </p>
        ) : null}
      </div>
      {result.needsReconnect ? (
        <div className="callout callout-warn">
          {result.needsReconnect === 1 ? '1 linked account needs' : `${result.needsReconnect} linked accounts need`} reconnecting: the
          backup did not hold refresh tokens.{' '}
          <button
            type="button"
            className="button button-small"
            onClick={() => {
              setView('accounts');
              onClose();
            }}
          >
            Open Linked accounts
          </button>
        </div>
      ) : null}
      <div className="dialog-actions">
        <button type="button" className="button button-primary" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
