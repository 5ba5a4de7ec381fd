import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Dialog } from '../../components/Dialog';
import { call, toIpcError } from '../../keyring';
import { quoted } from '../../lib/format';
import { invalidateAccounts, useAccounts } from '../../queries/accounts';
import { useWorkspaceList } from '../../queries/workspaces';
import { useUi } from '../../stores/ui';
import { closeAccountsDialog } from './dialogs';
import { accountName } from './providers';

/**
 * Unlinks an account after a confirmation: main revokes its tokens at the provider (where the
 * provider allows it) and removes them from the keychain. The outcome says whether they were revoked.
 */
export function UnlinkDialog({ accountId }: { accountId: string }) {
  const notify = useUi((s) => s.notify);
  const data = useAccounts().data;
  const account = data?.accounts.find((a) => a.id === accountId);
  const provider = data?.providers.find((p) => p.id === account?.providerId);
  const workspaces = useWorkspaceList();
  const cancelRef = useRef<HTMLButtonElement>(null);
  // The title keeps the name while the account disappears from the list.
  const [name] = useState(account ? accountName(account) : '');
  const unlink = useMutation({ mutationFn: () => call((api) => api.accounts.unlink({ accountId })) });

  useEffect(() => {
    if (data && !account && unlink.isIdle) closeAccountsDialog();
  }, [data, account, unlink.isIdle]);
  if (!account && unlink.isIdle) return null;

  const providerName = account?.providerName ?? provider?.name ?? 'the provider';
  const bindings = account?.bindings ?? [];
  const labelOf = (id: string) => workspaces.find((w) => w.id === id)?.label ?? 'a removed workspace';
  const confirm = () =>
    unlink.mutate(undefined, {
      onSuccess: ({ revoked }) => {
        invalidateAccounts();
        if (revoked) notify('success', `Unlinked ${name}: its tokens were revoked at ${providerName} and removed from the keychain.`);
        else
          notify(
            'warning',
            `Unlinked ${name}: its tokens were removed from the keychain but not revoked at ${providerName} (${
              provider?.revokeUrl === null ? 'it offers no revocation' : 'it could not be reached'
            }). Revoke the app’s access in the account’s settings there.`,
          );
        closeAccountsDialog();
      },
    });

  return (
    <Dialog
      title={`Unlink ${name}?`}
      role="alertdialog"
      onClose={closeAccountsDialog}
      initialFocusRef={cancelRef}
      describedBy="unlink-explanation"
      size="small"
      busy={unlink.isPending}
    >
      <div id="unlink-explanation" className="dialog-intro dialog-paragraphs">
        <p>
          Agent Keyring revokes its access and refresh tokens at {providerName} and removes them from the system keychain. Linking again
          means signing in again.
        </p>
        {provider && provider.revokeUrl === null ? (
          <p className="tone-warn">{providerName} offers no revocation: the tokens are only removed here.</p>
        ) : null}
        {bindings.length ? (
          <p>
            {bindings.length === 1 ? 'The workspace secret' : 'The workspace secrets'}{' '}
            {bindings.map((b) => `${quoted(b.secretName)} (${b.workspaceIds.map(labelOf).join(', ')})`).join(', ')}{' '}
            {bindings.length === 1
              ? 'stops being updated and keeps the revoked token in ElevenLabs; its local copy is deleted.'
              : 'stop being updated and keep the revoked token in ElevenLabs; their local copies are deleted.'}
          </p>
        ) : null}
      </div>
      {unlink.isError ? (
        <div className="callout callout-error" role="alert">
          {toIpcError(unlink.error).message}
        </div>
      ) : null}
      <div className="dialog-actions">
        <button ref={cancelRef} type="button" className="button" onClick={closeAccountsDialog}>
          Cancel
        </button>
        <button type="button" className="button button-danger" disabled={unlink.isPending} onClick={confirm}>
          {unlink.isPending ? 'Revoking…' : 'Unlink and revoke'}
        </button>
      </div>
    </Dialog>
  );
}
