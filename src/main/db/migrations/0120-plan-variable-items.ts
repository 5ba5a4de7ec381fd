import type { Database } from 'better-sqlite3';

/**
 * A plan's third kind of item: an environment variable's values (an edit, or a promotion), with
 * what it sends and how each environment reads before and after; and a plan's notes (what was
 * asked but cannot be planned). SQLite cannot widen a CHECK in place, so the table is rebuilt.
 */
export function up(db: Database): void {
  db.exec(`
    ALTER TABLE push_plans ADD COLUMN notes TEXT NOT NULL DEFAULT '[]';
    CREATE TABLE push_plan_items_new (
      plan_id TEXT NOT NULL REFERENCES push_plans(id) ON DELETE CASCADE,
      item_id INTEGER NOT NULL,
      workspace_id TEXT NOT NULL,
      kind TEXT NOT NULL DEFAULT 'secret' CHECK (kind IN ('secret','connection','variable')),
      action TEXT NOT NULL CHECK (action IN ('create','update','replace','delete','unchanged','remote_only')),
      reasons TEXT NOT NULL DEFAULT '[]',
      changes TEXT NOT NULL DEFAULT '[]',
      local_secret_id TEXT,
      kept_connection_id TEXT,
      auth_type TEXT,
      remote_name TEXT,
      new_name TEXT,
      remote_secret_id TEXT,
      remote_connection_id TEXT,
      replacement_connection_id TEXT,
      remote_variable_id TEXT,
      -- Variables: what is sent (a type and values by environment: strings, or secret and connection ids).
      payload TEXT,
      -- Variables: each environment changed, as it reads before and after.
      cells TEXT NOT NULL DEFAULT '[]',
      value_fingerprint TEXT,
      status TEXT NOT NULL CHECK (status IN ('planned','sending','done','failed','skipped','left_out','refused')),
      problem TEXT,
      finished_at INTEGER,
      PRIMARY KEY (plan_id, item_id)
    ) STRICT;
    INSERT INTO push_plan_items_new (plan_id, item_id, workspace_id, kind, action, reasons, changes, local_secret_id,
      kept_connection_id, auth_type, remote_name, new_name, remote_secret_id, remote_connection_id, replacement_connection_id,
      value_fingerprint, status, problem, finished_at)
      SELECT plan_id, item_id, workspace_id, kind, action, reasons, changes, local_secret_id, kept_connection_id, auth_type,
        remote_name, new_name, remote_secret_id, remote_connection_id, replacement_connection_id, value_fingerprint, status,
        problem, finished_at FROM push_plan_items;
    DROP TABLE push_plan_items;
    ALTER TABLE push_plan_items_new RENAME TO push_plan_items;
  `);
}
