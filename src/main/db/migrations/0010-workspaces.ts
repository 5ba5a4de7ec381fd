import type { Database } from 'better-sqlite3';

/** Workspaces, app settings, and the journal that keeps keychain and database in step. */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE workspaces (
      id TEXT PRIMARY KEY,
      label TEXT NOT NULL,
      residency TEXT NOT NULL CHECK (residency IN ('default','us','eu','india','singapore','custom','demo')),
      base_url TEXT,
      -- Keychain account that holds the API key. The key itself is never in this database.
      api_key_ref TEXT NOT NULL UNIQUE,
      verification TEXT NOT NULL CHECK (verification IN ('verified','unverified')),
      remote_workspace_id TEXT,
      owner_first_name TEXT,
      plan_tier TEXT,
      seat_type TEXT,
      missing_permissions TEXT NOT NULL DEFAULT '[]',
      position INTEGER NOT NULL,
      created_at INTEGER NOT NULL,
      key_checked_at INTEGER,
      reachability TEXT NOT NULL DEFAULT 'unknown' CHECK (reachability IN ('unknown','reachable','unreachable')),
      last_contact_at INTEGER
    ) STRICT;

    CREATE TABLE settings (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) STRICT;

    -- A keychain write or delete that has started but whose database side has not committed.
    -- Replayed at start-up so neither side is left with an orphan.
    CREATE TABLE credential_intents (
      ref TEXT PRIMARY KEY,
      action TEXT NOT NULL CHECK (action IN ('store','discard')),
      created_at INTEGER NOT NULL
    ) STRICT;
  `);
}
