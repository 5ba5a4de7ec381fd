import type { AuthConnectionRow, ListAuthConnectionsReply } from '../../../../shared/schemas/auth-connections';
import type { WorkspaceSummary } from '../../../../shared/schemas/workspaces';
import { EmptyState } from '../../components/EmptyState';
import { ExternalLink } from '../../components/ExternalLink';
import { ScrollRegion } from '../../components/ScrollRegion';
import { ScopeSwitch } from '../../components/ScopeSwitch';
import { SearchBox } from '../../components/SearchBox';
import { useNow } from '../../hooks/useNow';
import { toIpcError } from '../../keyring';
import { authTypeLabel, connectionDetails, connectionState } from '../../lib/auth-types';
import { dashboardFor, noDashboardText, readOnlyManagement } from '../../lib/dashboard-links';
import { formatNumber, fullDateTime, plural, quoted, relativeTime } from '../../lib/format';
import { creatableAuthTypes } from '../../../../shared/schemas/auth-connections';
import { cutAtWord } from '../../../../shared/text';
import { connectionFields, type ConnectionAuthType } from '../../../../shared/schemas/connection-definitions';
import { useAuthConnections } from '../../queries/connections';
import { useAllKeptConnections } from '../../queries/kept-connections';
import { useAnySyncing } from '../../queries/syncActivity';
import { secretsDenied, useActiveWorkspaceId, useWorkspaceList } from '../../queries/workspaces';
import { syncWorkspaces } from '../../stores/actions';
import { useBrowse } from '../../stores/browse';
import { openPushPlan } from '../../stores/local-secret-actions';
import { useUi } from '../../stores/ui';
import { openKeptDialog } from './kept-dialogs';
import { KeptConnectionDialogs } from './KeptConnectionDialogs';
import { KeptConnectionsSection } from './KeptConnectionsSection';
import { ReferringVariables } from '../variables/ReferringVariables';

/** The workspaces' auth connections as last synced: settings, status and who uses them. */
export function AuthConnectionsView() {
  const scope = useUi((s) => s.scope);
  const activeId = useActiveWorkspaceId();
  const query = useBrowse((s) => s.connectionsQuery);
  const setQuery = useBrowse((s) => s.setConnectionsQuery);
  const workspaceId = scope === 'all' ? null : activeId;

  return (
    // Focusable, so the list scrolls from the keyboard even where no card holds a link.
    <ScrollRegion className="connections-view" label="Auth connections, kept here and as last synced">
      <div className="toolbar">
        <SearchBox
          label="Search auth connections"
          placeholder="Search auth connections by name"
          value={query}
          onSearch={setQuery}
          controls="connections-list"
          resetKey={activeId}
        />
        <ScopeSwitch />
      </div>
      <KeptConnectionsSection query={query} />
      <ManagedInDashboard workspaceId={workspaceId} />
      <ConnectionsBody workspaceId={workspaceId} query={query} />
      <KeptConnectionDialogs />
    </ScrollRegion>
  );
}

/**
 * Nothing here edits an auth connection yet: said once for all of them, with the dashboard that
 * does (when the workspace has one).
 */
function ManagedInDashboard({ workspaceId }: { workspaceId: string | null }) {
  const workspace = useWorkspaceList().find((w) => w.id === workspaceId);
  const dashboard = workspace ? dashboardFor(workspace.residency) : null;
  return (
    <p className="connections-note muted">
      Below, the workspaces’ auth connections as last synced. One made in the dashboard can be kept here (with its secrets) to check it and
      push it to other workspaces; the others are managed in the ElevenLabs dashboard.{' '}
      {dashboard ? (
        <ExternalLink href={dashboard.agentSettings()}>Open the dashboard’s agent settings</ExternalLink>
      ) : workspace ? (
        noDashboardText(workspace.residency)
      ) : null}
    </p>
  );
}

/** "This key cannot read auth connections (it lacks workspace_read)". */
function unreadableText(permission: string | null): string {
  return `This key cannot read auth connections${permission ? ` (it lacks ${permission})` : ''}`;
}

function ConnectionsBody({ workspaceId, query }: { workspaceId: string | null; query: string }) {
  const result = useAuthConnections(workspaceId, query);
  const workspaces = useWorkspaceList();
  const syncing = useAnySyncing();

  if (result.isError && !result.data) {
    return (
      <EmptyState title="The saved auth connections could not be read" icon="!" tone="error">
        <p>{toIpcError(result.error).message}</p>
        <button type="button" className="button" onClick={() => void result.refetch()}>
          Try again
        </button>
      </EmptyState>
    );
  }
  if (!result.data) {
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

  const { connections, unreadable, query: answered, workspaceId: answeredScope } = result.data;
  const allScope = answeredScope === null;
  const shown = allScope ? workspaces : workspaces.filter((w) => w.id === answeredScope);
  const labelOf = (id: string) => workspaces.find((w) => w.id === id)?.label ?? 'Removed workspace';
  const present = connections.filter((c) => !c.removedRemotelyAt).length;
  const removed = connections.length - present;
  const parts = [plural(present, 'auth connection')];
  if (removed) parts.push(`${formatNumber(removed)} removed remotely`);
  if (allScope && unreadable.length) parts.push(`${plural(unreadable.length, 'workspace')} unreadable`);
  const countText = parts.join(', ');

  const unreadableNotice = unreadable.length ? (
    <UnreadableNotice unreadable={unreadable} allScope={allScope} labelOf={labelOf} hasList={connections.length > 0} />
  ) : null;

  if (connections.length === 0) {
    if (answered) {
      return (
        <>
          <p className="result-count" aria-live="polite">
            No auth connections match {quoted(answered)}
          </p>
          {unreadableNotice}
          <EmptyState title={`No auth connections match ${quoted(answered)}`} icon="⌕">
            <p>Try another part of the name: case, spaces, “-” and “_” do not matter.</p>
          </EmptyState>
        </>
      );
    }
    // Only unreadable workspaces: their list is unknown, not empty.
    if (unreadable.length && unreadable.length === shown.length) {
      return (
        <>
          <p className="result-count" aria-live="polite">
            {allScope ? countText : 'Auth connections unknown'}
          </p>
          {unreadableNotice}
        </>
      );
    }
    const syncable = shown.filter((w) => !secretsDenied(w));
    const neverSynced = shown.every((w) => w.sync.lastSuccessAt === null);
    return (
      <>
        <p className="result-count" aria-live="polite">
          {allScope && unreadable.length ? countText : 'No auth connections'}
        </p>
        {unreadableNotice}
        <EmptyState title={allScope ? 'No auth connections in any workspace.' : 'No auth connections in this workspace.'} icon="○">
          {neverSynced && syncable.length ? (
            <>
              <p>Nothing has been synced yet. Sync to save the auth connections on this computer.</p>
              <button
                type="button"
                className="button button-primary"
                disabled={syncing}
                onClick={() => void syncWorkspaces(syncable.map((w) => w.id))}
              >
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

  return (
    <>
      <p className="result-count" aria-live="polite">
        {countText}
      </p>
      {unreadableNotice}
      <ul className={`connection-list${result.isPlaceholderData ? ' is-stale' : ''}`} id="connections-list" aria-label="Auth connections">
        {connections.map((c) => (
          <ConnectionCard
            key={`${c.workspaceId}:${c.connectionId}`}
            connection={c}
            workspaceLabel={allScope ? labelOf(c.workspaceId) : null}
            residency={workspaces.find((w) => w.id === c.workspaceId)?.residency ?? null}
          />
        ))}
      </ul>
    </>
  );
}

function UnreadableNotice({
  unreadable,
  allScope,
  labelOf,
  hasList,
}: {
  unreadable: ListAuthConnectionsReply['unreadable'];
  allScope: boolean;
  labelOf(id: string): string;
  hasList: boolean;
}) {
  const openDialog = useUi((s) => s.openDialog);
  const workspaces = useWorkspaceList();
  const replaceable = (id: string) => workspaces.find((w: WorkspaceSummary) => w.id === id)?.residency !== 'demo';
  if (!allScope) {
    const [only] = unreadable;
    if (!only) return null;
    return (
      <div className="callout callout-warn unreadable">
        <p>
          <strong>{unreadableText(only.permission)}.</strong>
        </p>
        <p>
          {hasList ? 'These are the ones saved before; ' : 'So its auth connections are unknown, not absent; '}
          give the key that permission in ElevenLabs, or replace it, then sync.
        </p>
        {replaceable(only.workspaceId) ? (
          <button
            type="button"
            className="button button-small"
            onClick={() => openDialog({ kind: 'replaceKey', workspaceId: only.workspaceId })}
          >
            Replace key
          </button>
        ) : null}
      </div>
    );
  }
  return (
    <div className="callout callout-warn unreadable">
      <p>
        <strong>
          {unreadable.length === 1 ? 'One workspace is' : `${formatNumber(unreadable.length)} workspaces are`} not counted: its key cannot
          read auth connections.
        </strong>
      </p>
      <ul className="unreadable-list" aria-label="Workspaces whose auth connections are unknown">
        {unreadable.map((u) => (
          <li key={u.workspaceId}>
            {quoted(labelOf(u.workspaceId))}: {unreadableText(u.permission).replace(/^This key/, 'its key')}
          </li>
        ))}
      </ul>
    </div>
  );
}

function ConnectionCard({
  connection: c,
  workspaceLabel,
  residency,
}: {
  connection: AuthConnectionRow;
  workspaceLabel: string | null;
  residency: WorkspaceSummary['residency'] | null;
}) {
  const now = useNow();
  const state = connectionState(c, now);
  const expired = c.expiresAt !== null && c.expiresAt <= now;
  // Expired, invalid or failing: only a new sign-in in the dashboard mends it.
  const needsSignIn = !c.removedRemotelyAt && (expired || c.status === 'credential_invalid' || c.status === 'refresh_failed');
  const dashboard = residency ? dashboardFor(residency) : null;
  // Integration, WhatsApp, Slack bot and the like: listed with their status, managed in the dashboard.
  const managed = residency && !c.removedRemotelyAt ? readOnlyManagement(c.authType, residency) : null;
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
          <h2 id={titleId}>{c.name}</h2>
          <div className="connection-sub">
            <span>{authTypeLabel(c.authType)}</span>
            {c.provider ? <span> · {c.provider}</span> : null}
            {workspaceLabel ? <span className="chip">{workspaceLabel}</span> : null}
          </div>
        </div>
        <div className="connection-badges">
          {c.removedRemotelyAt ? <span className="badge badge-warn">Removed remotely</span> : null}
          <span className={`status-pill tone-${state.tone}`} title={c.expiresAt ? `Token expires ${fullDateTime(c.expiresAt)}` : undefined}>
            <span aria-hidden="true">{state.glyph}</span> {state.label}
          </span>
        </div>
      </div>
      {c.expiresAt !== null && c.expiresAt <= now ? (
        <p className="connection-status-detail tone-bad">
          Its token expired {relativeTime(c.expiresAt, now)} ({fullDateTime(c.expiresAt)}): calls that use it fail until it is signed in
          again.
        </p>
      ) : c.expiresAt !== null && state.label === 'Expires soon' ? (
        <p className="connection-status-detail tone-warn">
          Its token expires {relativeTime(c.expiresAt, now)} ({fullDateTime(c.expiresAt)}).
        </p>
      ) : null}
      {c.statusDetail ? <p className={`connection-status-detail tone-${state.tone}`}>{cutAtWord(c.statusDetail, 300)}</p> : null}
      {managed ? (
        <p className="connection-status-detail">
          {managed.label}
          {needsSignIn ? ', where it is signed in again' : ''}.{' '}
          {managed.href ? <ExternalLink href={managed.href}>Manage {c.name} in the dashboard</ExternalLink> : managed.note}
        </p>
      ) : needsSignIn ? (
        <p className="connection-status-detail">
          {dashboard ? (
            <ExternalLink href={dashboard.agentSettings()}>Sign {c.name} in again in the ElevenLabs dashboard</ExternalLink>
          ) : (
            `Sign it in again where it was made. ${residency ? noDashboardText(residency) : ''}`
          )}
        </p>
      ) : null}
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
          <ReferringVariables workspaceId={c.workspaceId} kind="auth_connection" id={c.connectionId} variant="card" />
        </div>
      </div>
      <p className="connection-foot muted">
        <span className="mono">{c.connectionId}</span> · first seen {relativeTime(c.firstSeenAt, now)}
      </p>
      {c.removedRemotelyAt ? null : <KeepHere connection={c} />}
      {c.removedRemotelyAt ? null : <DeleteFromElevenLabs connection={c} />}
    </li>
  );
}

const creatable = new Set<string>(creatableAuthTypes);
const camel = (key: string) => key.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());

/**
 * "Keep it here…" on a connection of a type this app can make, not yet kept here: its public
 * settings are filled in from the sync, its sensitive parts are asked for.
 */
function KeepHere({ connection: c }: { connection: AuthConnectionRow }) {
  const kept = useAllKeptConnections();
  if (!creatable.has(c.authType) || !kept.data) return null;
  const keptHere = kept.data.connections.find((k) =>
    k.targets.some((t) => t.workspaceId === c.workspaceId && t.remoteConnectionId === c.connectionId),
  );
  if (keptHere) return <p className="muted">Kept here as {quoted(keptHere.name)}.</p>;
  const authType = c.authType as ConnectionAuthType;
  const preset: Record<string, string | boolean> = { name: c.name, provider: c.provider ?? '' };
  for (const [key, value] of Object.entries(c.details)) {
    const field = camel(key);
    const info = connectionFields[authType][field];
    if (!info || info.sensitive) continue;
    if (typeof value === 'string' || typeof value === 'boolean') preset[field] = value;
    else if (typeof value === 'number') preset[field] = String(value);
  }
  return (
    <div className="card-actions">
      <button
        type="button"
        className="button button-small"
        onClick={() =>
          openKeptDialog({ kind: 'adopt', workspaceId: c.workspaceId, remoteConnectionId: c.connectionId, authType, name: c.name, preset })
        }
      >
        Keep {c.name} here…
      </button>
    </div>
  );
}

/**
 * "Delete … from ElevenLabs…" on a connection of a type this app can make: a plan of that one
 * deletion, which shows what uses it first and what ElevenLabs answered if it refused.
 */
function DeleteFromElevenLabs({ connection: c }: { connection: AuthConnectionRow }) {
  if (!creatable.has(c.authType)) return null;
  return (
    <div className="card-actions">
      <button
        type="button"
        className="button button-small button-danger"
        onClick={() =>
          openPushPlan({ kind: 'delete', what: 'connection', workspaceId: c.workspaceId, remoteId: c.connectionId, name: c.name })
        }
      >
        Delete {c.name} from ElevenLabs…
      </button>
    </div>
  );
}
