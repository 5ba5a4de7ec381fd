import { useBrowse } from '../../stores/browse';
import { useUi } from '../../stores/ui';
import { openKeptDialog } from './kept-dialogs';

/**
 * Shows a connection by its name in Auth connections, across every workspace: the kept one and
 * the synced ones of that name (the view's search matches both).
 */
export function showConnection(name: string): void {
  const ui = useUi.getState();
  ui.setScope('all');
  useBrowse.getState().setConnectionsQuery(name);
  ui.setView('connections');
}

/** Shows a connection kept here and opens its Edit dialog (to give a new certificate). */
export function editKeptConnection(id: string, name: string): void {
  showConnection(name);
  openKeptDialog({ kind: 'edit', id });
}
