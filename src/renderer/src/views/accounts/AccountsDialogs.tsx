import { createPortal } from 'react-dom';
import { BindDialog } from './BindDialog';
import { useOpenAccountsDialog } from './dialogs';
import { LinkDialog } from './LinkDialog';
import { ProviderDialog } from './ProviderDialog';
import { RemoveProviderDialog } from './RemoveProviderDialog';
import { UnlinkDialog } from './UnlinkDialog';
import { VariablesDialog } from './VariablesDialog';

/**
 * The view's open dialog, rendered outside the app's tree (which is inert while a dialog is
 * open), like the app's own dialogs.
 */
export function AccountsDialogs() {
  const dialog = useOpenAccountsDialog();
  if (!dialog) return null;
  let content: React.ReactNode;
  switch (dialog.kind) {
    case 'provider':
      content = <ProviderDialog key={dialog.providerId ?? 'new'} providerId={dialog.providerId} />;
      break;
    case 'removeProvider':
      content = <RemoveProviderDialog key={dialog.providerId} providerId={dialog.providerId} />;
      break;
    case 'link':
      content = <LinkDialog key={dialog.reconnectAccountId ?? 'new'} request={dialog} />;
      break;
    case 'bind':
      content = (
        <BindDialog key={`${dialog.accountId}:${dialog.secretName ?? ''}`} accountId={dialog.accountId} secretName={dialog.secretName} />
      );
      break;
    case 'unlink':
      content = <UnlinkDialog key={dialog.accountId} accountId={dialog.accountId} />;
      break;
    case 'variables':
      content = <VariablesDialog key={dialog.personId} personId={dialog.personId} />;
      break;
  }
  return createPortal(content, document.body);
}
