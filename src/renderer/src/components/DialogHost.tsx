import { useUi } from '../stores/ui';
import { AddWorkspaceDialog } from './dialogs/AddWorkspaceDialog';
import { RemoveDialog } from './dialogs/RemoveDialog';
import { RenameDialog } from './dialogs/RenameDialog';
import { ReplaceKeyDialog } from './dialogs/ReplaceKeyDialog';
import { ShortcutsDialog } from './dialogs/ShortcutsDialog';

/** The one open dialog, if any. */
export function DialogHost() {
  const dialog = useUi((s) => s.dialog);
  switch (dialog?.kind) {
    case 'add':
      return <AddWorkspaceDialog />;
    case 'rename':
      return <RenameDialog key={dialog.workspaceId} workspaceId={dialog.workspaceId} />;
    case 'replaceKey':
      return <ReplaceKeyDialog key={dialog.workspaceId} workspaceId={dialog.workspaceId} />;
    case 'remove':
      return <RemoveDialog key={dialog.workspaceId} workspaceId={dialog.workspaceId} />;
    case 'shortcuts':
      return <ShortcutsDialog />;
    default:
      return null;
  }
}
