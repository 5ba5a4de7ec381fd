import type { Database } from '../db/database';
import type {
  Dependant,
  DependantOption,
  SearchSecretsReply,
  SearchSecretsRequest,
  SecretDetail,
  SecretRow,
} from '../../shared/schemas/inventory';
import { AppError } from '../errors';
import type { SecretSearchIndex } from './secret-search-index';

interface SecretDbRow {
  row_id: number;
  workspace_id: string;
  secret_id: string;
  name: string;
  agents_count: number;
  tools_count: number;
  phone_numbers_count: number;
  mcp_servers_count: number;
  others_count: number;
  dependant_count: number;
  dependants_truncated: number;
  first_seen_at: number;
  last_seen_at: number;
  removed_remotely_at: number | null;
}

const SECRET_COLUMNS = `row_id, workspace_id, secret_id, name, agents_count, tools_count, phone_numbers_count,
  mcp_servers_count, others_count, dependant_count, dependants_truncated, first_seen_at, last_seen_at, removed_remotely_at`;

/** Every review screen's reads. SQLite only: they work with no network at all. */
export class InventoryQueries {
  constructor(
    private readonly db: Database,
    private readonly index: SecretSearchIndex,
  ) {}

  searchSecrets(request: SearchSecretsRequest): SearchSecretsReply {
    const onlyRowIds = request.usedBy
      ? new Set(
          (
            this.db
              .prepare(
                `SELECT l.secret_row_id FROM workspace_dependants d
                 JOIN secret_dependant_links l ON l.dependant_row_id = d.row_id
                 WHERE d.workspace_id = ? AND d.kind = ? AND d.dependant_id = ?`,
              )
              .raw()
              .all(request.usedBy.workspaceId, request.usedBy.kind, request.usedBy.dependantId) as [number][]
          ).map(([rowId]) => rowId),
        )
      : null;
    const { total, rowIds } = this.index.search(request, onlyRowIds);
    return { total, offset: request.offset, items: this.#secretsByRowId(rowIds) };
  }

  getSecret(workspaceId: string, secretId: string): SecretDetail {
    const row = this.db
      .prepare(
        `SELECT ${SECRET_COLUMNS}, w.label AS workspace_label FROM workspace_secrets s JOIN workspaces w ON w.id = s.workspace_id
         WHERE s.workspace_id = ? AND s.secret_id = ?`,
      )
      .get(workspaceId, secretId) as (SecretDbRow & { workspace_label: string }) | undefined;
    if (!row) throw new AppError('not_found', 'That secret is not in the cached inventory. Sync the workspace to refresh it.');
    const dependants = this.db
      .prepare(
        `SELECT kind, dependant_id, name, access, access_level, created_at_unix, phone_number, provider, referenced_resource_ids
         FROM secret_dependant_links l JOIN workspace_dependants d ON d.row_id = l.dependant_row_id WHERE l.secret_row_id = ?
         ORDER BY CASE kind WHEN 'agent' THEN 0 WHEN 'tool' THEN 1 WHEN 'phone_number' THEN 2 WHEN 'mcp_server' THEN 3 ELSE 4 END, name`,
      )
      .all(row.row_id) as {
      kind: Dependant['kind'];
      dependant_id: string;
      name: string | null;
      access: Dependant['access'];
      access_level: string | null;
      created_at_unix: number | null;
      phone_number: string | null;
      provider: string | null;
      referenced_resource_ids: string;
    }[];
    return {
      secret: toSecretRow(row),
      workspaceLabel: row.workspace_label,
      dependants: dependants.map((d) => ({
        kind: d.kind,
        id: d.dependant_id,
        name: d.name,
        access: d.access,
        accessLevel: d.access_level,
        createdAtUnix: d.created_at_unix,
        phoneNumber: d.phone_number,
        provider: d.provider,
        referencedResourceIds: JSON.parse(d.referenced_resource_ids) as string[],
      })),
    };
  }

  /** Agents, tools, phone numbers and MCP servers that use at least one cached secret, for the "used by" filter. */
  listDependants(workspaceId: string | null): DependantOption[] {
    const rows = this.db
      .prepare(
        `SELECT d.workspace_id, d.kind, d.dependant_id, max(d.name) AS name, max(d.phone_number) AS phone_number,
           count(DISTINCT l.secret_row_id) AS secret_count
         FROM workspace_dependants d
         JOIN secret_dependant_links l ON l.dependant_row_id = d.row_id
         JOIN workspace_secrets s ON s.row_id = l.secret_row_id
         WHERE d.kind IN ('agent', 'tool', 'phone_number', 'mcp_server') AND s.removed_remotely_at IS NULL
           AND (@workspaceId IS NULL OR d.workspace_id = @workspaceId)
         GROUP BY d.workspace_id, d.kind, d.dependant_id
         ORDER BY CASE d.kind WHEN 'agent' THEN 0 WHEN 'tool' THEN 1 WHEN 'mcp_server' THEN 2 ELSE 3 END,
           max(d.name) IS NULL, coalesce(max(d.name), d.dependant_id)`,
      )
      .all({ workspaceId }) as {
      workspace_id: string;
      kind: DependantOption['kind'];
      dependant_id: string;
      name: string | null;
      phone_number: string | null;
      secret_count: number;
    }[];
    return rows.map((row) => ({
      workspaceId: row.workspace_id,
      kind: row.kind,
      dependantId: row.dependant_id,
      name: row.name,
      detail: row.phone_number,
      secretCount: row.secret_count,
    }));
  }

  #secretsByRowId(rowIds: number[]): SecretRow[] {
    if (rowIds.length === 0) return [];
    const rows = this.db
      .prepare(`SELECT ${SECRET_COLUMNS} FROM workspace_secrets WHERE row_id IN (SELECT value FROM json_each(?))`)
      .all(JSON.stringify(rowIds)) as SecretDbRow[];
    const byId = new Map(rows.map((row) => [row.row_id, row]));
    return rowIds.flatMap((id) => {
      const row = byId.get(id);
      return row ? [toSecretRow(row)] : [];
    });
  }
}

function toSecretRow(row: SecretDbRow): SecretRow {
  return {
    workspaceId: row.workspace_id,
    secretId: row.secret_id,
    name: row.name,
    dependantCount: row.dependant_count,
    counts: {
      agents: row.agents_count,
      tools: row.tools_count,
      phoneNumbers: row.phone_numbers_count,
      mcpServers: row.mcp_servers_count,
      others: row.others_count,
    },
    dependantsTruncated: row.dependants_truncated === 1,
    firstSeenAt: row.first_seen_at,
    lastSeenAt: row.last_seen_at,
    removedRemotelyAt: row.removed_remotely_at,
  };
}
