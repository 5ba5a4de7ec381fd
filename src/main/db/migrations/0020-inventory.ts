import type { Database } from 'better-sqlite3';

/** The offline inventory: remote secrets with their dependants, auth connections, sync state. */
export function up(db: Database): void {
  db.exec(`
    ALTER TABLE workspaces ADD COLUMN sync_status TEXT NOT NULL DEFAULT 'never'
      CHECK (sync_status IN ('never','ok','failed'));
    ALTER TABLE workspaces ADD COLUMN last_sync_attempt_at INTEGER;
    ALTER TABLE workspaces ADD COLUMN last_sync_success_at INTEGER;
    ALTER TABLE workspaces ADD COLUMN last_sync_problem TEXT;
    ALTER TABLE workspaces ADD COLUMN sync_generation INTEGER NOT NULL DEFAULT 0;
    -- Kept with each sync so listing workspaces never counts 100,000 rows.
    ALTER TABLE workspaces ADD COLUMN secret_count INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE workspaces ADD COLUMN removed_secret_count INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE workspaces ADD COLUMN auth_connection_count INTEGER NOT NULL DEFAULT 0;

    CREATE TABLE workspace_secrets (
      row_id INTEGER PRIMARY KEY,
      workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
      secret_id TEXT NOT NULL,
      name TEXT NOT NULL,
      -- Lower-cased name, searched with instr() so any substring matches.
      name_folded TEXT NOT NULL,
      agents_count INTEGER NOT NULL,
      tools_count INTEGER NOT NULL,
      phone_numbers_count INTEGER NOT NULL,
      mcp_servers_count INTEGER NOT NULL,
      others_count INTEGER NOT NULL,
      dependant_count INTEGER NOT NULL,
      dependants_truncated INTEGER NOT NULL,
      -- Fingerprint of used_by, so an unchanged secret's dependants are not rewritten.
      dependants_digest TEXT NOT NULL,
      first_seen_at INTEGER NOT NULL,
      last_seen_at INTEGER NOT NULL,
      seen_generation INTEGER NOT NULL,
      removed_remotely_at INTEGER,
      UNIQUE (workspace_id, secret_id)
    ) STRICT;
    CREATE INDEX workspace_secrets_by_name ON workspace_secrets(name_folded, row_id);

    CREATE TABLE secret_dependants (
      secret_row_id INTEGER NOT NULL REFERENCES workspace_secrets(row_id) ON DELETE CASCADE,
      workspace_id TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('agent','tool','phone_number','mcp_server','other')),
      dependant_id TEXT NOT NULL,
      name TEXT,
      access TEXT NOT NULL CHECK (access IN ('available','unknown')),
      access_level TEXT,
      created_at_unix INTEGER,
      phone_number TEXT,
      provider TEXT,
      referenced_resource_ids TEXT NOT NULL DEFAULT '[]',
      PRIMARY KEY (secret_row_id, kind, dependant_id)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX secret_dependants_by_dependant ON secret_dependants(workspace_id, kind, dependant_id);

    CREATE TABLE auth_connections (
      row_id INTEGER PRIMARY KEY,
      workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
      connection_id TEXT NOT NULL,
      name TEXT NOT NULL,
      name_folded TEXT NOT NULL,
      auth_type TEXT NOT NULL,
      provider TEXT,
      status TEXT,
      status_detail TEXT,
      -- JSON of the allow-listed, non-sensitive settings only.
      details TEXT NOT NULL,
      used_by TEXT NOT NULL,
      first_seen_at INTEGER NOT NULL,
      seen_generation INTEGER NOT NULL,
      removed_remotely_at INTEGER,
      UNIQUE (workspace_id, connection_id)
    ) STRICT;
  `);
}
