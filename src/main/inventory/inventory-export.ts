import type { Database } from '../db/database';
import { exportFile, type ExportFile, type ExportFormat } from '../activity/export-file';

const columns = [
  'workspace',
  'name',
  'secretId',
  'agents',
  'tools',
  'phoneNumbers',
  'mcpServers',
  'others',
  'firstSeen',
  'lastSeen',
  'removedRemotely',
] as const;
type Row = Record<(typeof columns)[number], string | number | null>;

/** The cached inventory as a file: names, who uses them, when seen. There are no values to leave out. */
export function exportInventory(db: Database, workspaceId: string | null, format: ExportFormat, now: number): ExportFile {
  const secrets = db
    .prepare(
      `SELECT s.row_id, w.label, s.name, s.secret_id, s.first_seen_at, s.last_seen_at, s.removed_remotely_at
       FROM workspace_secrets s JOIN workspaces w ON w.id = s.workspace_id
       WHERE @workspaceId IS NULL OR s.workspace_id = @workspaceId
       ORDER BY w.position, s.name_folded, s.row_id`,
    )
    .all({ workspaceId }) as {
    row_id: number;
    label: string;
    name: string;
    secret_id: string;
    first_seen_at: number;
    last_seen_at: number;
    removed_remotely_at: number | null;
  }[];
  const dependants = db
    .prepare(
      `SELECT l.secret_row_id, d.kind, coalesce(d.name, d.dependant_id) AS name
       FROM secret_dependant_links l JOIN workspace_dependants d ON d.row_id = l.dependant_row_id
       JOIN workspace_secrets s ON s.row_id = l.secret_row_id WHERE @workspaceId IS NULL OR s.workspace_id = @workspaceId
       ORDER BY l.secret_row_id, d.kind, d.dependant_id`,
    )
    .all({ workspaceId }) as { secret_row_id: number; kind: string; name: string }[];
  const byRow = new Map<number, Map<string, string[]>>();
  for (const d of dependants) {
    const kinds = byRow.get(d.secret_row_id) ?? new Map<string, string[]>();
    kinds.set(d.kind, [...(kinds.get(d.kind) ?? []), d.name]);
    byRow.set(d.secret_row_id, kinds);
  }
  const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());
  const rows: Row[] = secrets.map((s) => {
    const kinds = byRow.get(s.row_id);
    const names = (kind: string) => (kinds?.get(kind) ?? []).join('; ');
    return {
      workspace: s.label,
      name: s.name,
      secretId: s.secret_id,
      agents: names('agent'),
      tools: names('tool'),
      phoneNumbers: names('phone_number'),
      mcpServers: names('mcp_server'),
      others: names('other'),
      firstSeen: iso(s.first_seen_at),
      lastSeen: iso(s.last_seen_at),
      removedRemotely: iso(s.removed_remotely_at),
    };
  });
  return exportFile('agent-keyring-inventory', format, columns, rows, now);
}
