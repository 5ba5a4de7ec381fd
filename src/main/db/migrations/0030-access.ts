import type { Database } from 'better-sqlite3';

/**
 * What each workspace's key may read, as its check and its syncs have shown: kept so a key that
 * cannot list secrets or auth connections says so where the user looks, instead of an empty list.
 */
export function up(db: Database): void {
  db.exec(`
    ALTER TABLE workspaces ADD COLUMN secret_access TEXT NOT NULL DEFAULT 'unknown'
      CHECK (secret_access IN ('unknown','allowed','denied'));
    ALTER TABLE workspaces ADD COLUMN secret_denied_permission TEXT;
    ALTER TABLE workspaces ADD COLUMN auth_connection_access TEXT NOT NULL DEFAULT 'unknown'
      CHECK (auth_connection_access IN ('unknown','allowed','denied'));
    ALTER TABLE workspaces ADD COLUMN auth_connection_denied_permission TEXT;
    -- What the key check already knew.
    UPDATE workspaces SET secret_access = CASE
        WHEN missing_permissions LIKE '%"convai_read"%' THEN 'denied'
        WHEN verification = 'verified' THEN 'allowed' ELSE 'unknown' END,
      secret_denied_permission = CASE WHEN missing_permissions LIKE '%"convai_read"%' THEN 'convai_read' END;
    -- A sync that kept the old list because the key may not read auth connections left a note.
    UPDATE workspaces SET auth_connection_access = 'denied',
      auth_connection_denied_permission = json_extract(last_sync_problem, '$.permission')
    WHERE sync_status = 'ok' AND json_extract(last_sync_problem, '$.code') = 'missing_permission';
    UPDATE workspaces SET auth_connection_access = 'allowed'
    WHERE sync_status = 'ok' AND last_sync_problem IS NULL;
  `);
}
