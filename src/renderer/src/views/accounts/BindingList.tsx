import { useQuery } from '@tanstack/react-query';
import type { LinkedAccount } from '../../../../shared/schemas/accounts';
import type { Dependant, DependantKind } from '../../../../shared/schemas/inventory';
import type { LocalSecretTarget } from '../../../../shared/schemas/local-secrets';
import { CopyButton } from '../../components/CopyButton';
import { toIpcError } from '../../keyring';
import { boundSecretQuery } from '../../queries/accounts';
import { secretDetailQuery } from '../../queries/inventory';
import { useWorkspaceList } from '../../queries/workspaces';
import { openAccountsDialog } from './dialogs';
import { liveRelative, useLiveNow } from './time';

type Binding = LinkedAccount['bindings'][number];

/** The workspace secrets that hold an account's access token: where, whether pushed, and who uses them. */
export function BindingList({ account }: { account: LinkedAccount }) {
  if (account.bindings.length === 0) {
    return <span className="muted">Not bound: agents get its token only through dynamic variables</span>;
  }
  return (
    <ul className="binding-list" aria-label={`Workspace secrets holding the token of ${account.personLabel} · ${account.providerName}`}>
      {account.bindings.map((binding) => (
        <BindingItem key={binding.localSecretId} account={account} binding={binding} />
      ))}
    </ul>
  );
}

function BindingItem({ account, binding }: { account: LinkedAccount; binding: Binding }) {
  const secret = useQuery(boundSecretQuery(binding.localSecretId));
  const workspaces = useWorkspaceList();
  const targets = secret.data?.targets ?? [];
  return (
    <li className="binding">
      <div className="binding-head">
        <code className="mono selectable binding-name">{binding.secretName}</code>
        <CopyButton text={binding.secretName} what={`name ${binding.secretName}`} label="Copy name" />
        <button
          type="button"
          className="button button-ghost button-tiny"
          aria-label={`Change the workspaces of ${binding.secretName}`}
          onClick={() => openAccountsDialog({ kind: 'bind', accountId: account.id, secretName: binding.secretName })}
        >
          Workspaces…
        </button>
      </div>
      {secret.isError ? <p className="tone-bad binding-error">{toIpcError(secret.error).message}</p> : null}
      <ul className="binding-targets" aria-label={`Workspaces of ${binding.secretName}`}>
        {binding.workspaceIds.map((workspaceId) => {
          const workspace = workspaces.find((w) => w.id === workspaceId);
          return (
            <BindingTarget
              key={workspaceId}
              label={workspace?.label ?? 'Removed workspace'}
              offline={workspace?.reachability === 'unreachable'}
              target={targets.find((t) => t.workspaceId === workspaceId)}
              loading={secret.isPending}
            />
          );
        })}
      </ul>
    </li>
  );
}

function targetState(target: LocalSecretTarget, now: number): { text: string; tone: string } {
  switch (target.state) {
    case 'in_sync':
      return { text: `Up to date${target.pushedAt ? `, pushed ${liveRelative(target.pushedAt, now)}` : ''}`, tone: 'tone-ok' };
    case 'value_changed':
      return { text: 'The newest token is waiting to be pushed', tone: 'tone-warn' };
    case 'renamed':
      return { text: 'A new name is waiting to be pushed', tone: 'tone-warn' };
    case 'never_pushed':
      return { text: 'Not pushed yet', tone: 'tone-warn' };
    case 'missing_remotely':
      return { text: 'Missing in ElevenLabs since the last sync', tone: 'tone-bad' };
  }
}

function BindingTarget({
  label,
  offline,
  target,
  loading,
}: {
  label: string;
  offline: boolean;
  target: LocalSecretTarget | undefined;
  loading: boolean;
}) {
  const now = useLiveNow([target?.pushedAt]);
  const state = target ? targetState(target, now) : null;
  return (
    <li className="binding-target">
      <div className="binding-target-line">
        <span className="chip">{label}</span>
        {offline ? <span className="badge badge-warn">Offline</span> : null}
        {state ? <span className={state.tone}>{state.text}</span> : <span className="muted">{loading ? 'Reading…' : 'Unknown'}</span>}
      </div>
      {target?.remoteSecretId ? <UsedBy workspaceId={target.workspaceId} secretId={target.remoteSecretId} /> : null}
    </li>
  );
}

const kindNames: Record<DependantKind, string> = {
  agent: 'agent',
  tool: 'tool',
  phone_number: 'phone number',
  mcp_server: 'MCP server',
  other: 'other',
};

function dependantText(d: Dependant): string {
  if (d.kind === 'other') return d.id.replace(/_/g, ' ');
  return d.name ? `${d.name} (${kindNames[d.kind]})` : `a ${kindNames[d.kind]} you cannot see (${d.id})`;
}

/** Which agents and tools read the workspace secret, as the last sync saw it. */
function UsedBy({ workspaceId, secretId }: { workspaceId: string; secretId: string }) {
  const detail = useQuery(secretDetailQuery({ workspaceId, secretId }));
  if (detail.isPending) return <p className="binding-used muted">Used by: reading…</p>;
  if (detail.isError) {
    const problem = toIpcError(detail.error);
    return (
      <p className="binding-used muted">
        {problem.code === 'not_found' ? 'Not in this workspace’s last sync yet: sync it to see who uses it.' : problem.message}
      </p>
    );
  }
  const dependants = detail.data.dependants;
  if (dependants.length === 0) return <p className="binding-used muted">Used by nothing in this workspace yet</p>;
  return (
    <p className="binding-used">
      <span className="muted">Used by </span>
      {dependants.map(dependantText).join(', ')}
    </p>
  );
}
