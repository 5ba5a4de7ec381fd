import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Dialog } from '../../components/Dialog';
import { call, toIpcError } from '../../keyring';
import { fullDateTime, plural } from '../../lib/format';
import { lastVerifiedBackupQuery } from '../../queries/backup';
import { queryClient } from '../../queries/client';
import { useUi } from '../../stores/ui';
import { progressText, refusalTitle } from './backup-text';
import { OpenKeyFields, openKeyOf, type KeyKind } from './OpenKeyFields';
import { useBackupProgress } from './useBackupProgress';

/** Verify backup: opens a backup file and checks all of it, as a restore would, writing nothing. */
export function VerifyDialog() {
  const close = useUi((s) => s.closeDialog);
  const last = useQuery(lastVerifiedBackupQuery).data ?? null;
  const [chosen, setChosen] = useState<string | null>(null);
  const file = chosen ?? last?.file ?? null;
  const [kind, setKind] = useState<KeyKind>('passphrase');
  const [key, setKey] = useState('');
  const [keyError, setKeyError] = useState<string | null>(null);

  const choose = useMutation({
    mutationFn: () => call((api) => api.backup.chooseFile({})),
    onSuccess: (reply) => {
      if (reply.file) setChosen(reply.file);
    },
  });
  const verify = useMutation({
    mutationFn: (request: { file: string; kind: KeyKind; key: string }) =>
      call((api) => api.backup.verify({ file: request.file, key: openKeyOf(request.kind, request.key) })),
    onSuccess: () => {
      setKey('');
      void queryClient.invalidateQueries({ queryKey: lastVerifiedBackupQuery.queryKey });
      void queryClient.invalidateQueries({ queryKey: ['review'] });
      void queryClient.invalidateQueries({ queryKey: ['activity'] });
    },
  });
  const progress = useBackupProgress(verify.isPending);
  const busy = verify.isPending || choose.isPending;
  const error = verify.isError ? toIpcError(verify.error) : null;

  return (
    <Dialog title="Verify a backup" onClose={close} busy={verify.isPending}>
      <form
        className="dialog-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (!file) return;
          if (key.trim() === '') {
            setKeyError(kind === 'passphrase' ? 'Enter the passphrase of this backup.' : 'Enter the recovery key of this backup.');
            return;
          }
          setKeyError(null);
          verify.mutate({ file, kind, key });
        }}
      >
        <p className="dialog-intro">Opens the file and checks every part of it, as a restore would. Nothing is written.</p>
        <div className="field">
          <span className="field-label" id="verify-file-label">
            Backup file
          </span>
          <div className="backup-file">
            <span className="mono backup-file-path" aria-labelledby="verify-file-label" role="status">
              {file ?? 'No file chosen'}
            </span>
            <button type="button" className="button" onClick={() => choose.mutate()} disabled={busy}>
              {file ? 'Choose another file…' : 'Choose a backup file…'}
            </button>
          </div>
        </div>
        <OpenKeyFields
          kind={kind}
          text={key}
          onKind={(next) => {
            setKind(next);
            verify.reset();
          }}
          onText={(text) => {
            setKey(text);
            setKeyError(null);
          }}
          disabled={busy}
          error={keyError}
        />
        {verify.isPending ? (
          <p className="backup-progress" role="status">
            <span className="spinner" aria-hidden="true" /> {progressText(progress, 'verify')}
          </p>
        ) : null}
        {verify.isSuccess ? (
          <div className="callout callout-success" role="status">
            <strong>Verified.</strong> Made {fullDateTime(verify.data.createdAt)} on {verify.data.hostname};{' '}
            {plural(verify.data.counts.credentials, 'value')} in it, every part checked.
            {verify.data.warnings.includes('weak_work_factor')
              ? ' Its key derivation is weaker than the app uses now: make a new backup.'
              : ''}
          </div>
        ) : null}
        {error ? (
          <div className="callout callout-error" role="alert">
            <strong>{refusalTitle(error)}.</strong> {error.message}
          </div>
        ) : null}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={close}>
            {verify.isSuccess ? 'Close' : 'Cancel'}
          </button>
          <button type="submit" className="button button-primary" disabled={!file || busy}>
            {verify.isPending ? 'Verifying…' : 'Verify'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
