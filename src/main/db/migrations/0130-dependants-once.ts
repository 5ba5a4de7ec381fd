import type { Database } from 'better-sqlite3';
import type { DependantValues } from '../../elevenlabs/listed-secret';
import { dependantRowFinder } from '../../inventory/dependant-rows';

/**
 * Each distinct dependant of a workspace stored once, linked to the secrets it uses. Before, a
 * dependant was a wide row per secret: 10,000 secrets used by the same 150 agents and tools made
 * 15,000 such rows, and writing them was most of a first sync's commit. A link is two integers.
 * The rows kept so far are moved over, so the offline inventory stays whole.
 */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE workspace_dependants (
      row_id INTEGER PRIMARY KEY,
      workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
      -- Of every column below (inventory/dependant-rows.ts): the same dependant seen again is found, not copied.
      fingerprint TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('agent','tool','phone_number','mcp_server','other')),
      dependant_id TEXT NOT NULL,
      name TEXT,
      access TEXT NOT NULL CHECK (access IN ('available','unknown')),
      access_level TEXT,
      created_at_unix INTEGER,
      phone_number TEXT,
      provider TEXT,
      referenced_resource_ids TEXT NOT NULL DEFAULT '[]',
      UNIQUE (workspace_id, fingerprint)
    ) STRICT;
    CREATE INDEX workspace_dependants_by_dependant ON workspace_dependants(workspace_id, kind, dependant_id);

    -- Written only by the sync, from rows it has just written or found. No foreign keys: checking
    -- two parents for each of 15,000 links was an eighth of a first sync's commit. Triggers take a
    -- secret's or a dependant's links with it instead (a workspace removed cascades to both).
    CREATE TABLE secret_dependant_links (
      secret_row_id INTEGER NOT NULL,
      dependant_row_id INTEGER NOT NULL,
      PRIMARY KEY (secret_row_id, dependant_row_id)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX secret_dependant_links_by_dependant ON secret_dependant_links(dependant_row_id, secret_row_id);
    CREATE TRIGGER secret_dependant_links_go_with_secret AFTER DELETE ON workspace_secrets BEGIN
      DELETE FROM secret_dependant_links WHERE secret_row_id = old.row_id;
    END;
    CREATE TRIGGER secret_dependant_links_go_with_dependant AFTER DELETE ON workspace_dependants BEGIN
      DELETE FROM secret_dependant_links WHERE dependant_row_id = old.row_id;
    END;
  `);

  const rowOf = dependantRowFinder(db);
  const link = db.prepare('INSERT OR IGNORE INTO secret_dependant_links (secret_row_id, dependant_row_id) VALUES (?, ?)');
  const rows = db
    .prepare(
      `SELECT secret_row_id, workspace_id, kind, dependant_id, name, access, access_level, created_at_unix, phone_number,
         provider, referenced_resource_ids FROM secret_dependants`,
    )
    .raw()
    .iterate() as IterableIterator<[number, string, ...DependantValues]>;
  // Collected first: better-sqlite3 does not write while a statement is being read.
  const moved = [...rows];
  for (const [secretRowId, workspaceId, ...values] of moved) {
    link.run(secretRowId, rowOf(workspaceId, values));
  }
  db.exec('DROP TABLE secret_dependants');
}
