import type { Database } from 'better-sqlite3';

/**
 * Each workspace's environment variables, as its last sync found them: a label with one value
 * per environment (`production` always, `staging`, `dev`, ...). A value is a plain string, or the
 * id of a workspace secret or auth connection, resolved to its synced name when read (never
 * copied here, so a rename or a removal shows at once). Like secrets and auth connections, a
 * variable no longer listed is marked `removed_remotely_at`, not dropped.
 *
 * A string that looks like a credential (a key-shaped prefix, or long and high-entropy) is not
 * kept: `string_value` is NULL, `withheld` says why and `value_length` how long it was.
 */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE environment_variables (
      row_id INTEGER PRIMARY KEY,
      workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
      variable_id TEXT NOT NULL,
      label TEXT NOT NULL,
      -- Folded like secret names (shared/search.ts), for search across workspaces.
      label_folded TEXT NOT NULL,
      -- 'string', 'secret' or 'auth_connection'; a type the API adds later is kept as sent.
      type TEXT NOT NULL,
      created_at_unix INTEGER,
      updated_at_unix INTEGER,
      first_seen_at INTEGER NOT NULL,
      seen_generation INTEGER NOT NULL,
      removed_remotely_at INTEGER,
      UNIQUE (workspace_id, variable_id)
    ) STRICT;
    CREATE INDEX environment_variables_by_label ON environment_variables(label_folded, row_id);

    CREATE TABLE environment_variable_values (
      variable_row_id INTEGER NOT NULL REFERENCES environment_variables(row_id) ON DELETE CASCADE,
      workspace_id TEXT NOT NULL,
      environment TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('string','secret','auth_connection')),
      string_value TEXT,
      -- Why a string value was not kept: 'key_prefix' or 'high_entropy' (NULL: kept, or not a string).
      withheld TEXT CHECK (withheld IN ('key_prefix','high_entropy')),
      -- The prefix that made it look like a key (e.g. 'sk_'), or 'BITS/RUN' (bits per character, run length).
      withheld_hint TEXT,
      value_length INTEGER,
      secret_id TEXT,
      auth_connection_id TEXT,
      CHECK ((kind = 'string') = (string_value IS NOT NULL OR withheld IS NOT NULL)),
      CHECK ((kind = 'secret') = (secret_id IS NOT NULL)),
      CHECK ((kind = 'auth_connection') = (auth_connection_id IS NOT NULL)),
      CHECK (string_value IS NULL OR withheld IS NULL),
      PRIMARY KEY (variable_row_id, environment)
    ) STRICT, WITHOUT ROWID;
    -- "Which variables refer to this secret / connection" (a secret's detail, a connection's card).
    CREATE INDEX environment_variable_values_by_secret ON environment_variable_values(workspace_id, secret_id)
      WHERE secret_id IS NOT NULL;
    CREATE INDEX environment_variable_values_by_connection ON environment_variable_values(workspace_id, auth_connection_id)
      WHERE auth_connection_id IS NOT NULL;


    -- Whether the last sync could list the workspace's variables: a key that may not keeps the
    -- cached ones (like auth connections), and the matrix says so.
    CREATE TABLE environment_variable_access (
      workspace_id TEXT PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
      state TEXT NOT NULL CHECK (state IN ('allowed','denied')),
      denied_permission TEXT,
      checked_at INTEGER NOT NULL
    ) STRICT;
  `);
}
