import type { Database } from 'better-sqlite3';

/**
 * OAuth providers the builder configured, the people agents act for, and their linked accounts:
 * scopes, subject, expiry and refresh state here; tokens and client secrets only in the keychain
 * (these columns name their entries). A local secret can be bound to an account: its value is
 * then the account's access token, refreshed and pushed with it.
 */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE oauth_providers (
      id TEXT PRIMARY KEY,
      kind TEXT NOT NULL CHECK (kind IN ('google','slack','github','microsoft','custom')),
      name TEXT NOT NULL,
      client_id TEXT NOT NULL,
      client_secret_ref TEXT UNIQUE,
      authorize_url TEXT NOT NULL,
      token_url TEXT NOT NULL,
      revoke_url TEXT,
      issuer TEXT,
      scopes TEXT NOT NULL DEFAULT '[]',
      pkce INTEGER NOT NULL,
      created_at INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE people (
      id TEXT PRIMARY KEY,
      label TEXT NOT NULL UNIQUE,
      created_at INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE linked_accounts (
      id TEXT PRIMARY KEY,
      person_id TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      provider_id TEXT NOT NULL REFERENCES oauth_providers(id),
      subject TEXT,
      scopes TEXT NOT NULL DEFAULT '[]',
      access_token_ref TEXT NOT NULL UNIQUE,
      refresh_token_ref TEXT UNIQUE,
      issued_at INTEGER NOT NULL,
      expires_at INTEGER,
      status TEXT NOT NULL CHECK (status IN ('active','refresh_failing','needs_reconnect')),
      problem TEXT,
      failures INTEGER NOT NULL DEFAULT 0,
      next_attempt_at INTEGER,
      linked_at INTEGER NOT NULL,
      refreshed_at INTEGER,
      UNIQUE (person_id, provider_id)
    ) STRICT;

    ALTER TABLE local_secrets ADD COLUMN linked_account_id TEXT REFERENCES linked_accounts(id) ON DELETE SET NULL;
    CREATE INDEX local_secrets_by_account ON local_secrets(linked_account_id) WHERE linked_account_id IS NOT NULL;
  `);
}
