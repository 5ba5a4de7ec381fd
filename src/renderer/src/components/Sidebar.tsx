import type { WorkspaceSummary } from '../../../shared/schemas/workspaces';
import { useNow } from '../hooks/useNow';
import { relativeTime } from '../lib/format';
import { ariaCombo, displayCombo, SHORTCUTS } from '../lib/shortcuts';
import { openAddWorkspace, switchToWorkspace } from '../stores/actions';
import { useSync } from '../stores/sync';
import { useUi, type View } from '../stores/ui';
import { lastSyncFailed, useWorkspaces } from '../stores/workspaces';
import { Logo } from './Logo';

const sections: { view: View; label: string; combo: string }[] = [
  { view: 'secrets', label: 'Secrets', combo: SHORTCUTS.showSecrets },
  { view: 'connections', label: 'Auth connections', combo: SHORTCUTS.showConnections },
  { view: 'workspaces', label: 'Workspaces', combo: SHORTCUTS.showWorkspaces },
];

export function Sidebar() {
  const workspaces = useWorkspaces((s) => s.workspaces);
  const activeId = useWorkspaces((s) => s.activeWorkspaceId);
  const view = useUi((s) => s.view);
  const setView = useUi((s) => s.setView);
  const isMac = useUi((s) => s.isMac);
  const online = useUi((s) => s.online);
  const openDialog = useUi((s) => s.openDialog);

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
            online={online}
          />
        ))}
      </div>
      <button
        type="button"
        className="button button-ghost add-workspace"
        onClick={openAddWorkspace}
        aria-keyshortcuts={ariaCombo(SHORTCUTS.addWorkspace, isMac)}
        title={`Add workspace (${displayCombo(SHORTCUTS.addWorkspace, isMac)})`}
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
            aria-keyshortcuts={ariaCombo(section.combo, isMac)}
            title={`${section.label} (${displayCombo(section.combo, isMac)})`}
          >
            <SectionIcon view={section.view} />
            {section.label}
          </button>
        ))}
      </nav>

      <div className="sidebar-footer">
        <span className={`net-dot ${online ? 'net-online' : 'net-offline'}`} aria-hidden="true" />
        <span>{online ? 'Network connected' : 'No network'}</span>
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
  online,
}: {
  workspace: WorkspaceSummary;
  active: boolean;
  shortcut: string | null;
  isMac: boolean;
  online: boolean;
}) {
  const running = useSync((s) => Boolean(s.running[workspace.id]));
  const now = useNow();
  const state = syncIndicator(workspace, running, online, now);
  const metaId = `ws-meta-${workspace.id}`;
  return (
    <button
      type="button"
      className="workspace-button"
      aria-current={active ? 'true' : undefined}
      aria-label={workspace.label}
      aria-describedby={metaId}
      aria-keyshortcuts={shortcut ? ariaCombo(shortcut, isMac) : undefined}
      title={shortcut ? `${workspace.label} (${displayCombo(shortcut, isMac)})` : workspace.label}
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
        <span className="workspace-button-meta" id={metaId}>
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

function syncIndicator(workspace: WorkspaceSummary, running: boolean, online: boolean, now: number): { tone: string; text: string } {
  if (running) return { tone: 'running', text: 'Syncing…' };
  if (!online || workspace.reachability === 'unreachable') return { tone: 'offline', text: 'Offline' };
  if (lastSyncFailed(workspace)) return { tone: 'failed', text: 'Sync failed' };
  if (workspace.sync.lastSuccessAt === null) return { tone: 'never', text: 'Never synced' };
  return { tone: 'ok', text: `Synced ${relativeTime(workspace.sync.lastSuccessAt, now)}` };
}

function SectionIcon({ view }: { view: View }) {
  const paths: Record<View, string> = {
    secrets: 'M7 10V7a5 5 0 0 1 10 0v3M5 10h14v10H5z M12 14v3',
    connections: 'M9 15l6-6M8 12l-2 2a3.5 3.5 0 0 0 5 5l2-2M16 12l2-2a3.5 3.5 0 0 0-5-5l-2 2',
    workspaces: 'M4 5h7v6H4zM13 5h7v6h-7zM4 13h7v6H4zM13 13h7v6h-7z',
  };
  return (
    <svg className="section-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d={paths[view]} />
    </svg>
  );
}
