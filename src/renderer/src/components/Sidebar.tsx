import type { WorkspaceSummary } from '../../../shared/schemas/workspaces';
import { useNow } from '../hooks/useNow';
import { fullDateTime, relativeTime, shortRelativeTime } from '../lib/format';
import { ariaCombo, comboOf, displayCombo } from '../lib/shortcuts';
import { useIsSyncing } from '../queries/syncActivity';
import { lastSyncFailed, secretsDenied, useActiveWorkspaceId, useIsMac, useWorkspaceList } from '../queries/workspaces';
import { openAddWorkspace, switchToWorkspace } from '../stores/actions';
import { useUi, type View } from '../stores/ui';
import { sections } from '../views/sections';
import { Logo } from './Logo';

export function Sidebar() {
  const workspaces = useWorkspaceList();
  const activeId = useActiveWorkspaceId();
  const view = useUi((s) => s.view);
  const setView = useUi((s) => s.setView);
  const openDialog = useUi((s) => s.openDialog);
  const isMac = useIsMac();

  return (
    <aside className="sidebar" aria-label="Sidebar">
      <div className="brand">
        <Logo />
        <span className="brand-name">Agent Keyring</span>
      </div>

      <div className="sidebar-heading" id="switcher-heading">
        Workspaces
      </div>
      <div className="switcher" role="group" aria-labelledby="switcher-heading">
        {workspaces.length === 0 ? <p className="switcher-empty">No workspaces yet</p> : null}
        {workspaces.map((workspace, index) => (
          <WorkspaceButton
            key={workspace.id}
            workspace={workspace}
            active={workspace.id === activeId}
            shortcut={index < 9 ? `Mod+${index + 1}` : null}
            isMac={isMac}
          />
        ))}
      </div>
      <button
        type="button"
        className="button button-ghost add-workspace"
        onClick={openAddWorkspace}
        aria-keyshortcuts={ariaCombo(comboOf('add-workspace'), isMac)}
        title={`Add workspace (${displayCombo(comboOf('add-workspace'), isMac)})`}
      >
        <span aria-hidden="true" className="plus">
          +
        </span>
        Add workspace
      </button>

      <nav aria-label="Sections" className="sections">
        {sections.map((section) => (
          <button
            key={section.view}
            type="button"
            className="section-link"
            aria-current={view === section.view ? 'page' : undefined}
            onClick={() => setView(section.view)}
            aria-keyshortcuts={ariaCombo(comboOf(section.command), isMac)}
            title={`${section.label} (${displayCombo(comboOf(section.command), isMac)})`}
          >
            <SectionIcon view={section.view} />
            {section.label}
          </button>
        ))}
      </nav>

      <div className="sidebar-footer">
        <button type="button" className="link-button" onClick={() => openDialog({ kind: 'shortcuts' })}>
          Keyboard shortcuts
        </button>
      </div>
    </aside>
  );
}

function WorkspaceButton({
  workspace,
  active,
  shortcut,
  isMac,
}: {
  workspace: WorkspaceSummary;
  active: boolean;
  shortcut: string | null;
  isMac: boolean;
}) {
  const running = useIsSyncing(workspace.id);
  const now = useNow();
  const state = syncIndicator(workspace, running, now);
  const metaId = `ws-meta-${workspace.id}`;
  return (
    <button
      type="button"
      className="workspace-button"
      aria-current={active ? 'true' : undefined}
      aria-describedby={metaId}
      aria-keyshortcuts={shortcut ? ariaCombo(shortcut, isMac) : undefined}
      title={[shortcut ? `${workspace.label} (${displayCombo(shortcut, isMac)})` : workspace.label, state.title].filter(Boolean).join('\n')}
      onClick={() => void switchToWorkspace(workspace.id)}
    >
      <span className={`sync-dot sync-${state.tone}`} aria-hidden="true" />
      <span className="workspace-button-text">
        <span className="workspace-button-top">
          <span className="workspace-button-label">{workspace.label}</span>
          {shortcut ? (
            <kbd className="shortcut-hint" aria-hidden="true">
              {displayCombo(shortcut, isMac)}
            </kbd>
          ) : null}
        </span>
        {/* Its name is the visible label (WCAG 2.5.3); the status line is read once, as the description. */}
        <span className="workspace-button-meta" id={metaId} aria-hidden="true">
          {residencyShort[workspace.residency]} · {state.text}
        </span>
      </span>
    </button>
  );
}

const residencyShort: Record<WorkspaceSummary['residency'], string> = {
  default: 'Default',
  us: 'US',
  eu: 'EU',
  india: 'India',
  singapore: 'Singapore',
  custom: 'Custom URL',
  demo: 'Demo',
};

/**
 * A few words on each workspace, from what main recorded of it (its own reachability included),
 * short enough for the sidebar ("Synced 3 min ago"); the title has the time in full.
 */
function syncIndicator(workspace: WorkspaceSummary, running: boolean, now: number): { tone: string; text: string; title?: string } {
  if (running) return { tone: 'running', text: 'Syncing…' };
  if (workspace.reachability === 'unreachable') return { tone: 'offline', text: 'Offline' };
  if (secretsDenied(workspace)) return { tone: 'failed', text: 'Cannot read secrets' };
  if (lastSyncFailed(workspace)) return { tone: 'failed', text: 'Sync failed' };
  const at = workspace.sync.lastSuccessAt;
  if (at === null) return { tone: 'never', text: 'Never synced' };
  return { tone: 'ok', text: `Synced ${shortRelativeTime(at, now)}`, title: `Synced ${relativeTime(at, now)} (${fullDateTime(at)})` };
}

function SectionIcon({ view }: { view: View }) {
  const paths: Record<View, string> = {
    secrets: 'M7 10V7a5 5 0 0 1 10 0v3M5 10h14v10H5z M12 14v3',
    connections: 'M9 15l6-6M8 12l-2 2a3.5 3.5 0 0 0 5 5l2-2M16 12l2-2a3.5 3.5 0 0 0-5-5l-2 2',
    workspaces: 'M4 5h7v6H4zM13 5h7v6h-7zM4 13h7v6H4zM13 13h7v6h-7z',
    // A key: its ring, its shaft and two teeth (the old curve-and-bars read as a "€" sign).
    'local-secrets': 'M11 12a3.5 3.5 0 1 1-7 0 3.5 3.5 0 0 1 7 0zM11 12h10M17 12v3.5M20 12v2.5',
    accounts: 'M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM2 21a7 7 0 0 1 14 0M17 7a3 3 0 0 1 0 6M19 21a6 6 0 0 0-2-4.5',
    review: 'M12 3l9 16H3zM12 10v4M12 17v.5',
    activity: 'M3 12h4l3-8 4 16 3-8h4',
    // A grid: labels down the side, environments across.
    variables: 'M4 5h16v14H4zM4 10h16M4 15h16M9 5v14',
    settings: 'M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM12 2v3M12 19v3M2 12h3M19 12h3M4.9 4.9l2.1 2.1M17 17l2.1 2.1M4.9 19.1L7 17M17 7l2.1-2.1',
  };
  return (
    <svg className="section-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d={paths[view]} />
    </svg>
  );
}
