import type { Database } from 'better-sqlite3';

/**
 * Local secrets (values the builder keeps here, in the keychain), where each is pushed, the
 * plans that push them (kept item by item, so a crash mid-apply leaves a truthful record), and
 * the activity log. No value is ever stored: only keychain refs and HMAC fingerprints.
 */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE local_secrets (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL UNIQUE,
      note TEXT NOT NULL DEFAULT '',
      tags TEXT NOT NULL DEFAULT '[]',
      -- Keychain accounts of the current and the previous value (kept until the next rotation).
      value_ref TEXT NOT NULL UNIQUE,
      previous_value_ref TEXT UNIQUE,
      -- HMAC-SHA256 of each value under a per-install key: compares values without reading them.
      fingerprint TEXT NOT NULL,
      previous_fingerprint TEXT,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      value_changed_at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX local_secrets_by_fingerprint ON local_secrets(fingerprint);

    CREATE TABLE local_secret_targets (
      local_secret_id TEXT NOT NULL REFERENCES local_secrets(id) ON DELETE CASCADE,
      workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
      -- NULL: the local secret's own name, following a rename.
      remote_name TEXT,
      remote_secret_id TEXT,
      -- What the last successful push sent, to tell what changed since.
      pushed_fingerprint TEXT,
      pushed_name TEXT,
      pushed_at INTEGER,
      PRIMARY KEY (local_secret_id, workspace_id)
    ) STRICT;
    CREATE UNIQUE INDEX local_secret_targets_by_remote ON local_secret_targets(workspace_id, remote_secret_id)
      WHERE remote_secret_id IS NOT NULL;

    CREATE TABLE push_plans (
      id TEXT PRIMARY KEY,
      created_at INTEGER NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('draft','applying','applied','interrupted')),
      finished_at INTEGER
    ) STRICT;

    CREATE TABLE push_plan_items (
      plan_id TEXT NOT NULL REFERENCES push_plans(id) ON DELETE CASCADE,
      item_id INTEGER NOT NULL,
      workspace_id TEXT NOT NULL,
      action TEXT NOT NULL CHECK (action IN ('create','update','delete','unchanged','remote_only')),
      reasons TEXT NOT NULL DEFAULT '[]',
      local_secret_id TEXT,
      remote_name TEXT,
      new_name TEXT,
      remote_secret_id TEXT,
      -- The fingerprint of the value the item sends (to record as pushed once it lands).
      value_fingerprint TEXT,
      status TEXT NOT NULL CHECK (status IN ('planned','sending','done','failed','skipped')),
      problem TEXT,
      finished_at INTEGER,
      PRIMARY KEY (plan_id, item_id)
    ) STRICT;

    CREATE TABLE activity (
      id INTEGER PRIMARY KEY,
      at INTEGER NOT NULL,
      workspace_id TEXT,
      workspace_label TEXT,
      subject TEXT NOT NULL,
      action TEXT NOT NULL,
      result TEXT NOT NULL CHECK (result IN ('ok','failed')),
      detail TEXT
    ) STRICT;
    CREATE INDEX activity_by_time ON activity(at DESC, id DESC);
  `);
}
