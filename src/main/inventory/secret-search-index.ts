import type { Database } from '../db/database';
import type { SearchSecretsRequest } from '../../shared/schemas/inventory';

/**
 * An in-memory projection of the cached secrets' names, for substring search as you type.
 * SQLite stays the only source of truth: the index is built from it on the first search and
 * rebuilt after anything changes it. A scan here costs ~1 ms per 100,000 names, where SQLite's
 * instr()/LIKE over the same rows costs ~7 ms.
 */
export class SecretSearchIndex {
  #entries: IndexEntries | null = null;

  constructor(private readonly db: Database) {}

  /** Drops the index; the next search rebuilds it from SQLite. */
  invalidate(): void {
    this.#entries = null;
  }

  /** Row ids of the matches, in name order, and how many there are. */
  search(request: Pick<SearchSecretsRequest, 'query' | 'workspaceId' | 'usage' | 'presence' | 'offset' | 'limit'>, onlyRowIds: Set<number> | null): { total: number; rowIds: number[] } {
    const entries = (this.#entries ??= this.#load());
    const query = request.query.trim().toLowerCase();
    const workspace = request.workspaceId === null ? -1 : (entries.workspaceIndex.get(request.workspaceId) ?? -2);
    if (workspace === -2) return { total: 0, rowIds: [] };
    const wantUnused = request.usage === 'unused';
    const wantUsed = request.usage === 'used';
    const wantRemoved = request.presence === 'removed';
    const wantPresent = request.presence === 'present';
    const end = request.offset + request.limit;
    const rowIds: number[] = [];
    let total = 0;
    for (let i = 0; i < entries.names.length; i++) {
      if (workspace >= 0 && entries.workspaces[i] !== workspace) continue;
      const flags = entries.flags[i]!;
      const unused = (flags & UNUSED) !== 0;
      const removed = (flags & REMOVED) !== 0;
      if ((wantUnused && !unused) || (wantUsed && unused) || (wantRemoved && !removed) || (wantPresent && removed)) continue;
      if (query && !entries.names[i]!.includes(query)) continue;
      if (onlyRowIds && !onlyRowIds.has(entries.rowIds[i]!)) continue;
      if (total >= request.offset && total < end) rowIds.push(entries.rowIds[i]!);
      total += 1;
    }
    return { total, rowIds };
  }

  #load(): IndexEntries {
    const rows = this.db
      .prepare(
        `SELECT row_id, workspace_id, name_folded, dependant_count = 0 AS unused, removed_remotely_at IS NOT NULL AS removed
         FROM workspace_secrets ORDER BY name_folded, row_id`,
      )
      .raw()
      .all() as [number, string, string, number, number][];
    const workspaceIndex = new Map<string, number>();
    const names: string[] = new Array(rows.length);
    const rowIds = new Float64Array(rows.length);
    const workspaces = new Uint16Array(rows.length);
    const flags = new Uint8Array(rows.length);
    rows.forEach(([rowId, workspaceId, name, unused, removed], i) => {
      let index = workspaceIndex.get(workspaceId);
      if (index === undefined) workspaceIndex.set(workspaceId, (index = workspaceIndex.size));
      names[i] = name;
      rowIds[i] = rowId;
      workspaces[i] = index;
      flags[i] = (unused ? UNUSED : 0) | (removed ? REMOVED : 0);
    });
    return { names, rowIds, workspaces, flags, workspaceIndex };
  }
}

const UNUSED = 1;
const REMOVED = 2;

interface IndexEntries {
  names: string[];
  rowIds: Float64Array;
  workspaces: Uint16Array;
  flags: Uint8Array;
  workspaceIndex: Map<string, number>;
}
