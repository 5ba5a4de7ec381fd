import { createHash } from 'node:crypto';
import type { Database } from '../db/database';
import type { Problem } from '../../shared/schemas/common';
import { creatableAuthTypes, type Dependant } from '../../shared/schemas/inventory';
import type { RemoteAuthConnection, RemoteSecret } from '../elevenlabs/types';
import type { WorkspaceRepository } from '../workspaces/workspace-repository';

export interface SyncSnapshot {
  secrets: SecretRecord[];
  /** Null when the key may not list auth connections: the cached ones are left as they are. */
  authConnections: RemoteAuthConnection[] | null;
  /** A non-fatal note for the user, e.g. a permission the key lacks. */
  note: Problem | null;
}

export interface SyncCounts {
  secretCount: number;
  removedSecretCount: number;
  authConnectionCount: number;
}

type DependantValues = [string, string, string | null, string, string | null, number | null, string | null, string | null, string];

/**
 * A fetched secret already in the shape of its rows. Built page by page while the next page is
 * on its way, so the final transaction only binds values.
 */
export interface SecretRecord {
  secretId: string;
  name: string;
  /** Fingerprint of the dependants, so an unchanged secret's dependants are not rewritten. */
  digest: string;
  /** name, name_folded, agents, tools, phone numbers, MCP servers, others, total, truncated, digest */
  values: [string, string, number, number, number, number, number, number, number, string];
  /** kind, id, name, access, access level, created at, phone number, provider, referenced ids (JSON) */
  dependantValues: DependantValues[];
}

const countColumn: Record<Dependant['kind'], number> = { agent: 0, tool: 1, phone_number: 2, mcp_server: 3, other: 4 };

export function toSecretRecord(secret: RemoteSecret): SecretRecord {
  const counts = [0, 0, 0, 0, 0];
  const dependantValues = secret.dependants.map((d): DependantValues => {
    counts[countColumn[d.kind]]! += 1;
    const referenced = d.referencedResourceIds.length === 0 ? '[]' : JSON.stringify(d.referencedResourceIds);
    return [d.kind, d.id, d.name, d.access, d.accessLevel, d.createdAtUnix, d.phoneNumber, d.provider, referenced];
  });
  const truncated = secret.truncated.agents || secret.truncated.tools || secret.truncated.phoneNumbers ? 1 : 0;
  const hash = createHash('md5').update(String(truncated));
  for (const values of dependantValues) hash.update(values.join('\u0000')).update('\u0001');
  const digest = hash.digest('base64');
  return {
    secretId: secret.secretId,
    name: secret.name,
    digest,
    values: [secret.name, secret.name.toLowerCase(), counts[0]!, counts[1]!, counts[2]!, counts[3]!, counts[4]!, dependantValues.length, truncated, digest],
    dependantValues,
  };
}

/**
 * Writes one workspace's fetched inventory in a single transaction: either all of it lands or
 * none does, so a crash mid-sync leaves the previous inventory whole. Secrets missing from the
 * fetch are marked removed, never dropped; unchanged ones are only stamped as seen.
 */
export class InventoryWriter {
  constructor(
    private readonly db: Database,
    private readonly workspaces: WorkspaceRepository,
  ) {}

  write(workspaceId: string, snapshot: SyncSnapshot, at: number): SyncCounts {
    return this.db.transaction((): SyncCounts => {
      const workspace = this.workspaces.find(workspaceId);
      if (!workspace) throw new Error('workspace removed during sync');
      const generation = workspace.syncGeneration + 1;
      this.#writeSecrets(workspaceId, snapshot.secrets, generation, at);
      if (snapshot.authConnections) writeConnections(this.db, workspaceId, snapshot.authConnections, generation, at);
      const counts = countInventory(this.db, workspaceId);
      this.workspaces.recordSyncSuccess(workspaceId, { generation, at, note: snapshot.note, ...counts });
      return counts;
    })();
  }

  #writeSecrets(workspaceId: string, records: SecretRecord[], generation: number, at: number): void {
    const existing = new Map(
      (
        this.db
          .prepare(
            `SELECT secret_id, row_id, name, dependants_digest, removed_remotely_at IS NOT NULL AS removed
             FROM workspace_secrets WHERE workspace_id = ?`,
          )
          .raw()
          .all(workspaceId) as [string, number, string, string, number][]
      ).map(([secretId, rowId, name, digest, removed]) => [secretId, { rowId, name, digest, removed: removed === 1 }]),
    );
    const insertSecret = this.db.prepare(
      `INSERT INTO workspace_secrets (workspace_id, secret_id, name, name_folded, agents_count, tools_count,
         phone_numbers_count, mcp_servers_count, others_count, dependant_count, dependants_truncated, dependants_digest,
         first_seen_at, last_seen_at, seen_generation)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const updateSecret = this.db.prepare(
      `UPDATE workspace_secrets SET name = ?, name_folded = ?, agents_count = ?, tools_count = ?, phone_numbers_count = ?,
         mcp_servers_count = ?, others_count = ?, dependant_count = ?, dependants_truncated = ?, dependants_digest = ?,
         last_seen_at = ?, seen_generation = ?, removed_remotely_at = NULL
       WHERE row_id = ?`,
    );
    const deleteDependants = this.db.prepare('DELETE FROM secret_dependants WHERE secret_row_id = ?');
    const insertDependant = this.db.prepare(
      `INSERT OR IGNORE INTO secret_dependants (secret_row_id, workspace_id, kind, dependant_id, name, access, access_level,
         created_at_unix, phone_number, provider, referenced_resource_ids)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const unchanged: number[] = [];
    for (const record of records) {
      const previous = existing.get(record.secretId);
      if (previous && previous.name === record.name && previous.digest === record.digest && !previous.removed) {
        unchanged.push(previous.rowId);
        continue;
      }
      let rowId: number;
      if (previous) {
        rowId = previous.rowId;
        updateSecret.run(...record.values, at, generation, rowId);
        if (previous.digest === record.digest) continue;
        deleteDependants.run(rowId);
      } else {
        rowId = Number(insertSecret.run(workspaceId, record.secretId, ...record.values, at, at, generation).lastInsertRowid);
      }
      for (const dependant of record.dependantValues) insertDependant.run(rowId, workspaceId, ...dependant);
    }
    this.db
      .prepare('UPDATE workspace_secrets SET last_seen_at = ?, seen_generation = ? WHERE row_id IN (SELECT value FROM json_each(?))')
      .run(at, generation, JSON.stringify(unchanged));
    this.db
      .prepare(
        `UPDATE workspace_secrets SET removed_remotely_at = ?
         WHERE workspace_id = ? AND seen_generation < ? AND removed_remotely_at IS NULL`,
      )
      .run(at, workspaceId, generation);
  }
}

function writeConnections(db: Database, workspaceId: string, connections: RemoteAuthConnection[], generation: number, at: number): void {
  const upsert = db.prepare(
    `INSERT INTO auth_connections (workspace_id, connection_id, name, name_folded, auth_type, provider, status,
       status_detail, details, used_by, first_seen_at, seen_generation)
     VALUES (@workspaceId, @connectionId, @name, @nameFolded, @authType, @provider, @status, @statusDetail, @details,
       @usedBy, @at, @generation)
     ON CONFLICT (workspace_id, connection_id) DO UPDATE SET name = excluded.name, name_folded = excluded.name_folded,
       auth_type = excluded.auth_type, provider = excluded.provider, status = excluded.status,
       status_detail = excluded.status_detail, details = excluded.details, used_by = excluded.used_by,
       seen_generation = excluded.seen_generation, removed_remotely_at = NULL`,
  );
  for (const connection of connections) {
    upsert.run({
      workspaceId,
      connectionId: connection.connectionId,
      name: connection.name,
      nameFolded: connection.name.toLowerCase(),
      authType: connection.authType,
      provider: connection.provider,
      status: connection.status,
      statusDetail: connection.statusDetail,
      details: JSON.stringify(connection.details),
      usedBy: JSON.stringify(connection.usedBy),
      at,
      generation,
    });
  }
  db.prepare(
    `UPDATE auth_connections SET removed_remotely_at = ?
     WHERE workspace_id = ? AND seen_generation < ? AND removed_remotely_at IS NULL`,
  ).run(at, workspaceId, generation);
}

function countInventory(db: Database, workspaceId: string): SyncCounts {
  const secrets = db
    .prepare(
      `SELECT count(*) AS total, coalesce(sum(removed_remotely_at IS NOT NULL), 0) AS removed
       FROM workspace_secrets WHERE workspace_id = ?`,
    )
    .get(workspaceId) as { total: number; removed: number };
  const connections = db
    .prepare('SELECT count(*) AS total FROM auth_connections WHERE workspace_id = ? AND removed_remotely_at IS NULL')
    .get(workspaceId) as { total: number };
  return {
    secretCount: secrets.total - secrets.removed,
    removedSecretCount: secrets.removed,
    authConnectionCount: connections.total,
  };
}

const creatable = new Set<string>(creatableAuthTypes);

export function isReadOnlyAuthType(authType: string): boolean {
  return !creatable.has(authType);
}
