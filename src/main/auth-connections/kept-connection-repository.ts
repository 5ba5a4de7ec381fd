import type { ConnectionAuthType } from '../../shared/schemas/connection-definitions';
import type { PemFacts, PublicFieldValue } from '../../shared/schemas/kept-connections';
import type { Database } from '../db/database';

/** A connection kept here as stored: keychain refs and a fingerprint, never a sensitive value. */
export interface KeptConnectionRecord {
  id: string;
  name: string;
  authType: ConnectionAuthType;
  /** The definition minus authType, name and its sensitive parts, as the type's schema parsed it. */
  publicFields: Record<string, PublicFieldValue>;
  /** HMAC-SHA256 of the sensitive parts (Fingerprinter, over `sensitivePartsText`). */
  fingerprint: string;
  pem: PemFacts | null;
  certificateNotAfter: number | null;
  createdAt: number;
  updatedAt: number;
  secretsChangedAt: number;
}

/** Where a kept connection goes: a workspace, a name there (null: its own), what was last pushed. */
export interface KeptConnectionTargetRecord {
  keptConnectionId: string;
  workspaceId: string;
  remoteName: string | null;
  remoteConnectionId: string | null;
  pushedFingerprint: string | null;
  pushedName: string | null;
  /** The public fields pushed, authType included (to tell an update from a replace). */
  pushedFields: PublicDefinition | null;
  pushedAt: number | null;
}

/** What of a definition is public, without its name: what a target records as pushed. */
export type PublicDefinition = { authType: ConnectionAuthType } & Record<string, PublicFieldValue>;

/** A remote auth connection as the last sync saw it. */
export interface RemoteConnectionRecord {
  workspaceId: string;
  connectionId: string;
  name: string;
  authType: string;
  provider: string | null;
  status: string | null;
  /** The allow-listed public settings the API returned (extraParamNames/customHeaderNames for maps). */
  details: Record<string, string | number | boolean | string[]>;
  usedBy: {
    tools: { id: string; name: string | null }[];
    mcpServers: { id: string; name: string | null }[];
    integrationConnections: { id: string; name: string | null }[];
  };
  removed: boolean;
}

interface ConnectionRow {
  id: string;
  name: string;
  auth_type: ConnectionAuthType;
  public_fields: string;
  fingerprint: string;
  pem_facts: string | null;
  certificate_not_after: number | null;
  created_at: number;
  updated_at: number;
  secrets_changed_at: number;
}

interface TargetRow {
  kept_connection_id: string;
  workspace_id: string;
  remote_name: string | null;
  remote_connection_id: string | null;
  pushed_fingerprint: string | null;
  pushed_name: string | null;
  pushed_fields: string | null;
  pushed_at: number | null;
}

interface RemoteRow {
  workspace_id: string;
  connection_id: string;
  name: string;
  auth_type: string;
  provider: string | null;
  status: string | null;
  details: string;
  used_by: string;
  removed: number;
}

/**
 * The tables of connections kept here. Plain SQL; callers own the transactions. The plan engine
 * reads `all()`, `allTargets()` and `remoteConnections()` (as it reads local secrets, their
 * targets and the remote secrets), and records a push with `recordPushed` / `unlinkRemote`.
 */
export class KeptConnectionRepository {
  constructor(private readonly db: Database) {}

  all(): KeptConnectionRecord[] {
    return (this.db.prepare('SELECT * FROM kept_connections ORDER BY name').all() as ConnectionRow[]).map(toConnection);
  }

  find(id: string): KeptConnectionRecord | undefined {
    const row = this.db.prepare('SELECT * FROM kept_connections WHERE id = ?').get(id) as ConnectionRow | undefined;
    return row && toConnection(row);
  }

  findByName(name: string): KeptConnectionRecord | undefined {
    const row = this.db.prepare('SELECT * FROM kept_connections WHERE name = ?').get(name) as ConnectionRow | undefined;
    return row && toConnection(row);
  }

  insert(record: KeptConnectionRecord): void {
    this.db
      .prepare(
        `INSERT INTO kept_connections (id, name, auth_type, public_fields, fingerprint, pem_facts, certificate_not_after,
           created_at, updated_at, secrets_changed_at)
         VALUES (@id, @name, @authType, @publicFields, @fingerprint, @pem, @certificateNotAfter, @createdAt, @updatedAt, @secretsChangedAt)`,
      )
      .run(toParams(record));
  }

  update(record: KeptConnectionRecord): void {
    this.db
      .prepare(
        `UPDATE kept_connections SET name = @name, auth_type = @authType, public_fields = @publicFields, fingerprint = @fingerprint,
           pem_facts = @pem, certificate_not_after = @certificateNotAfter, updated_at = @updatedAt, secrets_changed_at = @secretsChangedAt
         WHERE id = @id`,
      )
      .run(toParams(record));
  }

  delete(id: string): void {
    this.db.prepare('DELETE FROM kept_connections WHERE id = ?').run(id);
  }

  /** The keychain refs of a connection's sensitive parts, by field. */
  credentialRefs(id: string): Record<string, string> {
    const rows = this.db
      .prepare('SELECT field, credential_ref AS ref FROM kept_connection_credentials WHERE kept_connection_id = ?')
      .all(id) as {
      field: string;
      ref: string;
    }[];
    return Object.fromEntries(rows.map((row) => [row.field, row.ref]));
  }

  setCredentialRef(id: string, field: string, ref: string): void {
    this.db
      .prepare(
        `INSERT INTO kept_connection_credentials (kept_connection_id, field, credential_ref) VALUES (?, ?, ?)
         ON CONFLICT (kept_connection_id, field) DO UPDATE SET credential_ref = excluded.credential_ref`,
      )
      .run(id, field, ref);
  }

  removeCredentialRef(id: string, field: string): void {
    this.db.prepare('DELETE FROM kept_connection_credentials WHERE kept_connection_id = ? AND field = ?').run(id, field);
  }

  /** Whether a row points at this keychain entry, for reconcile. */
  ownsRef(ref: string): boolean {
    return this.db.prepare('SELECT 1 FROM kept_connection_credentials WHERE credential_ref = ?').get(ref) !== undefined;
  }

  targetsOf(id: string): KeptConnectionTargetRecord[] {
    return (
      this.db.prepare('SELECT * FROM kept_connection_targets WHERE kept_connection_id = ? ORDER BY workspace_id').all(id) as TargetRow[]
    ).map(toTarget);
  }

  allTargets(): KeptConnectionTargetRecord[] {
    return (this.db.prepare('SELECT * FROM kept_connection_targets').all() as TargetRow[]).map(toTarget);
  }

  /** The kept connection (other than `exceptId`) that already goes to this name in this workspace. */
  targetNamed(workspaceId: string, remoteName: string, exceptId: string | null): { id: string; name: string } | undefined {
    return this.db
      .prepare(
        `SELECT c.id AS id, c.name AS name FROM kept_connection_targets t JOIN kept_connections c ON c.id = t.kept_connection_id
         WHERE t.workspace_id = ? AND coalesce(t.remote_name, c.name) = ? AND (? IS NULL OR c.id <> ?)`,
      )
      .get(workspaceId, remoteName, exceptId, exceptId) as { id: string; name: string } | undefined;
  }

  /** The kept connection whose target is this remote connection. */
  ownerOfRemote(workspaceId: string, remoteConnectionId: string): { id: string; name: string } | undefined {
    return this.db
      .prepare(
        `SELECT c.id AS id, c.name AS name FROM kept_connection_targets t JOIN kept_connections c ON c.id = t.kept_connection_id
         WHERE t.workspace_id = ? AND t.remote_connection_id = ?`,
      )
      .get(workspaceId, remoteConnectionId) as { id: string; name: string } | undefined;
  }

  /** Replaces a connection's targets; a workspace it keeps keeps what was pushed to it. */
  replaceTargets(id: string, targets: { workspaceId: string; remoteName: string | null }[]): void {
    const kept = new Set(targets.map((t) => t.workspaceId));
    const remove = this.db.prepare('DELETE FROM kept_connection_targets WHERE kept_connection_id = ? AND workspace_id = ?');
    for (const existing of this.targetsOf(id)) if (!kept.has(existing.workspaceId)) remove.run(id, existing.workspaceId);
    const upsert = this.db.prepare(
      `INSERT INTO kept_connection_targets (kept_connection_id, workspace_id, remote_name) VALUES (?, ?, ?)
       ON CONFLICT (kept_connection_id, workspace_id) DO UPDATE SET remote_name = excluded.remote_name`,
    );
    for (const target of targets) upsert.run(id, target.workspaceId, target.remoteName);
  }

  /** Points a target at a remote connection (adopted, or created by a push), not yet pushed from here. */
  linkRemote(id: string, workspaceId: string, remoteConnectionId: string, remoteName: string | null): void {
    this.db
      .prepare(
        `INSERT INTO kept_connection_targets (kept_connection_id, workspace_id, remote_name, remote_connection_id) VALUES (?, ?, ?, ?)
         ON CONFLICT (kept_connection_id, workspace_id) DO UPDATE SET remote_name = excluded.remote_name,
           remote_connection_id = excluded.remote_connection_id, pushed_fingerprint = NULL, pushed_name = NULL,
           pushed_fields = NULL, pushed_at = NULL`,
      )
      .run(id, workspaceId, remoteName, remoteConnectionId);
  }

  /** What a push just put in the workspace: these sensitive parts, this name and these fields, as this connection. */
  recordPushed(
    id: string,
    workspaceId: string,
    pushed: { remoteConnectionId: string; fingerprint: string; name: string; fields: PublicDefinition; at: number },
  ): void {
    this.db
      .prepare(
        `UPDATE kept_connection_targets SET remote_connection_id = @remoteConnectionId, pushed_fingerprint = @fingerprint,
           pushed_name = @name, pushed_fields = @fields, pushed_at = @at WHERE kept_connection_id = @id AND workspace_id = @workspaceId`,
      )
      .run({ ...pushed, fields: JSON.stringify(pushed.fields), id, workspaceId });
  }

  /** After a remote delete: the target no longer has a remote connection. */
  unlinkRemote(workspaceId: string, remoteConnectionId: string): void {
    this.db
      .prepare(
        `UPDATE kept_connection_targets SET remote_connection_id = NULL, pushed_fingerprint = NULL, pushed_name = NULL,
           pushed_fields = NULL, pushed_at = NULL WHERE workspace_id = ? AND remote_connection_id = ?`,
      )
      .run(workspaceId, remoteConnectionId);
  }

  /** The synced auth connections of the given workspaces (null: all), removed ones included. */
  remoteConnections(workspaceIds: string[] | null): RemoteConnectionRecord[] {
    const rows = this.db
      .prepare(
        `SELECT workspace_id, connection_id, name, auth_type, provider, status, details, used_by,
           removed_remotely_at IS NOT NULL AS removed
         FROM auth_connections WHERE @all = 1 OR workspace_id IN (SELECT value FROM json_each(@ids))`,
      )
      .all({ all: workspaceIds === null ? 1 : 0, ids: JSON.stringify(workspaceIds ?? []) }) as RemoteRow[];
    return rows.map(toRemote);
  }

  remoteConnection(workspaceId: string, connectionId: string): RemoteConnectionRecord | undefined {
    const row = this.db
      .prepare(
        `SELECT workspace_id, connection_id, name, auth_type, provider, status, details, used_by,
           removed_remotely_at IS NOT NULL AS removed
         FROM auth_connections WHERE workspace_id = ? AND connection_id = ?`,
      )
      .get(workspaceId, connectionId) as RemoteRow | undefined;
    return row && toRemote(row);
  }
}

function toParams(record: KeptConnectionRecord) {
  return {
    ...record,
    publicFields: JSON.stringify(record.publicFields),
    pem: record.pem === null ? null : JSON.stringify(record.pem),
  };
}

function toConnection(row: ConnectionRow): KeptConnectionRecord {
  return {
    id: row.id,
    name: row.name,
    authType: row.auth_type,
    publicFields: JSON.parse(row.public_fields) as Record<string, PublicFieldValue>,
    fingerprint: row.fingerprint,
    pem: row.pem_facts === null ? null : (JSON.parse(row.pem_facts) as PemFacts),
    certificateNotAfter: row.certificate_not_after,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    secretsChangedAt: row.secrets_changed_at,
  };
}

function toTarget(row: TargetRow): KeptConnectionTargetRecord {
  return {
    keptConnectionId: row.kept_connection_id,
    workspaceId: row.workspace_id,
    remoteName: row.remote_name,
    remoteConnectionId: row.remote_connection_id,
    pushedFingerprint: row.pushed_fingerprint,
    pushedName: row.pushed_name,
    pushedFields: row.pushed_fields === null ? null : (JSON.parse(row.pushed_fields) as PublicDefinition),
    pushedAt: row.pushed_at,
  };
}

function toRemote(row: RemoteRow): RemoteConnectionRecord {
  return {
    workspaceId: row.workspace_id,
    connectionId: row.connection_id,
    name: row.name,
    authType: row.auth_type,
    provider: row.provider,
    status: row.status,
    details: JSON.parse(row.details) as RemoteConnectionRecord['details'],
    usedBy: JSON.parse(row.used_by) as RemoteConnectionRecord['usedBy'],
    removed: row.removed === 1,
  };
}
