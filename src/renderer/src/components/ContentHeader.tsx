import { ariaCombo, comboOf, displayCombo } from '../lib/shortcuts';
import { useSyncActivity } from '../queries/syncActivity';
import { useActiveWorkspace, useIsMac, useWorkspaceList } from '../queries/workspaces';
import { syncActive, syncAll } from '../stores/actions';
import { useUi, type View } from '../stores/ui';
import { SyncIcon } from './SyncIcon';

const titles: Record<View, string> = {
  secrets: 'Secrets',
  connections: 'Auth connections',
  'local-secrets': 'Local secrets',
  accounts: 'Linked accounts',
  review: 'Review',
  activity: 'Activity',
  workspaces: 'Workspaces',
  settings: 'Settings',
};

/** "All workspaces" when there is one, "All 3 workspaces" otherwise. */
function allWorkspacesText(count: number): string {
  return count === 1 ? 'All workspaces' : `All ${count} workspaces`;
}

/** The view's title, what it shows, and the sync buttons. */
export function ContentHeader() {
  const view = useUi((s) => s.view);
  const scope = useUi((s) => s.scope);
  const isMac = useIsMac();
  const active = useActiveWorkspace();
  const workspaces = useWorkspaceList();
  const { running } = useSyncActivity();
  const activeRunning = Boolean(active && running[active.id]);
  const allRunning = workspaces.length > 0 && workspaces.every((w) => running[w.id]);
  const context =
    view === 'workspaces'
      ? `${workspaces.length} on this computer`
      : view === 'local-secrets' || view === 'settings' || view === 'accounts'
        ? 'On this computer'
        : view === 'review' || view === 'activity'
          ? allWorkspacesText(workspaces.length)
          : scope === 'all'
            ? allWorkspacesText(workspaces.length)
            : (active?.label ?? '');

  return (
    <header className="content-header">
      <div className="content-title">
        <h1 id="main-heading" tabIndex={-1}>
          {titles[view]}
        </h1>
        <span className="content-context">{context}</span>
      </div>
      <div className="header-actions">
        <button
          type="button"
          className="button"
          onClick={() => !activeRunning && syncActive()}
          disabled={!active}
          aria-disabled={activeRunning || undefined}
          aria-keyshortcuts={ariaCombo(comboOf('sync-active'), isMac)}
          title={active ? `Sync “${active.label}” (${displayCombo(comboOf('sync-active'), isMac)})` : undefined}
        >
          <SyncIcon spinning={activeRunning} />
          Sync
        </button>
        <button
          type="button"
          className="button"
          onClick={() => !allRunning && syncAll()}
          disabled={workspaces.length === 0}
          aria-disabled={allRunning || undefined}
          aria-keyshortcuts={ariaCombo(comboOf('sync-all'), isMac)}
          title={`Sync every workspace (${displayCombo(comboOf('sync-all'), isMac)})`}
        >
          Sync all
        </button>
      </div>
    </header>
  );
}
