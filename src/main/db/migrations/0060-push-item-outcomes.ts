import type { Database } from 'better-sqlite3';

/**
 * Two more outcomes a plan item can have: left out of an apply by the user (not sent, still
 * pending here), and refused by ElevenLabs for a reason a retry cannot fix (final, never offered
 * as "try again"). SQLite cannot widen a CHECK in place, so the table is rebuilt.
 */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE push_plan_items_new (
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
      status TEXT NOT NULL CHECK (status IN ('planned','sending','done','failed','skipped','left_out','refused')),
      problem TEXT,
      finished_at INTEGER,
      PRIMARY KEY (plan_id, item_id)
    ) STRICT;
    INSERT INTO push_plan_items_new SELECT plan_id, item_id, workspace_id, action, reasons, local_secret_id, remote_name, new_name,
      remote_secret_id, value_fingerprint, status, problem, finished_at FROM push_plan_items;
    DROP TABLE push_plan_items;
    ALTER TABLE push_plan_items_new RENAME TO push_plan_items;
  `);
}
