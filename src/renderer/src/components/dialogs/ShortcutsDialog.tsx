import { useIsMac } from '../../queries/workspaces';
import { useUi } from '../../stores/ui';
import { ShortcutTable } from '../ShortcutTable';
import { Dialog } from '../Dialog';

export function ShortcutsDialog() {
  const close = useUi((s) => s.closeDialog);
  const isMac = useIsMac();
  return (
    <Dialog title="Keyboard shortcuts" onClose={close} size="small">
      <ShortcutTable isMac={isMac} />
      <div className="dialog-actions">
        <button type="button" className="button button-primary" onClick={close}>
          Done
        </button>
      </div>
    </Dialog>
  );
}
