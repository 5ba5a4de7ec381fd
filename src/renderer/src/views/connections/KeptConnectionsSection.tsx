import { connectionFields } from '../../../../shared/schemas/connection-definitions';
import type { KeptConnection, KeptTargetState } from '../../../../shared/schemas/kept-connections';
import { useNow } from '../../hooks/useNow';
import { toIpcError } from '../../keyring';
import { authTypeLabel } from '../../lib/auth-types';
import { plural, quoted } from '../../lib/format';
import { useAllKeptConnections, useKeptConnections } from '../../queries/kept-connections';
import { useWorkspaceList } from '../../queries/workspaces';
import { openPushPlan } from '../../stores/local-secret-actions';
import { openKeptDialog } from './kept-dialogs';

const DAY_MS = 24 * 3600_000;

const stateText: Record<KeptTargetState, string> = {
  never_pushed: 'Not pushed yet',
  in_sync: 'In sync',
  changed_here: 'Changed here since the last push',
  changed_remotely: 'Changed in the dashboard',
  missing_remotely: 'Missing in the workspace',
};

/** Connections kept on this computer: their definitions, targets and PEM facts (never a sensitive part). */
export function KeptConnectionsSection({ query }: { query: string }) {
  const result = useKeptConnections(query);
  // Every one kept here, whatever the search shows: "push all" means all.
  const all = useAllKeptConnections().data?.connections ?? [];
  return (
    <section className="kept-connections" aria-labelledby="kept-connections-heading">
      <div className="section-head">
        <h2 id="kept-connections-heading">Kept here</h2>
        <div className="section-head-actions">
          {all.length ? (
            // Connections only: the plan lists them by id (an empty list would mean local secrets too).
            <button
              type="button"
              className="button"
              onClick={() => openPushPlan({ kind: 'push', secretIds: [], connectionIds: all.map((c) => c.id), workspaceIds: [] })}
            >
              Push all connections…
            </button>
          ) : null}
          <button type="button" className="button button-primary" onClick={() => openKeptDialog({ kind: 'create' })}>
            New connection…
          </button>
        </div>
      </div>
      {result.isError && !result.data ? (
        <p className="callout callout-error" role="alert">
          The connections kept here could not be read: {toIpcError(result.error).message}
        </p>
      ) : !result.data ? (
        <p aria-busy="true" className="muted">
          Loading connections kept here…
        </p>
      ) : result.data.connections.length === 0 ? (
        <p className="muted">
          {result.data.query
            ? `No connection kept here matches ${quoted(result.data.query)}.`
            : 'None yet. A connection kept here has its secrets in this computer’s keychain and can be checked and pushed to several workspaces.'}
        </p>
      ) : (
        <ul className="connection-list" aria-label="Connections kept here">
          {result.data.connections.map((c) => (
            <KeptCard key={c.id} connection={c} />
          ))}
        </ul>
      )}
    </section>
  );
}

/** The sensitive parts kept, by their labels, in the form's order. */
function keptLabels(c: KeptConnection): string {
  return Object.entries(connectionFields[c.authType])
    .filter(([field]) => c.kept.includes(field))
    .map(([, info]) => info.label)
    .join(', ');
}

function KeptCard({ connection: c }: { connection: KeptConnection }) {
  const now = useNow();
  const workspaces = useWorkspaceList();
  const labelOf = (id: string) => workspaces.find((w) => w.id === id)?.label ?? 'Removed workspace';
  const titleId = `kept-${c.id}`;
  const cert = c.pem?.certificate ?? null;
  const days = cert ? Math.floor((cert.notAfter - now) / DAY_MS) : null;
  const provider = typeof c.fields.provider === 'string' ? c.fields.provider : null;
  return (
    <li className="card connection" aria-labelledby={titleId}>
      <div className="connection-head">
        <div className="connection-title">
          <h3 id={titleId}>{c.name}</h3>
          <div className="connection-sub">
            <span>{authTypeLabel(c.authType)}</span>
            {provider ? <span> · {provider}</span> : null}
          </div>
        </div>
      </div>
      <dl className="facts facts-compact">
        <div className="fact">
          <dt>Kept in the keychain</dt>
          <dd>{keptLabels(c) || 'Nothing'}</dd>
        </div>
        {cert ? (
          <>
            <div className="fact">
              <dt>Certificate subject</dt>
              <dd className="mono selectable">{cert.subject}</dd>
            </div>
            <div className="fact">
              <dt>Certificate expires</dt>
              <dd className={days !== null && days < 30 ? 'tone-warn' : undefined}>
                {days !== null && days < 0 ? `Expired ${plural(-days, 'day')} ago` : `In ${plural(days ?? 0, 'day')}`} (
                {new Date(cert.notAfter).toISOString().slice(0, 10)})
              </dd>
            </div>
          </>
        ) : null}
        {c.pem?.key ? (
          <div className="fact">
            <dt>Key</dt>
            <dd>
              {c.pem.key.type.toUpperCase()}
              {c.pem.key.bits ? ` ${c.pem.key.bits} bits` : ''}
              {c.pem.key.curve ? ` ${c.pem.key.curve}` : ''}
              {c.pem.key.encrypted ? ', encrypted' : ''}
            </dd>
          </div>
        ) : null}
      </dl>
      <div className="connection-users">
        <div className="facts-label">Targets</div>
        {c.targets.length ? (
          <ul className="user-list" aria-label={`Targets of ${c.name}`}>
            {c.targets.map((t) => (
              <li key={t.workspaceId}>
                {labelOf(t.workspaceId)}
                {t.followsName ? '' : ` as ${quoted(t.remoteName)}`}: {stateText[t.state]}
                {t.replaceNeeded ? ' (must be replaced: what uses it needs re-pointing)' : ''}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">No workspace yet.</p>
        )}
      </div>
      <div className="card-actions" role="group" aria-label={`Actions for ${c.name}`}>
        <button
          type="button"
          className="button button-small"
          onClick={() => openPushPlan({ kind: 'push', secretIds: [], connectionIds: [c.id], workspaceIds: [] })}
        >
          Push {c.name}…
        </button>
        <button type="button" className="button button-small" onClick={() => openKeptDialog({ kind: 'check', id: c.id })}>
          Check {c.name}
        </button>
        <button type="button" className="button button-small" onClick={() => openKeptDialog({ kind: 'edit', id: c.id })}>
          Edit {c.name}
        </button>
        <button type="button" className="button button-small" onClick={() => openKeptDialog({ kind: 'copy', id: c.id })}>
          Copy {c.name} to another workspace
        </button>
        <button type="button" className="button button-small button-danger" onClick={() => openKeptDialog({ kind: 'delete', id: c.id })}>
          Delete {c.name}
        </button>
      </div>
    </li>
  );
}
