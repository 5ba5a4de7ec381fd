import type { Database } from '../db/database';
import type { Redactor } from '../logging/redactor';
import type { Problem } from '../../shared/schemas/common';
import type { Access, Residency, WorkspaceSummary } from '../../shared/schemas/workspaces';

/** A workspace row as stored. `apiKeyRef` names the keychain entry; the key is never here. */
export interface WorkspaceRecord {
  id: string;
  label: string;
  residency: Residency;
  baseUrl: string | null;
  apiKeyRef: string;
  verification: 'verified' | 'unverified';
  remoteWorkspaceId: string | null;
  ownerFirstName: string | null;
  planTier: string | null;
  seatType: string | null;
  missingPermissions: string[];
  position: number;
  createdAt: number;
  keyCheckedAt: number | null;
  reachability: 'unknown' | 'reachable' | 'unreachable';
  lastContactAt: number | null;
  syncStatus: 'never' | 'ok' | 'failed';
  lastSyncAttemptAt: number | null;
  lastSyncSuccessAt: number | null;
  lastSyncProblem: Problem | null;
  syncGeneration: number;
  secretCount: number;
  removedSecretCount: number;
  authConnectionCount: number;
  access: { secrets: Access; authConnections: Access };
}

/** What a key check learned, stored with the workspace. */
export interface KeyFacts {
  verification: 'verified' | 'unverified';
  remoteWorkspaceId: string | null;
  ownerFirstName: string | null;
  planTier: string | null;
  seatType: string | null;
  missingPermissions: string[];
  keyCheckedAt: number | null;
}

interface WorkspaceRow {
  id: string;
  label: string;
  residency: Residency;
  base_url: string | null;
  api_key_ref: string;
  verification: 'verified' | 'unverified';
  remote_workspace_id: string | null;
  owner_first_name: string | null;
  plan_tier: string | null;
  seat_type: string | null;
  missing_permissions: string;
  position: number;
  created_at: number;
  key_checked_at: number | null;
  reachability: 'unknown' | 'reachable' | 'unreachable';
  last_contact_at: number | null;
  sync_status: 'never' | 'ok' | 'failed';
  last_sync_attempt_at: number | null;
  last_sync_success_at: number | null;
  last_sync_problem: string | null;
  sync_generation: number;
  secret_count: number;
  removed_secret_count: number;
  auth_connection_count: number;
  secret_access: Access['state'];
  secret_denied_permission: string | null;
  auth_connection_access: Access['state'];
  auth_connection_denied_permission: string | null;
}

const ACTIVE_WORKSPACE_KEY = 'active_workspace_id';

export class WorkspaceRepository {
  constructor(
    private readonly db: Database,
    /** Problems are stored scrubbed, like every reply: they are shown again later. */
    private readonly redactor: Redactor,
  ) {}

  all(): WorkspaceRecord[] {
    const rows = this.db.prepare('SELECT * FROM workspaces ORDER BY position, created_at').all() as WorkspaceRow[];
    return rows.map(toRecord);
  }

  find(id: string): WorkspaceRecord | undefined {
    const row = this.db.prepare('SELECT * FROM workspaces WHERE id = ?').get(id) as WorkspaceRow | undefined;
    return row && toRecord(row);
  }

  isKeyRefUsed(ref: string): boolean {
    return this.db.prepare('SELECT 1 FROM workspaces WHERE api_key_ref = ?').get(ref) !== undefined;
  }

  insert(
    workspace: { id: string; label: string; residency: Residency; baseUrl: string | null; apiKeyRef: string; createdAt: number } & KeyFacts,
  ): void {
    const position = (this.db.prepare('SELECT coalesce(max(position), 0) + 1 AS next FROM workspaces').get() as { next: number }).next;
    this.db
      .prepare(
        `INSERT INTO workspaces (id, label, residency, base_url, api_key_ref, verification, remote_workspace_id,
           owner_first_name, plan_tier, seat_type, missing_permissions, position, created_at, key_checked_at,
           reachability, last_contact_at, secret_access, secret_denied_permission)
         VALUES (@id, @label, @residency, @baseUrl, @apiKeyRef, @verification, @remoteWorkspaceId,
           @ownerFirstName, @planTier, @seatType, @missingPermissions, @position, @createdAt, @keyCheckedAt,
           @reachability, @lastContactAt, @secretAccess, @secretDeniedPermission)`,
      )
      .run({
        ...workspace,
        ...secretAccessColumns(workspace),
        missingPermissions: JSON.stringify(workspace.missingPermissions),
        position,
        reachability: workspace.keyCheckedAt === null ? 'unknown' : 'reachable',
        lastContactAt: workspace.keyCheckedAt,
      });
  }

  rename(id: string, label: string): void {
    this.db.prepare('UPDATE workspaces SET label = ? WHERE id = ?').run(label, id);
  }

  replaceKey(id: string, apiKeyRef: string, facts: KeyFacts): void {
    this.db
      .prepare(
        `UPDATE workspaces SET api_key_ref = @apiKeyRef, verification = @verification,
           remote_workspace_id = coalesce(@remoteWorkspaceId, remote_workspace_id),
           owner_first_name = coalesce(@ownerFirstName, owner_first_name),
           plan_tier = coalesce(@planTier, plan_tier), seat_type = coalesce(@seatType, seat_type),
           missing_permissions = @missingPermissions, key_checked_at = @keyCheckedAt,
           secret_access = @secretAccess, secret_denied_permission = @secretDeniedPermission,
           auth_connection_access = 'unknown', auth_connection_denied_permission = NULL
         WHERE id = @id`,
      )
      .run({ ...facts, ...secretAccessColumns(facts), id, apiKeyRef, missingPermissions: JSON.stringify(facts.missingPermissions) });
  }

  /** Deletes the workspace; its inventory and the local secrets' targets to it go with it (ON DELETE CASCADE). */
  delete(id: string): void {
    this.db.prepare('DELETE FROM workspaces WHERE id = ?').run(id);
  }

  /** The local secrets that target this workspace (their targets to it go when it is removed). */
  localSecretsTargeting(id: string): { id: string; name: string }[] {
    return this.db
      .prepare(
        `SELECT s.id, s.name FROM local_secret_targets t JOIN local_secrets s ON s.id = t.local_secret_id
         WHERE t.workspace_id = ? ORDER BY s.name`,
      )
      .all(id) as { id: string; name: string }[];
  }

  recordContact(id: string, reachable: boolean, at: number): void {
    this.db
      .prepare(`UPDATE workspaces SET reachability = ?, last_contact_at = CASE WHEN ? THEN ? ELSE last_contact_at END WHERE id = ?`)
      .run(reachable ? 'reachable' : 'unreachable', reachable ? 1 : 0, at, id);
  }

  /** What a sync learned the key may read (only the parts it learned anything about). */
  recordAccess(id: string, access: { secrets?: Access; authConnections?: Access }): void {
    if (access.secrets) {
      this.db
        .prepare('UPDATE workspaces SET secret_access = ?, secret_denied_permission = ? WHERE id = ?')
        .run(access.secrets.state, access.secrets.permission, id);
    }
    if (access.authConnections) {
      this.db
        .prepare('UPDATE workspaces SET auth_connection_access = ?, auth_connection_denied_permission = ? WHERE id = ?')
        .run(access.authConnections.state, access.authConnections.permission, id);
    }
  }

  recordSyncFailure(id: string, problem: Problem, at: number): void {
    this.db
      .prepare(`UPDATE workspaces SET sync_status = 'failed', last_sync_attempt_at = ?, last_sync_problem = ? WHERE id = ?`)
      .run(at, JSON.stringify(this.redactor.scrubDeep(problem)), id);
  }

  /** Called inside the inventory transaction, so counts and data change together. */
  recordSyncSuccess(
    id: string,
    result: {
      generation: number;
      at: number;
      secretCount: number;
      removedSecretCount: number;
      authConnectionCount: number;
      note: Problem | null;
    },
  ): void {
    this.db
      .prepare(
        `UPDATE workspaces SET sync_status = 'ok', last_sync_attempt_at = @at, last_sync_success_at = @at,
           last_sync_problem = @note, sync_generation = @generation, secret_count = @secretCount,
           removed_secret_count = @removedSecretCount, auth_connection_count = @authConnectionCount
         WHERE id = @id`,
      )
      .run({ ...result, id, note: result.note ? JSON.stringify(this.redactor.scrubDeep(result.note)) : null });
  }

  /** Workspaces whose cached inventory holds this secret id: secret ids are unique across ElevenLabs. */
  holdingSecretId(secretId: string): string[] {
    const rows = this.db.prepare('SELECT DISTINCT workspace_id FROM workspace_secrets WHERE secret_id = ?').all(secretId) as {
      workspace_id: string;
    }[];
    return rows.map((row) => row.workspace_id);
  }

  activeWorkspaceId(): string | null {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(ACTIVE_WORKSPACE_KEY) as { value: string } | undefined;
    return row?.value ?? null;
  }

  setActiveWorkspaceId(id: string | null): void {
    if (id === null) this.db.prepare('DELETE FROM settings WHERE key = ?').run(ACTIVE_WORKSPACE_KEY);
    else
      this.db
        .prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
        .run(ACTIVE_WORKSPACE_KEY, id);
  }
}

function toRecord(row: WorkspaceRow): WorkspaceRecord {
  return {
    id: row.id,
    label: row.label,
    residency: row.residency,
    baseUrl: row.base_url,
    apiKeyRef: row.api_key_ref,
    verification: row.verification,
    remoteWorkspaceId: row.remote_workspace_id,
    ownerFirstName: row.owner_first_name,
    planTier: row.plan_tier,
    seatType: row.seat_type,
    missingPermissions: JSON.parse(row.missing_permissions) as string[],
    position: row.position,
    createdAt: row.created_at,
    keyCheckedAt: row.key_checked_at,
    reachability: row.reachability,
    lastContactAt: row.last_contact_at,
    syncStatus: row.sync_status,
    lastSyncAttemptAt: row.last_sync_attempt_at,
    lastSyncSuccessAt: row.last_sync_success_at,
    lastSyncProblem: row.last_sync_problem ? (JSON.parse(row.last_sync_problem) as Problem) : null,
    syncGeneration: row.sync_generation,
    secretCount: row.secret_count,
    removedSecretCount: row.removed_secret_count,
    authConnectionCount: row.auth_connection_count,
    access: {
      secrets: { state: row.secret_access, permission: row.secret_denied_permission },
      authConnections: { state: row.auth_connection_access, permission: row.auth_connection_denied_permission },
    },
  };
}

/** The key check's word on listing secrets: the permission is `convai_read`. */
function secretAccessColumns(facts: KeyFacts): { secretAccess: Access['state']; secretDeniedPermission: string | null } {
  if (facts.missingPermissions.includes('convai_read')) return { secretAccess: 'denied', secretDeniedPermission: 'convai_read' };
  return { secretAccess: facts.verification === 'verified' ? 'allowed' : 'unknown', secretDeniedPermission: null };
}

/** The renderer's view of a workspace: no key ref, plus which others share its remote workspace. */
export function toSummary(record: WorkspaceRecord, all: WorkspaceRecord[]): WorkspaceSummary {
  return {
    id: record.id,
    label: record.label,
    residency: record.residency,
    baseUrl: record.baseUrl,
    verification: record.verification,
    remoteWorkspaceId: record.remoteWorkspaceId,
    ownerFirstName: record.ownerFirstName,
    planTier: record.planTier,
    seatType: record.seatType,
    missingPermissions: record.missingPermissions,
    access: record.access,
    sameRemoteAs: record.remoteWorkspaceId
      ? all.filter((other) => other.id !== record.id && other.remoteWorkspaceId === record.remoteWorkspaceId).map((other) => other.id)
      : [],
    createdAt: record.createdAt,
    keyCheckedAt: record.keyCheckedAt,
    reachability: record.reachability,
    lastContactAt: record.lastContactAt,
    sync: {
      status: record.syncStatus,
      lastAttemptAt: record.lastSyncAttemptAt,
      lastSuccessAt: record.lastSyncSuccessAt,
      problem: record.lastSyncProblem,
      secretCount: record.secretCount,
      removedSecretCount: record.removedSecretCount,
      authConnectionCount: record.authConnectionCount,
    },
  };
}
