import type { Database } from 'better-sqlite3';

/**
 * A plan's items are of two kinds: local secrets and connections kept here, in the one plan
 * engine. A connection item names its kept connection and remote connection, the fields that
 * changed, and may be a replace (a change the API cannot make in place). SQLite cannot widen a
 * CHECK in place, so the table is rebuilt.
 */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE push_plan_items_new (
      plan_id TEXT NOT NULL REFERENCES push_plans(id) ON DELETE CASCADE,
      item_id INTEGER NOT NULL,
      workspace_id TEXT NOT NULL,
      kind TEXT NOT NULL DEFAULT 'secret' CHECK (kind IN ('secret','connection')),
      action TEXT NOT NULL CHECK (action IN ('create','update','replace','delete','unchanged','remote_only')),
      reasons TEXT NOT NULL DEFAULT '[]',
      -- The fields that changed (connections: names of public fields, 'secrets', 'name').
      changes TEXT NOT NULL DEFAULT '[]',
      local_secret_id TEXT,
      kept_connection_id TEXT,
      -- The connection's type (connections only), to match a create that may have landed.
      auth_type TEXT,
      remote_name TEXT,
      new_name TEXT,
      remote_secret_id TEXT,
      remote_connection_id TEXT,
      -- A replace's new remote connection, once created (the old one stays in remote_connection_id).
      replacement_connection_id TEXT,
      -- The fingerprint of the value (or the sensitive parts) the item sends, to record as pushed once it lands.
      value_fingerprint TEXT,
      status TEXT NOT NULL CHECK (status IN ('planned','sending','done','failed','skipped','left_out','refused')),
      problem TEXT,
      finished_at INTEGER,
      PRIMARY KEY (plan_id, item_id)
    ) STRICT;
    INSERT INTO push_plan_items_new (plan_id, item_id, workspace_id, action, reasons, local_secret_id, remote_name, new_name,
      remote_secret_id, value_fingerprint, status, problem, finished_at)
      SELECT plan_id, item_id, workspace_id, action, reasons, local_secret_id, remote_name, new_name,
        remote_secret_id, value_fingerprint, status, problem, finished_at FROM push_plan_items;
    DROP TABLE push_plan_items;
    ALTER TABLE push_plan_items_new RENAME TO push_plan_items;
  `);
}
