import { useEffect } from 'react';
import type { AuthConnectionRow } from '../../../../shared/schemas/auth-connections';
import { EmptyState } from '../../components/EmptyState';
import { ScopeSwitch } from '../../components/ScopeSwitch';
import { SearchBox } from '../../components/SearchBox';
import { useNow } from '../../hooks/useNow';
import { authTypeLabel, connectionDetails, connectionStatus } from '../../lib/auth-types';
import { fullDateTime, plural, quoted, relativeTime } from '../../lib/format';
import { syncActive, syncAll } from '../../stores/actions';
import { useConnections } from '../../stores/connections';
import { useSync } from '../../stores/sync';
import { useUi } from '../../stores/ui';
import { useActiveWorkspace, useWorkspaces } from '../../stores/workspaces';

/** The workspaces' auth connections as last synced: settings, status and who uses them. */
export function AuthConnectionsView() {
  const scope = useUi((s) => s.scope);
  const activeId = useWorkspaces((s) => s.activeWorkspaceId);
  const changeCount = useWorkspaces((s) => s.changeCount);
  const { query, setQuery, setScope, refresh } = useConnections();

  useEffect(() => {
    setScope(scope === 'all' ? null : activeId);
  }, [scope, activeId, setScope]);

  useEffect(() => {
    if (changeCount > 0) refresh();
  }, [changeCount, refresh]);

  return (
    <div className="connections-view">
      <div className="toolbar">
        <SearchBox label="Search auth connections" placeholder="Search auth connections by name" value={query} onSearch={setQuery} controls="connections-list" />
        <ScopeSwitch />
      </div>
      <ConnectionsBody />
    </div>
  );
}

function ConnectionsBody() {
  const { connections, status, error, answeredQuery, workspaceId, refresh } = useConnections();
  const workspaces = useWorkspaces((s) => s.workspaces);
  const active = useActiveWorkspace();
  const syncing = useSync((s) => Object.keys(s.running).length > 0);
  const allScope = workspaceId === null;

  if (status === 'error' && error) {
    return (
      <EmptyState title="The saved auth connections could not be read" icon="!" tone="error">
        <p>{error.message}</p>
        <button type="button" className="button" onClick={refresh}>
          Try again
        </button>
      </EmptyState>
    );
  }
  if (status === 'loading' || status === 'idle') {
    return (
      <div className="connection-list" aria-busy="true">
        <span className="visually-hidden">Loading auth connections…</span>
        {[0, 1, 2].map((i) => (
          <div key={i} className="card card-skeleton" aria-hidden="true">
            <span className="skeleton skeleton-title" />
            <span className="skeleton skeleton-meta" />
          </div>
        ))}
      </div>
    );
  }

  const present = connections.filter((c) => !c.removedRemotelyAt).length;
  const removed = connections.length - present;
  let countText = plural(present, 'auth connection');
  if (removed) countText += `, ${new Intl.NumberFormat().format(removed)} removed remotely`;

  if (connections.length === 0) {
    if (answeredQuery) {
      return (
        <>
          <p className="result-count" aria-live="polite">
            No auth connections match {quoted(answeredQuery)}
          </p>
          <EmptyState title={`No auth connections match ${quoted(answeredQuery)}`} icon="⌕">
            <p>Try another name.</p>
          </EmptyState>
        </>
      );
    }
    const neverSynced = allScope ? workspaces.every((w) => w.sync.lastSuccessAt === null) : active?.sync.lastSuccessAt === null;
    return (
      <>
        <p className="result-count" aria-live="polite">
          No auth connections
        </p>
        <EmptyState title={allScope ? 'No auth connections in any workspace.' : 'No auth connections in this workspace.'} icon="○">
          {neverSynced ? (
            <>
              <p>Nothing has been synced yet. Sync to save the auth connections on this computer.</p>
              <button type="button" className="button button-primary" disabled={syncing} onClick={allScope ? syncAll : syncActive}>
                {syncing ? 'Syncing…' : allScope ? 'Sync every workspace' : 'Sync this workspace'}
              </button>
            </>
          ) : (
            <p>Auth connections made in the ElevenLabs dashboard or through the API appear here after a sync.</p>
          )}
        </EmptyState>
      </>
    );
  }

  const labelOf = (id: string) => workspaces.find((w) => w.id === id)?.label ?? 'Removed workspace';
  return (
    <>
      <p className="result-count" aria-live="polite">
        {countText}
      </p>
      <ul className="connection-list" id="connections-list" aria-label="Auth connections">
        {connections.map((c) => (
          <ConnectionCard key={`${c.workspaceId}:${c.connectionId}`} connection={c} workspaceLabel={allScope ? labelOf(c.workspaceId) : null} />
        ))}
      </ul>
    </>
  );
}

function ConnectionCard({ connection: c, workspaceLabel }: { connection: AuthConnectionRow; workspaceLabel: string | null }) {
  const now = useNow();
  const status = connectionStatus(c.status);
  const details = connectionDetails(c.details);
  const users = [
    ...c.usedBy.tools.map((t) => ({ kind: 'Tool', ...t })),
    ...c.usedBy.mcpServers.map((t) => ({ kind: 'MCP server', ...t })),
    ...c.usedBy.integrationConnections.map((t) => ({ kind: 'Integration', ...t })),
  ];
  const titleId = `conn-${c.workspaceId}-${c.connectionId}`;
  return (
    <li className={`card connection${c.removedRemotelyAt ? ' is-removed' : ''}`} aria-labelledby={titleId}>
      <div className="connection-head">
        <div className="connection-title">
          <h3 id={titleId}>{c.name}</h3>
          <div className="connection-sub">
            <span>{authTypeLabel(c.authType)}</span>
            {c.provider ? <span> · {c.provider}</span> : null}
            {workspaceLabel ? <span className="chip">{workspaceLabel}</span> : null}
          </div>
        </div>
        <div className="connection-badges">
          {c.removedRemotelyAt ? <span className="badge badge-warn">Removed remotely</span> : null}
          {c.readOnly ? (
            <span className="badge" title="Created in the ElevenLabs dashboard or by an integration: the API cannot change it.">
              Read-only
            </span>
          ) : null}
          <span className={`status-pill tone-${status.tone}`}>
            <span aria-hidden="true">{status.glyph}</span> {status.label}
          </span>
        </div>
      </div>
      {c.statusDetail ? <p className={`connection-status-detail tone-${status.tone}`}>{c.statusDetail}</p> : null}
      {c.removedRemotelyAt ? (
        <p className="connection-status-detail tone-warn">
          The sync of {fullDateTime(c.removedRemotelyAt)} no longer found it in the workspace.
        </p>
      ) : null}
      <div className="connection-grid">
        {details.length ? (
          <dl className="facts facts-compact">
            {details.map((d) => (
              <div key={d.key} className="fact">
                <dt>{d.label}</dt>
                <dd className={d.mono ? 'mono selectable' : 'selectable'}>{d.value}</dd>
              </div>
            ))}
          </dl>
        ) : (
          <p className="muted">No settings to show: secrets and tokens are never returned by ElevenLabs.</p>
        )}
        <div className="connection-users">
          <div className="facts-label">Used by</div>
          {users.length ? (
            <ul className="user-list">
              {users.map((u) => (
                <li key={`${u.kind}:${u.id}`}>
                  <span className="muted">{u.kind}</span> {u.name ?? <span className="mono">{u.id}</span>}
                </li>
              ))}
            </ul>
          ) : (
            <p className="unused">Unused</p>
          )}
        </div>
      </div>
      <p className="connection-foot muted">
        <span className="mono">{c.connectionId}</span> · first seen {relativeTime(c.firstSeenAt, now)}
      </p>
    </li>
  );
}
