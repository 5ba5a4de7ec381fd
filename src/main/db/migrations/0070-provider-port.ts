import type { Database } from 'better-sqlite3';

/**
 * A custom OAuth provider may fix the port of its loopback redirect URI: strict providers match
 * the registered URI exactly, port included (RFC 8252 §7.3 says they should not, some do).
 * NULL: any free port, picked for each sign-in.
 */
export function up(db: Database): void {
  db.exec(`ALTER TABLE oauth_providers ADD COLUMN port INTEGER CHECK (port IS NULL OR port BETWEEN 1024 AND 65535);`);
}
