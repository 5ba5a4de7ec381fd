import { ariaCombo, displayCombo, SHORTCUTS } from '../lib/shortcuts';
import { syncActive, syncAll } from '../stores/actions';
import { useSync } from '../stores/sync';
import { useUi, type View } from '../stores/ui';
import { useActiveWorkspace, useWorkspaces } from '../stores/workspaces';

const titles: Record<View, string> = { secrets: 'Secrets', connections: 'Auth connections', workspaces: 'Workspaces' };

/** The view's title, what it shows, and the sync buttons. */
export function ContentHeader() {
  const view = useUi((s) => s.view);
  const scope = useUi((s) => s.scope);
  const isMac = useUi((s) => s.isMac);
  const active = useActiveWorkspace();
  const workspaces = useWorkspaces((s) => s.workspaces);
  const running = useSync((s) => s.running);
  const activeRunning = Boolean(active && running[active.id]);
  const allRunning = workspaces.length > 0 && workspaces.every((w) => running[w.id]);
  const context =
    view === 'workspaces'
      ? `${workspaces.length} on this computer`
      : scope === 'all'
        ? `All ${workspaces.length} workspaces`
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
          aria-keyshortcuts={ariaCombo(SHORTCUTS.syncActive, isMac)}
          title={active ? `Sync “${active.label}” (${displayCombo(SHORTCUTS.syncActive, isMac)})` : undefined}
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
          aria-keyshortcuts={ariaCombo(SHORTCUTS.syncAll, isMac)}
          title={`Sync every workspace (${displayCombo(SHORTCUTS.syncAll, isMac)})`}
        >
          Sync all
        </button>
      </div>
    </header>
  );
}

function SyncIcon({ spinning }: { spinning: boolean }) {
  return (
    <svg className={`button-icon${spinning ? ' spinning' : ''}`} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d="M20 12a8 8 0 0 1-14.3 4.9M4 12a8 8 0 0 1 14.3-4.9M18.5 3v4.2h-4.2M5.5 21v-4.2h4.2" />
    </svg>
  );
}
