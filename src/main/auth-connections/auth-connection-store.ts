import type { AuthConnectionRow, ListAuthConnectionsReply } from '../../shared/schemas/auth-connections';
import { foldForSearch } from '../../shared/search';
import type { Database } from '../db/database';
import type { RemoteAuthConnection } from '../elevenlabs/types';
import type { WorkspaceRepository } from '../workspaces/workspace-repository';
import { expiresAtOf, isReadOnlyAuthType } from './rules';

interface ConnectionDbRow {
  workspace_id: string;
  connection_id: string;
  name: string;
  auth_type: string;
  provider: string | null;
  status: string | null;
  status_detail: string | null;
  details: string;
  used_by: string;
  first_seen_at: number;
  removed_remotely_at: number | null;
}

/**
 * The cached auth connections of every workspace: written by a sync (inside its transaction),
 * read by the auth connections view. Settings only; their secret fields never reach the app.
 */
export class AuthConnectionStore {
  constructor(
    private readonly db: Database,
    private readonly workspaces: WorkspaceRepository,
  ) {}

  /** Replaces one workspace's cached list; ones no longer listed are marked, not dropped. Call inside the sync's transaction. */
  replaceAll(workspaceId: string, connections: RemoteAuthConnection[], generation: number, at: number): void {
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
        nameFolded: foldForSearch(connection.name),
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

  /** Connections still listed remotely, for the workspace's counts. */
  countPresent(workspaceId: string): number {
    return (
      this.db
        .prepare('SELECT count(*) AS n FROM auth_connections WHERE workspace_id = ? AND removed_remotely_at IS NULL')
        .get(workspaceId) as { n: number }
    ).n;
  }

  list(workspaceId: string | null, query: string): ListAuthConnectionsReply {
    // A workspace has a handful of connections: they are filtered here, with the same folding as secrets.
    const folded = foldForSearch(query.trim());
    const rows = (
      this.db
        .prepare(
          `SELECT * FROM auth_connections WHERE (@workspaceId IS NULL OR workspace_id = @workspaceId)
           ORDER BY removed_remotely_at IS NOT NULL, name_folded, row_id`,
        )
        .all({ workspaceId }) as ConnectionDbRow[]
    ).filter((row) => folded === '' || foldForSearch(row.name).includes(folded));
    const unreadable = this.workspaces
      .all()
      .filter((w) => (workspaceId === null || w.id === workspaceId) && w.access.authConnections.state === 'denied')
      .map((w) => ({ workspaceId: w.id, permission: w.access.authConnections.permission }));
    return { connections: rows.map(toRow), unreadable };
  }
}

function toRow(row: ConnectionDbRow): AuthConnectionRow {
  const details = JSON.parse(row.details) as AuthConnectionRow['details'];
  return {
    workspaceId: row.workspace_id,
    connectionId: row.connection_id,
    name: row.name,
    authType: row.auth_type,
    provider: row.provider,
    status: row.status,
    statusDetail: row.status_detail,
    details,
    expiresAt: expiresAtOf(details),
    usedBy: JSON.parse(row.used_by) as AuthConnectionRow['usedBy'],
    readOnly: isReadOnlyAuthType(row.auth_type),
    firstSeenAt: row.first_seen_at,
    removedRemotelyAt: row.removed_remotely_at,
  };
}
