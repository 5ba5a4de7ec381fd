import { isUpdatableAuthType } from '../../shared/schemas/connection-definitions';
import type { PlanAction, PlanItemKind, updateReasons } from '../../shared/schemas/push';
import type {
  KeptConnectionRecord,
  KeptConnectionTargetRecord,
  RemoteConnectionRecord,
} from '../auth-connections/kept-connection-repository';
import { changeSincePush, effectiveConnectionName, remoteDifferences, SECRETS_CHANGED } from '../auth-connections/kept-connection-rules';
import type { LocalSecretRecord, RemoteSecretRecord, TargetRecord } from '../local-secrets/local-secret-repository';
import type { VariablePayload } from './variable-plan';

export type UpdateReason = (typeof updateReasons)[number];

export interface PlanScope {
  /** Local secrets to push; null: all of them. */
  secretIds: ReadonlySet<string> | null;
  /** Workspaces to push to; null: every targeted workspace. */
  workspaceIds: ReadonlySet<string> | null;
  force: boolean;
  /** Remote secrets the user asked to delete: the only deletes a plan ever has. */
  deletions: readonly { workspaceId: string; remoteSecretId: string }[];
}

export interface PlannedItem {
  workspaceId: string;
  kind: PlanItemKind;
  action: PlanAction;
  reasons: UpdateReason[];
  /** Connections: the fields that changed (`secrets` for the sensitive parts, `name`). */
  changes: string[];
  localSecretId: string | null;
  keptConnectionId: string | null;
  /** Connections: the type, to match a create that may have landed. */
  authType: string | null;
  /** The remote secret's or connection's name now (null before a create). */
  remoteName: string | null;
  /** Its name once the item is applied. */
  newName: string | null;
  remoteSecretId: string | null;
  /** Connections: the remote connection (a replace's old one). */
  remoteConnectionId: string | null;
  /** Variables: the remote variable (null before a create). */
  remoteVariableId: string | null;
  /** Variables: each environment changed, as it reads now and after. */
  cells: readonly { environment: string; before: string | null; after: string | null }[];
  /** Variables: what is sent (see variable-plan.ts). */
  payload: VariablePayload | null;
  /** The fingerprint of the value (or of a connection's sensitive parts) the item sends. */
  valueFingerprint: string | null;
}

/** The fields a secret item leaves empty (those of connections). */
type OtherKindsFields = 'remoteVariableId' | 'payload' | 'cells';
const NO_VARIABLE = { remoteVariableId: null, payload: null, cells: Object.freeze([]) } as const;
const SECRET_ITEM: Pick<PlannedItem, 'kind' | 'keptConnectionId' | 'authType' | 'remoteConnectionId' | OtherKindsFields> = {
  kind: 'secret',
  keptConnectionId: null,
  authType: null,
  remoteConnectionId: null,
  ...NO_VARIABLE,
};
/** The fields a connection item leaves empty (those of local secrets). */
const CONNECTION_ITEM: Pick<PlannedItem, 'kind' | 'localSecretId' | 'remoteSecretId' | OtherKindsFields> = {
  kind: 'connection',
  localSecretId: null,
  remoteSecretId: null,
  ...NO_VARIABLE,
};

/** The name a target gives its remote secret: its own, or the local secret's. */
export function effectiveName(secret: Pick<LocalSecretRecord, 'name'>, target: Pick<TargetRecord, 'remoteName'>): string {
  return target.remoteName ?? secret.name;
}

/**
 * What a push would do, per workspace, from SQLite alone (so it works offline): create where no
 * remote secret exists, update where the value or the name changed since the last push (or when
 * forced, or to take over a remote secret of the same name made elsewhere), leave unchanged ones
 * and remote-only ones alone, and delete only what the user asked for. Pure: no I/O.
 */
export function computePlan(input: {
  secrets: readonly LocalSecretRecord[];
  targets: readonly TargetRecord[];
  remotes: readonly RemoteSecretRecord[];
  scope: PlanScope;
}): PlannedItem[] {
  const { scope } = input;
  const secretsById = new Map(input.secrets.map((secret) => [secret.id, secret]));
  const remoteKey = (workspaceId: string, secretId: string) => `${workspaceId}\u0000${secretId}`;
  const remotesById = new Map(input.remotes.map((remote) => [remoteKey(remote.workspaceId, remote.secretId), remote]));
  const presentByName = new Map<string, RemoteSecretRecord>();
  for (const remote of input.remotes) {
    const key = remoteKey(remote.workspaceId, remote.name);
    if (!remote.removed && !presentByName.has(key)) presentByName.set(key, remote);
  }
  // Remote secrets some local secret already manages (they are never "remote-only" or taken over twice).
  const managed = new Set(input.targets.filter((t) => t.remoteSecretId !== null).map((t) => remoteKey(t.workspaceId, t.remoteSecretId!)));
  const deleting = new Set(scope.deletions.map((d) => remoteKey(d.workspaceId, d.remoteSecretId)));

  const items: PlannedItem[] = [];
  const inScope = (target: TargetRecord) =>
    (scope.secretIds === null || scope.secretIds.has(target.localSecretId)) &&
    (scope.workspaceIds === null || scope.workspaceIds.has(target.workspaceId));

  for (const target of input.targets) {
    if (!inScope(target)) continue;
    const secret = secretsById.get(target.localSecretId);
    if (!secret) continue;
    const name = effectiveName(secret, target);
    const linked = target.remoteSecretId === null ? undefined : remotesById.get(remoteKey(target.workspaceId, target.remoteSecretId));
    if (linked && deleting.has(remoteKey(target.workspaceId, linked.secretId))) continue;
    const base = {
      ...SECRET_ITEM,
      changes: [],
      workspaceId: target.workspaceId,
      localSecretId: secret.id,
      valueFingerprint: secret.fingerprint,
    };

    if (linked && !linked.removed) {
      const reasons: UpdateReason[] = [];
      // Linked but never pushed: adopted. The dashboard's value is unknown (the API never returns
      // values), so the first push takes it over; it is not "the value changed".
      if (target.pushedFingerprint === null) reasons.push('adopted');
      else if (target.pushedFingerprint !== secret.fingerprint) reasons.push('value_changed');
      if (linked.name !== name) reasons.push('renamed');
      if (scope.force && reasons.length === 0) reasons.push('forced');
      items.push({
        ...base,
        action: reasons.length > 0 ? 'update' : 'unchanged',
        reasons,
        remoteName: linked.name,
        newName: name,
        remoteSecretId: linked.secretId,
      });
      continue;
    }
    // Not in the workspace (never pushed, or deleted there since): take over one of that name made
    // elsewhere, rather than create a second secret with the same name.
    const sameName = presentByName.get(remoteKey(target.workspaceId, name));
    const takeOver = sameName && !managed.has(remoteKey(target.workspaceId, sameName.secretId)) ? sameName : undefined;
    // It was there (linked, or pushed) and the last sync no longer found it: deleted in ElevenLabs since.
    const removedSince = linked?.removed === true || (target.remoteSecretId !== null && !linked);
    const gone: UpdateReason[] = removedSince ? ['removed_remotely'] : [];
    if (takeOver) {
      managed.add(remoteKey(target.workspaceId, takeOver.secretId));
      items.push({
        ...base,
        action: 'update',
        reasons: [...gone, 'takes_over_existing'],
        remoteName: takeOver.name,
        newName: name,
        remoteSecretId: takeOver.secretId,
      });
    } else {
      items.push({ ...base, action: 'create', reasons: gone, remoteName: null, newName: name, remoteSecretId: null });
    }
  }

  for (const deletion of scope.deletions) {
    const remote = remotesById.get(remoteKey(deletion.workspaceId, deletion.remoteSecretId));
    const owner = input.targets.find((t) => t.workspaceId === deletion.workspaceId && t.remoteSecretId === deletion.remoteSecretId);
    items.push({
      ...SECRET_ITEM,
      changes: [],
      workspaceId: deletion.workspaceId,
      action: 'delete',
      reasons: [],
      localSecretId: owner?.localSecretId ?? null,
      remoteName: remote?.name ?? null,
      newName: null,
      remoteSecretId: deletion.remoteSecretId,
      valueFingerprint: null,
    });
  }

  // Everything else in the workspaces planned for is left alone, and listed as such (all secrets only).
  if (scope.secretIds === null) {
    const workspaces = new Set(items.map((item) => item.workspaceId));
    for (const id of scope.workspaceIds ?? []) workspaces.add(id);
    for (const remote of input.remotes) {
      const key = remoteKey(remote.workspaceId, remote.secretId);
      if (remote.removed || !workspaces.has(remote.workspaceId) || managed.has(key) || deleting.has(key)) continue;
      items.push({
        ...SECRET_ITEM,
        changes: [],
        workspaceId: remote.workspaceId,
        action: 'remote_only',
        reasons: [],
        localSecretId: null,
        remoteName: remote.name,
        newName: null,
        remoteSecretId: remote.secretId,
        valueFingerprint: null,
      });
    }
  }
  return items;
}

export interface ConnectionPlanScope {
  /** Connections kept here to push; null: all of them. */
  connectionIds: ReadonlySet<string> | null;
  /** Workspaces to push to; null: every targeted workspace. */
  workspaceIds: ReadonlySet<string> | null;
  force: boolean;
  /** Remote connections the user asked to delete: the only deletes a plan ever has. */
  deletions: readonly { workspaceId: string; remoteConnectionId: string }[];
}

/** Why a change here is planned, from the names of what changed. */
function reasonsFor(changes: readonly string[]): UpdateReason[] {
  const reasons: UpdateReason[] = [];
  if (changes.includes(SECRETS_CHANGED)) reasons.push('value_changed');
  if (changes.includes('name')) reasons.push('renamed');
  if (changes.some((field) => field !== SECRETS_CHANGED && field !== 'name')) reasons.push('fields_changed');
  return reasons;
}

/**
 * The connection items of a plan, by the same rules as local secrets' (create where missing,
 * take over one of the same name and type made elsewhere, update what changed, leave the rest,
 * delete only what was asked), with one more action: a change the API cannot make in place (the
 * name, the token URL, a type it cannot update) is a **replace**. A connection changed in the
 * dashboard is put back to the definition kept here where the API can update it. Pure: no I/O.
 */
export function computeConnectionPlan(input: {
  connections: readonly KeptConnectionRecord[];
  targets: readonly KeptConnectionTargetRecord[];
  remotes: readonly RemoteConnectionRecord[];
  scope: ConnectionPlanScope;
}): PlannedItem[] {
  const { scope } = input;
  const connectionsById = new Map(input.connections.map((connection) => [connection.id, connection]));
  const remoteKey = (workspaceId: string, id: string) => `${workspaceId}\u0000${id}`;
  const remotesById = new Map(input.remotes.map((remote) => [remoteKey(remote.workspaceId, remote.connectionId), remote]));
  const presentByName = new Map<string, RemoteConnectionRecord[]>();
  for (const remote of input.remotes) {
    if (remote.removed) continue;
    const key = remoteKey(remote.workspaceId, remote.name);
    presentByName.set(key, [...(presentByName.get(key) ?? []), remote]);
  }
  const managed = new Set(
    input.targets.filter((t) => t.remoteConnectionId !== null).map((t) => remoteKey(t.workspaceId, t.remoteConnectionId!)),
  );
  const deleting = new Set(scope.deletions.map((d) => remoteKey(d.workspaceId, d.remoteConnectionId)));
  const inScope = (target: KeptConnectionTargetRecord) =>
    (scope.connectionIds === null || scope.connectionIds.has(target.keptConnectionId)) &&
    (scope.workspaceIds === null || scope.workspaceIds.has(target.workspaceId));

  const items: PlannedItem[] = [];
  for (const target of input.targets) {
    if (!inScope(target)) continue;
    const connection = connectionsById.get(target.keptConnectionId);
    if (!connection) continue;
    const name = effectiveConnectionName(connection, target);
    const updatable = isUpdatableAuthType(connection.authType);
    const linked =
      target.remoteConnectionId === null ? undefined : remotesById.get(remoteKey(target.workspaceId, target.remoteConnectionId));
    if (linked && deleting.has(remoteKey(target.workspaceId, linked.connectionId))) continue;
    const base = {
      ...CONNECTION_ITEM,
      workspaceId: target.workspaceId,
      keptConnectionId: connection.id,
      authType: connection.authType,
      newName: name,
      valueFingerprint: connection.fingerprint,
    };

    if (linked && !linked.removed) {
      const there = { remoteName: linked.name, remoteConnectionId: linked.connectionId };
      let changes: string[];
      let reasons: UpdateReason[];
      let replaceNeeded = false;
      if (target.pushedFingerprint === null || target.pushedFields === null) {
        // Adopted and not pushed since: the dashboard's sensitive parts are unknown, so the first push sends them.
        changes = linked.name === name ? [SECRETS_CHANGED] : [SECRETS_CHANGED, 'name'];
        reasons = linked.name === name ? ['adopted'] : ['adopted', 'renamed'];
      } else {
        const change = changeSincePush(connection, target);
        changes = change.changes;
        replaceNeeded = change.replaceNeeded;
        reasons = reasonsFor(changes);
        if (changes.length === 0) {
          const differences = remoteDifferences(connection, linked);
          if (differences.length > 0 && updatable && !differences.includes('authType')) {
            changes = differences;
            reasons = ['changed_remotely'];
          } else if (scope.force && updatable) {
            reasons = ['forced'];
          }
        }
      }
      if (reasons.length === 0) {
        items.push({ ...base, ...there, action: 'unchanged', reasons, changes: [] });
        continue;
      }
      // The API can neither rename a connection nor change its token URL or a type it cannot update.
      const replace = replaceNeeded || !updatable || changes.includes('name');
      if (replace && !updatable) reasons.push('not_updatable');
      items.push({ ...base, ...there, action: replace ? 'replace' : 'update', reasons, changes });
      continue;
    }

    // Not in the workspace (never pushed, or deleted there since): take over one of that name and
    // type made elsewhere rather than make a second of the same name.
    const sameName = (presentByName.get(remoteKey(target.workspaceId, name)) ?? []).find(
      (remote) => remote.authType === connection.authType && !managed.has(remoteKey(target.workspaceId, remote.connectionId)),
    );
    const removedSince = linked?.removed === true || (target.remoteConnectionId !== null && !linked);
    const gone: UpdateReason[] = removedSince ? ['removed_remotely'] : [];
    if (sameName) {
      managed.add(remoteKey(target.workspaceId, sameName.connectionId));
      items.push({
        ...base,
        action: updatable ? 'update' : 'replace',
        reasons: [...gone, 'takes_over_existing', ...(updatable ? [] : (['not_updatable'] as const))],
        changes: [SECRETS_CHANGED],
        remoteName: sameName.name,
        remoteConnectionId: sameName.connectionId,
      });
    } else {
      items.push({ ...base, action: 'create', reasons: gone, changes: [], remoteName: null, remoteConnectionId: null });
    }
  }

  for (const deletion of scope.deletions) {
    const remote = remotesById.get(remoteKey(deletion.workspaceId, deletion.remoteConnectionId));
    const owner = input.targets.find((t) => t.workspaceId === deletion.workspaceId && t.remoteConnectionId === deletion.remoteConnectionId);
    items.push({
      ...CONNECTION_ITEM,
      workspaceId: deletion.workspaceId,
      action: 'delete',
      reasons: [],
      changes: [],
      keptConnectionId: owner?.keptConnectionId ?? null,
      authType: remote?.authType ?? null,
      remoteName: remote?.name ?? null,
      newName: null,
      remoteConnectionId: deletion.remoteConnectionId,
      valueFingerprint: null,
    });
  }

  // Every other connection in the workspaces planned for is left alone, and listed as such (all connections only).
  if (scope.connectionIds === null) {
    const workspaces = new Set(items.map((item) => item.workspaceId));
    for (const id of scope.workspaceIds ?? []) workspaces.add(id);
    for (const remote of input.remotes) {
      const key = remoteKey(remote.workspaceId, remote.connectionId);
      if (remote.removed || !workspaces.has(remote.workspaceId) || managed.has(key) || deleting.has(key)) continue;
      items.push({
        ...CONNECTION_ITEM,
        workspaceId: remote.workspaceId,
        action: 'remote_only',
        reasons: [],
        changes: [],
        keptConnectionId: null,
        authType: remote.authType,
        remoteName: remote.name,
        newName: null,
        remoteConnectionId: remote.connectionId,
        valueFingerprint: null,
      });
    }
  }
  return items;
}
