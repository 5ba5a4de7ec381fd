import { ariaCombo, comboOf, displayCombo } from '../lib/shortcuts';
import { useSyncActivity } from '../queries/syncActivity';
import { useActiveWorkspace, useIsMac, useWorkspaceList } from '../queries/workspaces';
import { syncAll, syncShown } from '../stores/actions';
import { useUi } from '../stores/ui';
import { sectionOf, useShownWorkspaces } from '../views/sections';
import { SyncIcon } from './SyncIcon';

/** "All workspaces" when there is one, "All 3 workspaces" otherwise. */
function allWorkspacesText(count: number): string {
  return count === 1 ? 'All workspaces' : `All ${count} workspaces`;
}

/** The view's title, what it shows, and the sync buttons, which act on what it shows. */
export function ContentHeader() {
  const view = useUi((s) => s.view);
  const scope = useUi((s) => s.scope);
  const isMac = useIsMac();
  const active = useActiveWorkspace();
  const workspaces = useWorkspaceList();
  const shown = useShownWorkspaces();
  const { running } = useSyncActivity();
  const section = sectionOf(view);
  const allRunning = workspaces.length > 0 && workspaces.every((w) => running[w.id]);
  const activeRunning = Boolean(active && running[active.id]);
  const context =
    view === 'workspaces'
      ? `${workspaces.length} on this computer`
      : section.data === 'this-computer'
        ? 'On this computer'
        : section.data === 'all-workspaces' || scope === 'all'
          ? allWorkspacesText(workspaces.length)
          : (active?.label ?? '');
  const syncCombo = displayCombo(comboOf('sync-shown'), isMac);
  const allCombo = displayCombo(comboOf('sync-all'), isMac);

  return (
    <header className="content-header">
      <div className="content-title">
        <h1 id="main-heading" tabIndex={-1}>
          {section.label}
        </h1>
        <span className="content-context">{context}</span>
      </div>
      <div className="header-actions">
        {shown.all ? (
          // Every workspace is on screen: the one Sync syncs every one, and says so.
          <button
            type="button"
            className="button"
            onClick={() => !allRunning && syncShown()}
            aria-disabled={allRunning || undefined}
            aria-keyshortcuts={`${ariaCombo(comboOf('sync-shown'), isMac)} ${ariaCombo(comboOf('sync-all'), isMac)}`}
            title={`Sync all ${workspaces.length} workspaces (${syncCombo} or ${allCombo})`}
          >
            <SyncIcon spinning={workspaces.some((w) => running[w.id])} />
            Sync all {workspaces.length} workspaces
          </button>
        ) : (
          <>
            <button
              type="button"
              className="button"
              onClick={() => !activeRunning && syncShown()}
              disabled={!active}
              aria-disabled={activeRunning || undefined}
              aria-keyshortcuts={ariaCombo(comboOf('sync-shown'), isMac)}
              title={active ? `Sync “${active.label}” (${syncCombo})` : undefined}
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
              title={`Sync all ${workspaces.length === 1 ? '' : `${workspaces.length} `}workspaces (${allCombo})`}
            >
              Sync all
            </button>
          </>
        )}
      </div>
    </header>
  );
}
