import type { DependantCounts } from '../../shared/schemas/inventory';
import type { Database } from '../db/database';

/** A local secret as stored: keychain refs and fingerprints, never a value. */
export interface LocalSecretRecord {
  id: string;
  name: string;
  note: string;
  tags: string[];
  valueRef: string;
  previousValueRef: string | null;
  fingerprint: string;
  previousFingerprint: string | null;
  createdAt: number;
  updatedAt: number;
  valueChangedAt: number;
  /** Bound to a linked account: the value is its access token, replaced at every refresh. */
  linkedAccountId: string | null;
}

/** Where a local secret goes: a workspace, a remote name (null: its own), what was last pushed. */
export interface TargetRecord {
  localSecretId: string;
  workspaceId: string;
  remoteName: string | null;
  remoteSecretId: string | null;
  pushedFingerprint: string | null;
  pushedName: string | null;
  pushedAt: number | null;
}

/** A remote secret as the last sync saw it. */
export interface RemoteSecretRecord {
  workspaceId: string;
  secretId: string;
  name: string;
  removed: boolean;
  dependantCount: number;
  agentCount: number;
  /** Who uses it, by kind (for "1 agent and 2 phone numbers"). */
  counts: DependantCounts;
}

const REMOTE_COLUMNS = `workspace_id, secret_id, name, removed_remotely_at IS NOT NULL AS removed, dependant_count, agents_count,
  tools_count, phone_numbers_count, mcp_servers_count, others_count`;

interface RemoteRow {
  workspace_id: string;
  secret_id: string;
  name: string;
  removed: number;
  dependant_count: number;
  agents_count: number;
  tools_count: number;
  phone_numbers_count: number;
  mcp_servers_count: number;
  others_count: number;
}

function toRemote(row: RemoteRow): RemoteSecretRecord {
  return {
    workspaceId: row.workspace_id,
    secretId: row.secret_id,
    name: row.name,
    removed: row.removed === 1,
    dependantCount: row.dependant_count,
    agentCount: row.agents_count,
    counts: {
      agents: row.agents_count,
      tools: row.tools_count,
      phoneNumbers: row.phone_numbers_count,
      mcpServers: row.mcp_servers_count,
      others: row.others_count,
    },
  };
}

interface SecretRow {
  id: string;
  name: string;
  note: string;
  tags: string;
  value_ref: string;
  previous_value_ref: string | null;
  fingerprint: string;
  previous_fingerprint: string | null;
  created_at: number;
  updated_at: number;
  value_changed_at: number;
  linked_account_id: string | null;
}

interface TargetRow {
  local_secret_id: string;
  workspace_id: string;
  remote_name: string | null;
  remote_secret_id: string | null;
  pushed_fingerprint: string | null;
  pushed_name: string | null;
  pushed_at: number | null;
}

/** The local secrets' tables. Plain SQL; callers own the transactions. */
export class LocalSecretRepository {
  constructor(private readonly db: Database) {}

  all(): LocalSecretRecord[] {
    return (this.db.prepare('SELECT * FROM local_secrets ORDER BY name').all() as SecretRow[]).map(toSecret);
  }

  find(id: string): LocalSecretRecord | undefined {
    const row = this.db.prepare('SELECT * FROM local_secrets WHERE id = ?').get(id) as SecretRow | undefined;
    return row && toSecret(row);
  }

  findByName(name: string): LocalSecretRecord | undefined {
    const row = this.db.prepare('SELECT * FROM local_secrets WHERE name = ?').get(name) as SecretRow | undefined;
    return row && toSecret(row);
  }

  /** Whether a row points at this keychain entry (current or previous value), for reconcile. */
  ownsRef(ref: string): boolean {
    return this.db.prepare('SELECT 1 FROM local_secrets WHERE value_ref = ? OR previous_value_ref = ?').get(ref, ref) !== undefined;
  }

  insert(record: LocalSecretRecord): void {
    this.db
      .prepare(
        `INSERT INTO local_secrets (id, name, note, tags, value_ref, previous_value_ref, fingerprint, previous_fingerprint,
           created_at, updated_at, value_changed_at, linked_account_id)
         VALUES (@id, @name, @note, @tags, @valueRef, @previousValueRef, @fingerprint, @previousFingerprint,
           @createdAt, @updatedAt, @valueChangedAt, @linkedAccountId)`,
      )
      .run({ ...record, tags: JSON.stringify(record.tags) });
  }

  updateDetails(id: string, details: { name: string; note: string; tags: string[] }, at: number): void {
    this.db
      .prepare('UPDATE local_secrets SET name = ?, note = ?, tags = ?, updated_at = ? WHERE id = ?')
      .run(details.name, details.note, JSON.stringify(details.tags), at, id);
  }

  setValues(
    id: string,
    values: { valueRef: string; fingerprint: string; previousValueRef: string | null; previousFingerprint: string | null },
    at: number,
  ): void {
    this.db
      .prepare(
        `UPDATE local_secrets SET value_ref = @valueRef, fingerprint = @fingerprint, previous_value_ref = @previousValueRef,
           previous_fingerprint = @previousFingerprint, value_changed_at = @at, updated_at = @at WHERE id = @id`,
      )
      .run({ ...values, id, at });
  }

  delete(id: string): void {
    this.db.prepare('DELETE FROM local_secrets WHERE id = ?').run(id);
  }

  targetsOf(id: string): TargetRecord[] {
    return (
      this.db.prepare('SELECT * FROM local_secret_targets WHERE local_secret_id = ? ORDER BY workspace_id').all(id) as TargetRow[]
    ).map(toTarget);
  }

  /** Local secrets holding a value with this fingerprint. */
  withFingerprint(fingerprint: string): { id: string; name: string }[] {
    return this.db.prepare('SELECT id, name FROM local_secrets WHERE fingerprint = ? ORDER BY name').all(fingerprint) as {
      id: string;
      name: string;
    }[];
  }

  /** The local secret (other than `exceptId`) that already pushes to this name in this workspace. */
  targetNamed(workspaceId: string, remoteName: string, exceptId: string | null): { localSecretId: string; localName: string } | undefined {
    return this.db
      .prepare(
        `SELECT t.local_secret_id AS localSecretId, s.name AS localName FROM local_secret_targets t
         JOIN local_secrets s ON s.id = t.local_secret_id
         WHERE t.workspace_id = ? AND coalesce(t.remote_name, s.name) = ? AND (? IS NULL OR t.local_secret_id <> ?)`,
      )
      .get(workspaceId, remoteName, exceptId, exceptId) as { localSecretId: string; localName: string } | undefined;
  }

  /** Local secrets whose value is this account's access token. */
  boundTo(accountId: string): LocalSecretRecord[] {
    return (this.db.prepare('SELECT * FROM local_secrets WHERE linked_account_id = ? ORDER BY name').all(accountId) as SecretRow[]).map(
      toSecret,
    );
  }

  allTargets(): TargetRecord[] {
    return (this.db.prepare('SELECT * FROM local_secret_targets').all() as TargetRow[]).map(toTarget);
  }

  /** Replaces a secret's targets; a workspace it keeps keeps what was pushed to it. */
  replaceTargets(id: string, targets: { workspaceId: string; remoteName: string | null }[]): void {
    const kept = new Set(targets.map((t) => t.workspaceId));
    for (const existing of this.targetsOf(id)) {
      if (!kept.has(existing.workspaceId)) {
        this.db.prepare('DELETE FROM local_secret_targets WHERE local_secret_id = ? AND workspace_id = ?').run(id, existing.workspaceId);
      }
    }
    const upsert = this.db.prepare(
      `INSERT INTO local_secret_targets (local_secret_id, workspace_id, remote_name) VALUES (?, ?, ?)
       ON CONFLICT (local_secret_id, workspace_id) DO UPDATE SET remote_name = excluded.remote_name`,
    );
    for (const target of targets) upsert.run(id, target.workspaceId, target.remoteName);
  }

  /** Points a target at a remote secret (created by a push, or adopted). */
  linkRemote(id: string, workspaceId: string, remoteSecretId: string, remoteName: string | null): void {
    this.db
      .prepare(
        `INSERT INTO local_secret_targets (local_secret_id, workspace_id, remote_name, remote_secret_id) VALUES (?, ?, ?, ?)
         ON CONFLICT (local_secret_id, workspace_id) DO UPDATE SET remote_secret_id = excluded.remote_secret_id`,
      )
      .run(id, workspaceId, remoteName, remoteSecretId);
  }

  /** What a push just put in the workspace: this value, under this name, as this remote secret. */
  recordPushed(id: string, workspaceId: string, pushed: { remoteSecretId: string; fingerprint: string; name: string; at: number }): void {
    this.db
      .prepare(
        `UPDATE local_secret_targets SET remote_secret_id = @remoteSecretId, pushed_fingerprint = @fingerprint,
           pushed_name = @name, pushed_at = @at WHERE local_secret_id = @id AND workspace_id = @workspaceId`,
      )
      .run({ ...pushed, id, workspaceId });
  }

  /** After a remote delete: the target no longer has a remote secret. */
  unlinkRemote(workspaceId: string, remoteSecretId: string): void {
    this.db
      .prepare(
        `UPDATE local_secret_targets SET remote_secret_id = NULL, pushed_fingerprint = NULL, pushed_name = NULL, pushed_at = NULL
         WHERE workspace_id = ? AND remote_secret_id = ?`,
      )
      .run(workspaceId, remoteSecretId);
  }

  /** The synced inventory's secrets of the given workspaces, removed ones included. */
  remoteSecrets(workspaceIds: string[] | null): RemoteSecretRecord[] {
    const rows = this.db
      .prepare(`SELECT ${REMOTE_COLUMNS} FROM workspace_secrets WHERE @all = 1 OR workspace_id IN (SELECT value FROM json_each(@ids))`)
      .all({ all: workspaceIds === null ? 1 : 0, ids: JSON.stringify(workspaceIds ?? []) }) as RemoteRow[];
    return rows.map(toRemote);
  }

  remoteSecret(workspaceId: string, secretId: string): RemoteSecretRecord | undefined {
    const row = this.db
      .prepare(`SELECT ${REMOTE_COLUMNS} FROM workspace_secrets WHERE workspace_id = ? AND secret_id = ?`)
      .get(workspaceId, secretId) as RemoteRow | undefined;
    return row && toRemote(row);
  }
}

function toSecret(row: SecretRow): LocalSecretRecord {
  return {
    id: row.id,
    name: row.name,
    note: row.note,
    tags: JSON.parse(row.tags) as string[],
    valueRef: row.value_ref,
    previousValueRef: row.previous_value_ref,
    fingerprint: row.fingerprint,
    previousFingerprint: row.previous_fingerprint,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    valueChangedAt: row.value_changed_at,
    linkedAccountId: row.linked_account_id,
  };
}

function toTarget(row: TargetRow): TargetRecord {
  return {
    localSecretId: row.local_secret_id,
    workspaceId: row.workspace_id,
    remoteName: row.remote_name,
    remoteSecretId: row.remote_secret_id,
    pushedFingerprint: row.pushed_fingerprint,
    pushedName: row.pushed_name,
    pushedAt: row.pushed_at,
  };
}
