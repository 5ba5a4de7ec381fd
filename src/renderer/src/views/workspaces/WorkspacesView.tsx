import { useQuery } from '@tanstack/react-query';
import { Fragment } from 'react';
import { residencyLabels, type WorkspaceSummary } from '../../../../shared/schemas/workspaces';
import { ShortcutTable } from '../../components/ShortcutTable';
import { useNow } from '../../hooks/useNow';
import { formatNumber, fullDateTime, plural, quoted, relativeTime } from '../../lib/format';
import { displayCombo } from '../../lib/shortcuts';
import { problemText } from '../../lib/sync-text';
import { useIsSyncing } from '../../queries/syncActivity';
import { appInfoQuery, lastSyncCancelled, useActiveWorkspaceId, useIsMac, useWorkspaceList } from '../../queries/workspaces';
import { switchToWorkspace } from '../../stores/actions';
import { useUi } from '../../stores/ui';

/** "14 secrets, 2 removed remotely, 5 auth connections". */
function inventoryText(counts: { secretCount: number; removedSecretCount: number; authConnectionCount: number }): string {
  return [
    plural(counts.secretCount, 'secret'),
    counts.removedSecretCount ? `${formatNumber(counts.removedSecretCount)} removed remotely` : '',
    plural(counts.authConnectionCount, 'auth connection'),
  ]
    .filter(Boolean)
    .join(', ');
}

/** Every workspace with what is known about its key, its last sync, and what can be done with it. */
export function WorkspacesView() {
  const workspaces = useWorkspaceList();
  const activeId = useActiveWorkspaceId();
  const appInfo = useQuery(appInfoQuery).data;
  return (
    <div className="workspaces-view">
      <ul className="workspace-cards" aria-label="Workspaces">
        {workspaces.map((w, i) => (
          <WorkspaceCard key={w.id} workspace={w} index={i} active={w.id === activeId} all={workspaces} />
        ))}
      </ul>
      <div className="workspaces-aside">
        <KeyboardShortcuts />
        {appInfo ? (
          <section className="card about" aria-labelledby="about-title">
            <h2 id="about-title" className="card-title">
              This computer
            </h2>
            <dl className="facts">
              <dt>Keys stored in</dt>
              <dd>{appInfo.keychain}</dd>
              <dt>Version</dt>
              <dd>
                {appInfo.version}
                {appInfo.transport === 'preview' ? ' (browser preview)' : ''}
              </dd>
            </dl>
          </section>
        ) : null}
      </div>
    </div>
  );
}

function WorkspaceCard({
  workspace: w,
  index,
  active,
  all,
}: {
  workspace: WorkspaceSummary;
  index: number;
  active: boolean;
  all: WorkspaceSummary[];
}) {
  const now = useNow();
  const openDialog = useUi((s) => s.openDialog);
  const isMac = useIsMac();
  const running = useIsSyncing(w.id);
  const titleId = `ws-card-${w.id}`;
  const sameAs = w.sameRemoteAs.map((id) => all.find((o) => o.id === id)?.label).filter((l): l is string => Boolean(l));
  const identity = [
    w.remoteWorkspaceId ? { label: 'ElevenLabs workspace', value: w.remoteWorkspaceId, mono: true } : null,
    w.ownerFirstName ? { label: 'Owner', value: w.ownerFirstName, mono: false } : null,
    w.planTier ? { label: 'Plan', value: w.planTier, mono: false } : null,
    w.seatType ? { label: 'Seat', value: w.seatType.replace(/_/g, ' '), mono: false } : null,
  ].filter((x): x is { label: string; value: string; mono: boolean } => x !== null);

  const sync = w.sync;
  let syncLine: React.ReactNode;
  if (running) syncLine = <span>Syncing now…</span>;
  else if (sync.status === 'never') syncLine = <span className="muted">Never synced</span>;
  else if ((sync.status === 'ok' || lastSyncCancelled(w)) && sync.lastSuccessAt !== null)
    syncLine = (
      <span title={fullDateTime(sync.lastSuccessAt)}>
        <span className="tone-ok" aria-hidden="true">
          ●{' '}
        </span>
        Synced {relativeTime(sync.lastSuccessAt, now)}: {inventoryText(sync)}
      </span>
    );
  else
    syncLine = (
      <span title={sync.lastAttemptAt ? fullDateTime(sync.lastAttemptAt) : undefined}>
        <span className="tone-bad" aria-hidden="true">
          ✕{' '}
        </span>
        Sync failed{sync.lastAttemptAt ? ` ${relativeTime(sync.lastAttemptAt, now)}` : ''}
        {sync.lastSuccessAt ? ` (last success ${relativeTime(sync.lastSuccessAt, now)})` : ''}
      </span>
    );

  return (
    <li className={`card workspace-card${active ? ' is-active' : ''}`} aria-labelledby={titleId}>
      <div className="workspace-card-head">
        <div>
          <h2 id={titleId} className="card-title" tabIndex={-1}>
            {w.label}
            {active ? <span className="badge badge-accent">Active</span> : null}
          </h2>
          <p className="muted">
            {residencyLabels[w.residency]}
            {index < 9 ? <kbd className="shortcut-hint inline">{displayCombo(`Mod+${index + 1}`, isMac)}</kbd> : null}
          </p>
          {w.residency === 'custom' && w.baseUrl ? <p className="mono selectable base-url">{w.baseUrl}</p> : null}
        </div>
        <div className="card-actions">
          {!active ? (
            <button
              type="button"
              className="button button-small"
              onClick={() => {
                void switchToWorkspace(w.id);
                // This button goes once the workspace is active: focus goes to its card's title ("… Active").
                document.getElementById(titleId)?.focus();
              }}
              aria-label={`Switch to ${w.label}`}
            >
              Switch to
            </button>
          ) : null}
          <button
            type="button"
            className="button button-small"
            aria-label={`Rename ${w.label}`}
            onClick={() => openDialog({ kind: 'rename', workspaceId: w.id })}
          >
            Rename
          </button>
          {w.residency !== 'demo' ? (
            // The demo's key is made by Agent Keyring for its built-in emulator: there is nothing to replace it with.
            <button
              type="button"
              className="button button-small"
              aria-label={`Replace key of ${w.label}`}
              onClick={() => openDialog({ kind: 'replaceKey', workspaceId: w.id })}
            >
              Replace key
            </button>
          ) : null}
          <button
            type="button"
            className="button button-small button-danger-ghost"
            aria-label={`Remove ${w.label}`}
            onClick={() => openDialog({ kind: 'remove', workspaceId: w.id })}
          >
            Remove
          </button>
        </div>
      </div>

      <dl className="facts">
        <dt>Key</dt>
        <dd>
          {w.verification === 'verified' ? (
            <span>
              <span className="tone-ok" aria-hidden="true">
                ✓{' '}
              </span>
              Verified{w.keyCheckedAt ? <span className="muted"> {relativeTime(w.keyCheckedAt, now)}</span> : null}
            </span>
          ) : (
            <span className="tone-warn">Unverified: the key could not be checked when it was added</span>
          )}
        </dd>
        {identity.map((fact) => (
          <Fragment key={fact.label}>
            <dt>{fact.label}</dt>
            <dd className={fact.mono ? 'mono selectable' : undefined}>{fact.value}</dd>
          </Fragment>
        ))}
        <dt>Last sync</dt>
        <dd>{syncLine}</dd>
        {sync.problem ? (
          <>
            <dt>{lastSyncCancelled(w) ? 'Last attempt' : sync.status === 'failed' ? 'Problem' : 'Note'}</dt>
            <dd className={lastSyncCancelled(w) ? 'muted' : sync.status === 'failed' ? 'tone-bad' : 'tone-warn'}>
              {problemText(sync.problem)}
            </dd>
          </>
        ) : null}
        <dt>Key may read</dt>
        <dd>
          <AccessLine access={w.access} />
        </dd>
        <dt>Inventory</dt>
        <dd>
          {sync.lastSuccessAt === null
            ? 'Nothing saved yet'
            : `${plural(sync.secretCount, 'secret')}${sync.removedSecretCount ? ` (+${new Intl.NumberFormat().format(sync.removedSecretCount)} removed remotely)` : ''}, ${plural(sync.authConnectionCount, 'auth connection')}`}
        </dd>
      </dl>

      {w.missingPermissions.length ? (
        <div className="callout callout-warn">
          This key lacks {w.missingPermissions.join(', ')}: Agent Keyring can only show what the key may read. Create a key with these
          permissions in ElevenLabs and use “Replace key”.
        </div>
      ) : null}
      {sameAs.length ? (
        <div className="callout callout-info">
          Same ElevenLabs workspace as {sameAs.map(quoted).join(', ')}: its secrets are listed twice.
        </div>
      ) : null}
      {w.reachability === 'unreachable' ? (
        <div className="callout callout-warn">
          Unreachable: the last call to its API did not get through
          {w.lastContactAt ? ` (last contact ${relativeTime(w.lastContactAt, now)})` : ''}.
        </div>
      ) : null}
    </li>
  );
}

function AccessLine({ access }: { access: WorkspaceSummary['access'] }) {
  const part = (what: string, a: WorkspaceSummary['access']['secrets']) => {
    if (a.state === 'allowed') return <span>{what}: yes</span>;
    if (a.state === 'denied')
      return (
        <span className="tone-bad">
          {what}: no{a.permission ? ` (lacks ${a.permission})` : ''}
        </span>
      );
    return <span className="muted">{what}: not known yet</span>;
  };
  return (
    <>
      {part('Secrets', access.secrets)} · {part('Auth connections', access.authConnections)}
    </>
  );
}

export function KeyboardShortcuts() {
  const isMac = useIsMac();
  return (
    <section className="card shortcuts" aria-labelledby="shortcuts-title">
      <h2 id="shortcuts-title" className="card-title">
        Keyboard shortcuts
      </h2>
      <ShortcutTable isMac={isMac} />
    </section>
  );
}
