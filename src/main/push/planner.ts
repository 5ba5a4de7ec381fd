import type { PlanAction, updateReasons } from '../../shared/schemas/push';
import type { LocalSecretRecord, RemoteSecretRecord, TargetRecord } from '../local-secrets/local-secret-repository';

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
  action: PlanAction;
  reasons: UpdateReason[];
  localSecretId: string | null;
  /** The remote secret's name now (null before a create). */
  remoteName: string | null;
  /** Its name once the item is applied. */
  newName: string | null;
  remoteSecretId: string | null;
  /** The value's fingerprint the item sends (creates and updates). */
  valueFingerprint: string | null;
}

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
    const base = { workspaceId: target.workspaceId, localSecretId: secret.id, valueFingerprint: secret.fingerprint };

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
