import type { Dependant, DependantKind, SecretDetail } from '../../../../shared/schemas/inventory';
import { EmptyState } from '../../components/EmptyState';
import { useNow } from '../../hooks/useNow';
import { dateOnly, fullDateTime, quoted, relativeTime } from '../../lib/format';
import { useInventory } from '../../stores/inventory';

const groups: { kind: DependantKind; title: string }[] = [
  { kind: 'agent', title: 'Agents' },
  { kind: 'tool', title: 'Tools' },
  { kind: 'phone_number', title: 'Phone numbers' },
  { kind: 'mcp_server', title: 'MCP servers' },
  { kind: 'other', title: 'Other' },
];

/** Who uses the selected secret, from the saved inventory. */
export function SecretDetailPane() {
  const detail = useInventory((s) => s.detail);
  const openSecret = useInventory((s) => s.openSecret);
  const close = () => useInventory.getState().open(null);

  let body: React.ReactNode;
  if (!openSecret) {
    body = (
      <EmptyState title="Select a secret to see who uses it." icon="←">
        <p>Use ↑ and ↓ in the list, then Enter, or click a secret.</p>
      </EmptyState>
    );
  } else if (detail.status === 'error' && detail.error) {
    body = (
      <EmptyState title="This secret could not be shown" icon="!" tone="error">
        <p>{detail.error.message}</p>
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
    <section className="detail-pane" role="region" aria-label="Secret details">
      {body}
    </section>
  );
}

function DetailBody({ detail, onClose }: { detail: SecretDetail; onClose(): void }) {
  const now = useNow();
  const { secret, dependants, workspaceLabel } = detail;
  const namesById = new Map(dependants.filter((d) => d.name).map((d) => [d.id, d.name!]));

  return (
    <div className="detail-body">
      <div className="detail-head">
        <h2 className="detail-title mono">{secret.name}</h2>
        <button type="button" className="icon-button" aria-label="Close details" title="Close (Escape)" onClick={onClose}>
          ×
        </button>
      </div>
      <p className="detail-workspace">{workspaceLabel}</p>

      {secret.removedRemotelyAt ? (
        <div className="callout callout-warn">
          <strong>Removed remotely.</strong> The sync of {fullDateTime(secret.removedRemotelyAt)} no longer found this secret in{' '}
          {quoted(workspaceLabel)}. Anything that still refers to it will fail to get its value.
        </div>
      ) : null}

      <dl className="facts">
        <dt>Secret ID</dt>
        <dd className="mono selectable">{secret.secretId}</dd>
        <dt>First seen</dt>
        <dd title={fullDateTime(secret.firstSeenAt)}>{dateOnly(secret.firstSeenAt)}</dd>
        <dt>{secret.removedRemotelyAt ? 'Last seen' : 'Last synced'}</dt>
        <dd title={fullDateTime(secret.lastSeenAt)}>{relativeTime(secret.lastSeenAt, now)}</dd>
      </dl>

      <h3 className="detail-section-title">Used by</h3>
      {secret.dependantsTruncated ? (
        <div className="callout callout-warn">
          This list may be incomplete: ElevenLabs cut it short and the rest could not be fetched at the last sync.
        </div>
      ) : null}
      {dependants.length === 0 ? (
        <p className="detail-unused">No agent, tool, phone number or MCP server uses this secret.</p>
      ) : (
        groups.map(({ kind, title }) => {
          const members = dependants.filter((d) => d.kind === kind);
          if (!members.length) return null;
          return (
            <div key={kind} className="dependant-group">
              <h4 className="dependant-group-title">
                {title} ({members.length})
              </h4>
              <ul className="dependant-list">
                {members.map((d) => (
                  <DependantItem key={`${d.kind}:${d.id}`} dependant={d} namesById={namesById} />
                ))}
              </ul>
            </div>
          );
        })
      )}
    </div>
  );
}

function DependantItem({ dependant: d, namesById }: { dependant: Dependant; namesById: Map<string, string> }) {
  const phone = d.kind === 'phone_number' ? [d.phoneNumber, d.provider].filter(Boolean).join(' · ') : '';
  return (
    <li className="dependant">
      <div className="dependant-line">
        {d.access === 'unknown' ? (
          <span className="dependant-name no-access">
            No access (id <span className="mono">{d.id}</span>)
          </span>
        ) : (
          <span className="dependant-name">{d.name ?? d.phoneNumber ?? <span className="mono">{d.id}</span>}</span>
        )}
        {d.accessLevel ? <span className="badge" title="Your key's access to it">{capitalize(d.accessLevel)}</span> : null}
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
