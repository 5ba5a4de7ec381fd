import type { Database } from 'better-sqlite3';

/**
 * Terminals paired with the app for `akr` (issue 15): each one's Ed25519 public key and the
 * fingerprint phrase the user compared. Public material only: the terminal keeps its private key
 * in a file of its own, and grants live in memory (an app restart ends them).
 */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE cli_clients (
      id TEXT PRIMARY KEY,
      label TEXT NOT NULL,
      public_key TEXT NOT NULL UNIQUE,
      phrase TEXT NOT NULL,
      paired_at INTEGER NOT NULL,
      last_used_at INTEGER
    ) STRICT;
  `);
}
