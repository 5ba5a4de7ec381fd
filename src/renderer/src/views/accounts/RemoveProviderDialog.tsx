import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Dialog } from '../../components/Dialog';
import { call, toIpcError } from '../../keyring';
import { quoted } from '../../lib/format';
import { invalidateAccounts, useAccounts } from '../../queries/accounts';
import { useUi } from '../../stores/ui';
import { closeAccountsDialog } from './dialogs';

/** Forgets a provider and its client secret, after a confirmation; main refuses while accounts use it. */
export function RemoveProviderDialog({ providerId }: { providerId: string }) {
  const notify = useUi((s) => s.notify);
  const data = useAccounts().data;
  const provider = data?.providers.find((p) => p.id === providerId);
  const linked = data?.accounts.filter((a) => a.providerId === providerId) ?? [];
  const cancelRef = useRef<HTMLButtonElement>(null);
  const [name] = useState(provider?.name ?? '');
  const remove = useMutation({ mutationFn: () => call((api) => api.accounts.removeProvider({ providerId })) });

  useEffect(() => {
    if (data && !provider && remove.isIdle) closeAccountsDialog();
  }, [data, provider, remove.isIdle]);

  return (
    <Dialog
      title={`Remove ${quoted(name)}?`}
      role="alertdialog"
      onClose={closeAccountsDialog}
      initialFocusRef={cancelRef}
      describedBy="remove-provider-explanation"
      size="small"
      busy={remove.isPending}
    >
      <div id="remove-provider-explanation" className="dialog-intro dialog-paragraphs">
        <p>
          Its settings are removed from this computer{provider?.hasClientSecret ? ', and its client secret from the system keychain' : ''}.
          Your OAuth app at the provider stays as it is.
        </p>
        {linked.length ? (
          <p className="tone-warn">
            Linked through it: {linked.map((a) => a.personLabel).join(', ')}. Accounts must be unlinked before their provider is removed.
          </p>
        ) : null}
      </div>
      {remove.isError ? (
        <div className="callout callout-error" role="alert">
          <p>
            <strong>Not removed.</strong> {toIpcError(remove.error).message}
          </p>
        </div>
      ) : null}
      <div className="dialog-actions">
        <button ref={cancelRef} type="button" className="button" onClick={closeAccountsDialog}>
          Cancel
        </button>
        <button
          type="button"
          className="button button-danger"
          disabled={remove.isPending}
          onClick={() =>
            remove.mutate(undefined, {
              onSuccess: () => {
                invalidateAccounts();
                notify('success', `Removed the provider ${quoted(name)}.`);
                closeAccountsDialog();
              },
            })
          }
        >
          {remove.isPending ? 'Removing…' : 'Remove provider'}
        </button>
      </div>
    </Dialog>
  );
}
