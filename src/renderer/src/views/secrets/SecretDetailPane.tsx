import { useQuery } from '@tanstack/react-query';
import type { Dependant, DependantKind, SecretDetail } from '../../../../shared/schemas/inventory';
import { CopyButton } from '../../components/CopyButton';
import { EmptyState } from '../../components/EmptyState';
import { ExternalLink } from '../../components/ExternalLink';
import { useNow } from '../../hooks/useNow';
import { toIpcError } from '../../keyring';
import { dashboardFor, dependantUrl, noDashboardText, type Dashboard } from '../../lib/dashboard-links';
import { dateOnly, fullDateTime, quoted, relativeTime } from '../../lib/format';
import { secretDetailQuery } from '../../queries/inventory';
import { useAllLocalSecrets } from '../../queries/local-secrets';
import { useWorkspaceList } from '../../queries/workspaces';
import { useBrowse } from '../../stores/browse';
import { openPushPlan, showLocalSecret } from '../../stores/local-secret-actions';
import { useUi } from '../../stores/ui';
import { useOpenSecret } from './question';
import { LIST_ID } from './SecretList';
import { BreakableId } from '../../components/BreakableId';
import { ReferringVariables } from '../variables/ReferringVariables';

const groups: { kind: DependantKind; title: string; noun: string }[] = [
  { kind: 'agent', title: 'Agents', noun: 'agent' },
  { kind: 'tool', title: 'Tools', noun: 'tool' },
  { kind: 'phone_number', title: 'Phone numbers', noun: 'phone number' },
  { kind: 'mcp_server', title: 'MCP servers', noun: 'MCP server' },
  { kind: 'other', title: 'Other', noun: 'resource' },
];

/** What each access level lets the key's user do, for the badges' tooltips and the legend. */
const accessLevels: Record<string, string> = {
  admin: 'Admin: your key’s user may view, change and share it',
  editor: 'Editor: your key’s user may view and change it',
  commenter: 'Commenter: your key’s user may view and comment on it',
  viewer: 'Viewer: your key’s user may only view it',
};

/** Who uses the selected secret, from the saved inventory. */
export function SecretDetailPane() {
  const openSecret = useOpenSecret();
  const detail = useQuery({ ...secretDetailQuery(openSecret ?? { workspaceId: '', secretId: '' }), enabled: openSecret !== null });
  // The close button goes with the pane: focus goes back to the list it was opened from.
  const close = () => {
    useBrowse.getState().open(null);
    document.getElementById(LIST_ID)?.focus();
  };

  let body: React.ReactNode;
  if (!openSecret) {
    body = (
      <EmptyState title="Select a secret to see who uses it." icon="←">
        <p>Use ↑ and ↓ in the list, then Enter, or click a secret.</p>
        <p className="muted">ElevenLabs never returns a secret’s value; Agent Keyring shows who uses it.</p>
      </EmptyState>
    );
  } else if (detail.isError && !detail.data) {
    body = (
      <EmptyState title="This secret could not be shown" icon="!" tone="error">
        <p>{toIpcError(detail.error).message}</p>
      </EmptyState>
    );
  } else if (!detail.data) {
    body = (
      <div className="detail-loading" aria-busy="true">
        <span className="skeleton skeleton-title" />
        <span className="skeleton skeleton-meta" />
        <span className="skeleton skeleton-meta" />
        <span className="visually-hidden">Loading the secret…</span>
      </div>
    );
  } else {
    body = <DetailBody detail={detail.data} onClose={close} />;
  }

  return (
    <section className="detail-pane" aria-label="Secret details">
      {body}
    </section>
  );
}

function DetailBody({ detail, onClose }: { detail: SecretDetail; onClose(): void }) {
  const now = useNow();
  const { secret, dependants, workspaceLabel } = detail;
  const namesById = new Map(dependants.filter((d) => d.name).map((d) => [d.id, d.name!]));
  const levelsShown = [...new Set(dependants.map((d) => d.accessLevel).filter((l): l is string => l !== null))];
  const residency = useWorkspaceList().find((w) => w.id === secret.workspaceId)?.residency ?? 'custom';
  const dashboard = dashboardFor(residency);

  return (
    <div className="detail-body">
      <div className="detail-head">
        <h2 className="detail-title mono">
          <BreakableId text={secret.name} />
        </h2>
        <CopyButton text={secret.name} what="secret name" />
        <button type="button" className="icon-button" aria-label="Close details" title="Close (Escape)" onClick={onClose}>
          ×
        </button>
      </div>
      <p className="detail-workspace">{workspaceLabel}</p>
      <p className="detail-note">ElevenLabs never returns a secret’s value; Agent Keyring shows who uses it.</p>

      {secret.removedRemotelyAt ? (
        <div className="callout callout-warn">
          <strong>Removed remotely.</strong> The sync of {fullDateTime(secret.removedRemotelyAt)} no longer found this secret in{' '}
          {quoted(workspaceLabel)}. Anything that still refers to it will fail to get its value.
        </div>
      ) : null}

      <dl className="facts">
        <dt>Secret ID</dt>
        <dd className="fact-with-action">
          <span className="mono selectable">
            <BreakableId text={secret.secretId} />
          </span>
          <CopyButton text={secret.secretId} what="secret ID" />
        </dd>
        <dt>First seen</dt>
        <dd title={fullDateTime(secret.firstSeenAt)}>{dateOnly(secret.firstSeenAt)}</dd>
        <dt>{secret.removedRemotelyAt ? 'Last seen' : 'Last synced'}</dt>
        <dd title={fullDateTime(secret.lastSeenAt)}>{relativeTime(secret.lastSeenAt, now)}</dd>
        <dt>In ElevenLabs</dt>
        <dd>
          {dashboard ? (
            <ExternalLink href={dashboard.agentSettings()}>Workspace secrets</ExternalLink>
          ) : (
            <span className="muted">{noDashboardText(residency)}</span>
          )}
        </dd>
      </dl>

      {secret.removedRemotelyAt ? null : <ManagedHere detail={detail} />}

      <h3 className="detail-section-title">Used by</h3>
      {secret.dependantsTruncated ? (
        <div className="callout callout-warn">
          This list may be incomplete: ElevenLabs cut it short and the rest could not be fetched at the last sync.
        </div>
      ) : null}
      {dependants.length === 0 ? (
        <p className="detail-unused">No agent, tool, phone number or MCP server uses this secret.</p>
      ) : (
        <>
          {groups.map(({ kind, title, noun }) => {
            const members = dependants.filter((d) => d.kind === kind);
            if (!members.length) return null;
            return (
              <div key={kind} className="dependant-group">
                <h4 className="dependant-group-title">
                  {title} ({members.length})
                </h4>
                <ul className="dependant-list">
                  {members.map((d) => (
                    <DependantItem key={`${d.kind}:${d.id}`} dependant={d} noun={noun} namesById={namesById} dashboard={dashboard} />
                  ))}
                </ul>
              </div>
            );
          })}
          {levelsShown.length ? (
            <p className="access-legend">
              Badges show your key’s access:{' '}
              {levelsShown.map((level, i) => (
                <span key={level}>
                  {i ? '; ' : ''}
                  {accessLevels[level] ?? `${capitalize(level)}: as ElevenLabs names it`}
                </span>
              ))}
              .
            </p>
          ) : null}
        </>
      )}

      <ReferringVariables workspaceId={secret.workspaceId} kind="secret" id={secret.secretId} variant="detail" />

      {secret.removedRemotelyAt ? null : (
        <div className="detail-danger">
          <button
            type="button"
            className="button button-small button-danger-ghost"
            onClick={() =>
              openPushPlan({
                kind: 'delete',
                what: 'secret',
                workspaceId: secret.workspaceId,
                remoteId: secret.secretId,
                name: secret.name,
              })
            }
          >
            Delete from ElevenLabs…
          </button>
          <p className="detail-note">You see who uses it and confirm first. ElevenLabs refuses while anything uses it.</p>
        </div>
      )}
    </div>
  );
}

/** Whether a local secret gives this remote secret its value; if none does, the way to adopt it. */
function ManagedHere({ detail }: { detail: SecretDetail }) {
  const openDialog = useUi((s) => s.openDialog);
  const locals = useAllLocalSecrets();
  const { secret } = detail;
  const owner = locals.data?.secrets.find((local) =>
    local.targets.some((t) => t.workspaceId === secret.workspaceId && t.remoteSecretId === secret.secretId),
  );
  if (!locals.data) return null;
  if (owner) {
    return (
      <div className="callout callout-info managed-here">
        <p>
          Its value is kept here, as the local secret <span className="mono">{owner.name}</span>.
        </p>
        <button type="button" className="button button-small" onClick={() => showLocalSecret(owner.id)}>
          Open local secret
        </button>
      </div>
    );
  }
  return (
    <div className="managed-here">
      <p className="detail-note">No value for it is kept here: it was made in the dashboard or elsewhere.</p>
      <button
        type="button"
        className="button button-small"
        onClick={() => openDialog({ kind: 'adoptRemoteSecret', workspaceId: secret.workspaceId, secretId: secret.secretId })}
      >
        Manage here…
      </button>
    </div>
  );
}

function DependantItem({
  dependant: d,
  noun,
  namesById,
  dashboard,
}: {
  dependant: Dependant;
  noun: string;
  namesById: Map<string, string>;
  dashboard: Dashboard | null;
}) {
  const phone = d.kind === 'phone_number' ? [d.phoneNumber, d.provider].filter(Boolean).join(' · ') : '';
  const url = dependantUrl(dashboard, d.kind, d.id);
  const name =
    d.access === 'unknown' ? (
      <span className="no-access">
        {capitalize(noun)} you cannot access (<span className="mono">{d.id}</span>)
      </span>
    ) : (
      (d.name ?? d.phoneNumber ?? <span className="mono">{d.id}</span>)
    );
  return (
    <li className="dependant">
      <div className="dependant-line">
        <span className="dependant-name">{url ? <ExternalLink href={url}>{name}</ExternalLink> : name}</span>
        {d.accessLevel ? (
          <span className="badge" title={accessLevels[d.accessLevel] ?? 'Your key’s access to it'}>
            {capitalize(d.accessLevel)}
          </span>
        ) : null}
        <CopyButton text={d.id} what={`ID of ${d.name ?? d.phoneNumber ?? `this ${noun}`}`} label="Copy ID" />
      </div>
      {phone && phone !== d.name ? <div className="dependant-meta">{phone}</div> : null}
      {d.referencedResourceIds.length ? (
        <div className="dependant-meta">
          via{' '}
          {d.referencedResourceIds.map((id, i) => (
            <span key={id}>
              {i ? ', ' : ''}
              {namesById.get(id) ?? <span className="mono">{id}</span>}
            </span>
          ))}
        </div>
      ) : null}
    </li>
  );
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1).replace(/_/g, ' ');
}
