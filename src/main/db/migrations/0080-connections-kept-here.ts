import type { Database } from 'better-sqlite3';

/**
 * Auth connections kept here: a definition per connection (its public fields as JSON, checked by
 * the type's schema in src/shared/schemas/connection-definitions.ts), its sensitive parts in the
 * keychain (one entry per part, pointed at by `kept_connection_credentials`), an HMAC fingerprint
 * of those parts, the public facts of its PEM material, and its targets. The targets mirror
 * `local_secret_targets`, so the one plan engine plans connections as it plans local secrets; they
 * also keep the public fields last pushed, because whether a change can be made in place (an
 * update) or needs a new connection (a replace) depends on which fields changed.
 */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE kept_connections (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL UNIQUE,
      auth_type TEXT NOT NULL CHECK (auth_type IN ('oauth2_client_credentials','custom_header_auth','basic_auth',
        'bearer_auth','oauth2_jwt','private_key_jwt','mtls')),
      -- JSON object: the definition minus authType, name and every sensitive field, as the schema parsed it.
      public_fields TEXT NOT NULL,
      -- HMAC-SHA256 of the sensitive parts (keyed as local secrets' fingerprints are): compares without reading.
      fingerprint TEXT NOT NULL,
      -- JSON of what is public about the PEM material (subjects, issuers, fingerprints, expiry, key type and size), or NULL.
      pem_facts TEXT,
      -- The client certificate's not-after, for Review's "expiring within 30 days".
      certificate_not_after INTEGER,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      secrets_changed_at INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE kept_connection_credentials (
      kept_connection_id TEXT NOT NULL REFERENCES kept_connections(id) ON DELETE CASCADE,
      -- The definition's field (clientSecret, clientKey, ...).
      field TEXT NOT NULL,
      -- The keychain account of its value.
      credential_ref TEXT NOT NULL UNIQUE,
      PRIMARY KEY (kept_connection_id, field)
    ) STRICT;

    CREATE TABLE kept_connection_targets (
      kept_connection_id TEXT NOT NULL REFERENCES kept_connections(id) ON DELETE CASCADE,
      workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
      -- NULL: the kept connection's own name, following a rename.
      remote_name TEXT,
      remote_connection_id TEXT,
      -- What the last successful push sent: the fingerprint of its sensitive parts, its name, and
      -- its public fields (JSON, authType included), to tell an update from a replace.
      pushed_fingerprint TEXT,
      pushed_name TEXT,
      pushed_fields TEXT,
      pushed_at INTEGER,
      PRIMARY KEY (kept_connection_id, workspace_id)
    ) STRICT;
    CREATE UNIQUE INDEX kept_connection_targets_by_remote ON kept_connection_targets(workspace_id, remote_connection_id)
      WHERE remote_connection_id IS NOT NULL;
  `);
}
