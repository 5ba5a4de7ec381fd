import { useUi } from '../stores/ui';
import { AddWorkspaceDialog } from './dialogs/AddWorkspaceDialog';
import { RemoveDialog } from './dialogs/RemoveDialog';
import { RenameDialog } from './dialogs/RenameDialog';
import { ReplaceKeyDialog } from './dialogs/ReplaceKeyDialog';
import { ShortcutsDialog } from './dialogs/ShortcutsDialog';
import { CreateLocalSecretDialog } from '../views/local-secrets/CreateLocalSecretDialog';
import { ImportEnvDialog } from '../views/local-secrets/ImportEnvDialog';
import {
  DeleteLocalSecretDialog,
  EditLocalSecretDialog,
  RestorePreviousDialog,
  RotateDialog,
  TargetsDialog,
} from '../views/local-secrets/LocalSecretDialogs';
import { PushPlanDialog } from '../views/push/PushPlanDialog';
import { AdoptDialog } from '../views/secrets/AdoptDialog';
import { RestoreDialog } from '../views/backup/RestoreDialog';
import { VerifyDialog } from '../views/backup/VerifyDialog';

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
    case 'createLocalSecret':
      return <CreateLocalSecretDialog />;
    case 'editLocalSecret':
      return <EditLocalSecretDialog key={dialog.id} id={dialog.id} />;
    case 'localSecretTargets':
      return <TargetsDialog key={dialog.id} id={dialog.id} />;
    case 'rotateLocalSecret':
      return <RotateDialog key={dialog.id} id={dialog.id} />;
    case 'restorePrevious':
      return <RestorePreviousDialog key={dialog.id} id={dialog.id} />;
    case 'deleteLocalSecret':
      return <DeleteLocalSecretDialog key={dialog.id} id={dialog.id} />;
    case 'importEnv':
      return <ImportEnvDialog />;
    case 'pushPlan':
      return <PushPlanDialog scope={dialog.scope} />;
    case 'adoptRemoteSecret':
      return <AdoptDialog key={dialog.secretId} workspaceId={dialog.workspaceId} secretId={dialog.secretId} />;
    case 'restoreBackup':
      return <RestoreDialog />;
    case 'verifyBackup':
      return <VerifyDialog />;
    default:
      return null;
  }
}
