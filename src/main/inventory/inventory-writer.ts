import { createHash } from 'node:crypto';
import type { Database } from '../db/database';
import type { Dependant } from '../../shared/schemas/inventory';
import type { Problem } from '../../shared/schemas/common';
import type { RemoteAuthConnection, RemoteSecret } from '../elevenlabs/types';
import type { WorkspaceRepository } from '../workspaces/workspace-repository';
import { creatableAuthTypes } from '../../shared/schemas/inventory';

export interface SyncSnapshot {
  secrets: RemoteSecret[];
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

const creatable = new Set<string>(creatableAuthTypes);

/**
 * Writes one workspace's fetched inventory in a single transaction: either all of it lands or
 * none does, so a crash mid-sync leaves the previous inventory whole. Secrets missing from the
 * fetch are marked removed, never dropped.
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
      if (snapshot.authConnections) this.#writeConnections(workspaceId, snapshot.authConnections, generation, at);
      const counts = this.#counts(workspaceId);
      this.workspaces.recordSyncSuccess(workspaceId, { generation, at, note: snapshot.note, ...counts });
      return counts;
    })();
  }

  #writeSecrets(workspaceId: string, secrets: RemoteSecret[], generation: number, at: number): void {
    const existing = new Map(
      (
        this.db.prepare('SELECT row_id, secret_id, dependants_digest FROM workspace_secrets WHERE workspace_id = ?').all(workspaceId) as {
          row_id: number;
          secret_id: string;
          dependants_digest: string;
        }[]
      ).map((row) => [row.secret_id, row]),
    );
    const insertSecret = this.db.prepare(
      `INSERT INTO workspace_secrets (workspace_id, secret_id, name, name_folded, agents_count, tools_count,
         phone_numbers_count, mcp_servers_count, others_count, dependant_count, dependants_truncated, dependants_digest,
         first_seen_at, last_seen_at, seen_generation)
       VALUES (@workspaceId, @secretId, @name, @nameFolded, @agents, @tools, @phoneNumbers, @mcpServers, @others,
         @dependantCount, @truncated, @digest, @at, @at, @generation)`,
    );
    const updateSecret = this.db.prepare(
      `UPDATE workspace_secrets SET name = @name, name_folded = @nameFolded, agents_count = @agents, tools_count = @tools,
         phone_numbers_count = @phoneNumbers, mcp_servers_count = @mcpServers, others_count = @others,
         dependant_count = @dependantCount, dependants_truncated = @truncated, dependants_digest = @digest,
         last_seen_at = @at, seen_generation = @generation, removed_remotely_at = NULL
       WHERE row_id = @rowId`,
    );
    const deleteDependants = this.db.prepare('DELETE FROM secret_dependants WHERE secret_row_id = ?');
    const insertDependant = this.db.prepare(
      `INSERT OR IGNORE INTO secret_dependants (secret_row_id, workspace_id, kind, dependant_id, name, access, access_level,
         created_at_unix, phone_number, provider, referenced_resource_ids)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const writeDependants = (rowId: number, dependants: Dependant[]) => {
      for (const d of dependants) {
        insertDependant.run(
          rowId,
          workspaceId,
          d.kind,
          d.id,
          d.name,
          d.access,
          d.accessLevel,
          d.createdAtUnix,
          d.phoneNumber,
          d.provider,
          JSON.stringify(d.referencedResourceIds),
        );
      }
    };

    for (const secret of secrets) {
      const values = secretValues(workspaceId, secret, generation, at);
      const previous = existing.get(secret.secretId);
      if (!previous) {
        const rowId = Number(insertSecret.run(values).lastInsertRowid);
        writeDependants(rowId, secret.dependants);
        continue;
      }
      updateSecret.run({ ...values, rowId: previous.row_id });
      if (previous.dependants_digest !== values.digest) {
        deleteDependants.run(previous.row_id);
        writeDependants(previous.row_id, secret.dependants);
      }
    }
    this.db
      .prepare(
        `UPDATE workspace_secrets SET removed_remotely_at = ?
         WHERE workspace_id = ? AND seen_generation < ? AND removed_remotely_at IS NULL`,
      )
      .run(at, workspaceId, generation);
  }

  #writeConnections(workspaceId: string, connections: RemoteAuthConnection[], generation: number, at: number): void {
    const upsert = this.db.prepare(
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
    this.db
      .prepare(
        `UPDATE auth_connections SET removed_remotely_at = ?
         WHERE workspace_id = ? AND seen_generation < ? AND removed_remotely_at IS NULL`,
      )
      .run(at, workspaceId, generation);
  }

  #counts(workspaceId: string): SyncCounts {
    const secrets = this.db
      .prepare(
        `SELECT count(*) AS total, coalesce(sum(removed_remotely_at IS NOT NULL), 0) AS removed
         FROM workspace_secrets WHERE workspace_id = ?`,
      )
      .get(workspaceId) as { total: number; removed: number };
    const connections = this.db
      .prepare('SELECT count(*) AS total FROM auth_connections WHERE workspace_id = ? AND removed_remotely_at IS NULL')
      .get(workspaceId) as { total: number };
    return {
      secretCount: secrets.total - secrets.removed,
      removedSecretCount: secrets.removed,
      authConnectionCount: connections.total,
    };
  }
}

export function isReadOnlyAuthType(authType: string): boolean {
  return !creatable.has(authType);
}

function secretValues(workspaceId: string, secret: RemoteSecret, generation: number, at: number) {
  const count = (kind: Dependant['kind']) => secret.dependants.filter((d) => d.kind === kind).length;
  const truncated = secret.truncated.agents || secret.truncated.tools || secret.truncated.phoneNumbers;
  return {
    workspaceId,
    secretId: secret.secretId,
    name: secret.name,
    nameFolded: secret.name.toLowerCase(),
    agents: count('agent'),
    tools: count('tool'),
    phoneNumbers: count('phone_number'),
    mcpServers: count('mcp_server'),
    others: count('other'),
    dependantCount: secret.dependants.length,
    truncated: truncated ? 1 : 0,
    digest: createHash('md5').update(JSON.stringify(secret.dependants)).update(truncated ? '1' : '0').digest('base64'),
    at,
    generation,
  };
}
