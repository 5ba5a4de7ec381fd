import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import { createPortal } from 'react-dom';
import type { BackupReceipt } from '../../../../shared/schemas/backup';
import { useNow } from '../../hooks/useNow';
import { call, toIpcError } from '../../keyring';
import { fullDateTime, plural, relativeTime } from '../../lib/format';
import { lastVerifiedBackupQuery } from '../../queries/backup';
import { queryClient } from '../../queries/client';
import { useUi } from '../../stores/ui';
import { progressText } from './backup-text';
import { useBackupProgress } from './useBackupProgress';

type Secret = { passphrase: string; words: number; bits: number } | { identity: string; recipient: string };

/**
 * Settings › Backup: when the last verified backup was made (only what the app knows), a new
 * backup with a generated passphrase (or a recovery key) shown once with Copy and a printable
 * sheet, Verify, and Restore.
 */
export function BackupSection() {
  const id = useId();
  const now = useNow(60_000);
  const notify = useUi((s) => s.notify);
  const openDialog = useUi((s) => s.openDialog);
  const last = useQuery(lastVerifiedBackupQuery);
  const [mode, setMode] = useState<'passphrase' | 'recovery_key'>('passphrase');
  const [secret, setSecret] = useState<Secret | null>(null);
  const [includeRefreshTokens, setIncludeRefreshTokens] = useState(false);
  const [receipt, setReceipt] = useState<BackupReceipt | null>(null);
  const [sheet, setSheet] = useState<string | null>(null);

  const generate = useMutation({
    mutationFn: async (): Promise<Secret> =>
      mode === 'passphrase' ? call((api) => api.backup.generatePassphrase({})) : call((api) => api.backup.generateRecoveryKey({})),
    onSuccess: (generated) => {
      setSecret(generated);
      setReceipt(null);
    },
  });
  const copy = useMutation({
    mutationFn: (text: string) => call((api) => api.backup.copySecret({ secret: text })),
    onSuccess: ({ clearsAt }) =>
      notify('success', `Copied. The clipboard is cleared in ${Math.max(1, Math.round((clearsAt - Date.now()) / 1000))} s.`),
    onError: (error) => notify('error', `Could not copy: ${toIpcError(error).message}`),
  });
  const create = useMutation({
    mutationFn: (given: Secret) =>
      call((api) =>
        api.backup.create({
          key: 'passphrase' in given ? { passphrase: given.passphrase } : { recipient: given.recipient },
          includeRefreshTokens,
        }),
      ),
    onSuccess: (reply) => {
      if (!reply.saved) {
        notify('info', 'No backup was made: the Save dialog was cancelled.');
        return;
      }
      setReceipt(reply.receipt);
      void queryClient.invalidateQueries({ queryKey: lastVerifiedBackupQuery.queryKey });
      void queryClient.invalidateQueries({ queryKey: ['review'] });
      void queryClient.invalidateQueries({ queryKey: ['activity'] });
    },
  });
  const print = useMutation({
    mutationFn: (request: { secret: Secret; receipt: BackupReceipt }) =>
      call((api) =>
        api.backup.recoverySheet({
          secret: 'passphrase' in request.secret ? { passphrase: request.secret.passphrase } : { identity: request.secret.identity },
          file: request.receipt.file,
          createdAt: request.receipt.createdAt,
          hostname: request.receipt.hostname,
        }),
      ),
    onSuccess: (made) => setSheet(made.text),
    onError: (error) => notify('error', `The recovery sheet could not be made: ${toIpcError(error).message}`),
  });
  const progress = useBackupProgress(create.isPending);

  // The sheet is on the page only while printing (print styles show it alone), then gone.
  useEffect(() => {
    if (sheet === null) return;
    document.body.classList.add('printing-sheet');
    const timer = setTimeout(() => {
      window.print();
      document.body.classList.remove('printing-sheet');
      setSheet(null);
    }, 0);
    return () => {
      clearTimeout(timer);
      document.body.classList.remove('printing-sheet');
    };
  }, [sheet]);

  const forget = () => {
    setSecret(null);
    setReceipt(null);
    create.reset();
  };
  const secretText = secret ? ('passphrase' in secret ? secret.passphrase : secret.identity) : '';
  const secretLabel = mode === 'passphrase' ? 'Passphrase' : 'Recovery key';
  const lastBackup = last.data;

  return (
    <section className="card settings-card backup-section" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="card-title">
        Backup
      </h2>
      <p className="backup-last" role="status">
        Last verified backup:{' '}
        {last.isPending ? (
          '…'
        ) : last.isError ? (
          'unknown (it could not be read)'
        ) : lastBackup ? (
          <>
            <time dateTime={new Date(lastBackup.createdAt).toISOString()} title={fullDateTime(lastBackup.createdAt)}>
              {relativeTime(lastBackup.createdAt, now)}
            </time>{' '}
            ({plural(lastBackup.counts.credentials, 'value')}, <span className="mono">{lastBackup.file}</span>)
          </>
        ) : (
          'never'
        )}
      </p>
      <p className="field-hint">
        ElevenLabs never gives a secret’s value back, so for values kept here this computer holds the only copy. A backup is one file,
        encrypted with the standard age format: it opens in Agent Keyring on any computer, or with the age tool.
      </p>

      {receipt && secret ? (
        <div className="callout callout-success" role="status">
          <p>
            <strong>Backup made and checked.</strong> {plural(receipt.counts.credentials, 'value')} in{' '}
            <span className="mono">{receipt.file}</span>
            {Object.keys(receipt.counts.leftOut).length ? '; refresh tokens left out (linked accounts will need reconnecting)' : ''}.
          </p>
          <p>Print the recovery sheet or write the {secretLabel.toLowerCase()} down now: it is not shown again.</p>
          <div className="backup-actions">
            <button type="button" className="button" onClick={() => print.mutate({ secret, receipt })} disabled={print.isPending}>
              Print recovery sheet
            </button>
            <button type="button" className="button button-primary" onClick={forget}>
              Done (forget the {secretLabel.toLowerCase()})
            </button>
          </div>
        </div>
      ) : (
        <div className="backup-create">
          <fieldset className="checkbox-group" disabled={create.isPending}>
            <legend>Protect the backup with</legend>
            <label className="checkbox-line">
              <input
                type="radio"
                name={`${id}-mode`}
                checked={mode === 'passphrase'}
                onChange={() => {
                  setMode('passphrase');
                  setSecret(null);
                }}
              />
              A generated passphrase (six words)
            </label>
            <label className="checkbox-line">
              <input
                type="radio"
                name={`${id}-mode`}
                checked={mode === 'recovery_key'}
                onChange={() => {
                  setMode('recovery_key');
                  setSecret(null);
                }}
              />
              A recovery key (for backups taken without typing a passphrase)
            </label>
          </fieldset>
          {secret ? (
            <div className="field">
              <label className="field-label" htmlFor={`${id}-secret`}>
                {secretLabel} (shown only now)
              </label>
              <div className="key-input">
                <input id={`${id}-secret`} className="input mono backup-secret" readOnly value={secretText} spellCheck={false} />
                <button type="button" className="button button-small" onClick={() => copy.mutate(secretText)} disabled={copy.isPending}>
                  Copy {secretLabel.toLowerCase()}
                </button>
              </div>
              <p className="field-hint">
                {'passphrase' in secret
                  ? `${secret.words} words, about ${secret.bits} bits. `
                  : 'The backup is encrypted to this key’s public half; the app keeps neither half. '}
                Agent Keyring cannot open the backup without it and keeps no copy.
              </p>
            </div>
          ) : null}
          <label className="checkbox-line">
            <input
              type="checkbox"
              checked={includeRefreshTokens}
              disabled={create.isPending}
              onChange={(event) => setIncludeRefreshTokens(event.target.checked)}
            />
            Include refresh tokens (linked accounts keep working after a restore; otherwise they need reconnecting, which is safer)
          </label>
          {create.isPending ? (
            <p className="backup-progress" role="status">
              <span className="spinner" aria-hidden="true" /> {progressText(progress, 'backup')}
            </p>
          ) : null}
          {create.isError ? (
            <div className="callout callout-error" role="alert">
              {toIpcError(create.error).message}
            </div>
          ) : null}
          {generate.isError ? (
            <div className="callout callout-error" role="alert">
              {toIpcError(generate.error).message}
            </div>
          ) : null}
          <div className="backup-actions">
            <button type="button" className="button" onClick={() => generate.mutate()} disabled={generate.isPending || create.isPending}>
              {secret ? `Generate another ${secretLabel.toLowerCase()}` : `Generate a ${secretLabel.toLowerCase()}`}
            </button>
            <button
              type="button"
              className="button button-primary"
              disabled={!secret || create.isPending}
              onClick={() => secret && create.mutate(secret)}
            >
              {create.isPending ? 'Backing up…' : 'Create backup…'}
            </button>
          </div>
        </div>
      )}

      <div className="backup-actions backup-other">
        <button type="button" className="button" onClick={() => openDialog({ kind: 'verifyBackup' })}>
          Verify backup…
        </button>
        <button type="button" className="button" onClick={() => openDialog({ kind: 'restoreBackup' })}>
          Restore from a backup…
        </button>
      </div>
      {sheet !== null ? createPortal(<pre className="print-sheet">{sheet}</pre>, document.body) : null}
    </section>
  );
}
