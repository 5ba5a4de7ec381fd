import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { AppError } from '../errors';
import { migrations as allMigrations, type Migration } from './migrations';

export type { Database };

export interface OpenDatabaseOptions {
  file: string;
  /**
   * Path to a better-sqlite3 addon built for this runtime. Electron passes its own build so the
   * Node build in node_modules keeps working for tests and tools.
   */
  nativeBinding?: string;
  migrations?: readonly Migration[];
  /** Stop at this schema version (tests of one migration). */
  targetVersion?: number;
}

/**
 * Opens (creating if needed) the app's SQLite file: WAL so a crash never leaves it half-written,
 * foreign keys on, and every pending migration applied in one transaction.
 */
export function openDatabase(options: OpenDatabaseOptions): Database {
  fs.mkdirSync(path.dirname(options.file), { recursive: true });
  let db: Database;
  try {
    db = new BetterSqlite3(options.file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  } catch (error) {
    throw new AppError('storage_failed', `Could not open the database at ${options.file}: ${(error as Error).message}`);
  }
  try {
    db.pragma('journal_mode = WAL');
    // FULL: a committed keychain intent must survive a power cut, not only a crash of the app.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('cache_size = -32000');
    // Checkpoints run when the app is idle (see WalCheckpointer), not inside a sync's commit.
    db.pragma('wal_autocheckpoint = 0');
    migrate(db, options.migrations ?? allMigrations, options.targetVersion);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Opens a serialized database (a backup's snapshot) in memory, never on disk, so it can be
 * checked and read before anything from it is written. Same native build as the app's file.
 */
export function openSnapshot(bytes: Buffer, nativeBinding?: string): Database {
  const copy = Buffer.from(bytes);
  // The file is in WAL mode (header bytes 18-19 = 2), which an in-memory database cannot open:
  // mark the copy as a rollback-journal file (1), as SQLite's own .deserialize advice says.
  if (copy.length >= 100 && copy[18] === 2 && copy[19] === 2) copy.fill(1, 18, 20);
  const db = new BetterSqlite3(copy, nativeBinding ? { nativeBinding } : {});
  db.pragma('foreign_keys = ON');
  return db;
}

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Applies the migrations newer than the file's `user_version`, all or nothing. */
export function migrate(db: Database, migrations: readonly Migration[], targetVersion?: number): void {
  assertAscending(migrations);
  const latest = migrations.at(-1)?.version ?? 0;
  const current = schemaVersion(db);
  if (current > latest) {
    throw new AppError(
      'storage_failed',
      `This database was written by a newer version of Agent Keyring (schema ${current}; this version knows up to ${latest}). ` +
        'Update Agent Keyring to open it. Nothing was changed.',
    );
  }
  const target = targetVersion ?? latest;
  const pending = migrations.filter((m) => m.version > current && m.version <= target);
  if (pending.length === 0) return;
  db.transaction(() => {
    for (const migration of pending) {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    }
  })();
}

function assertAscending(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    const previous = migrations[index - 1];
    if (previous && migration.version <= previous.version) {
      throw new Error(`Migration ${migration.name} (${migration.version}) is out of order`);
    }
  });
}

/**
 * Copies the WAL back into the database file shortly after a large write, off the path of the
 * request that made it, and fully at close. SQLite's own automatic checkpoint would run inside
 * the commit of the write that crossed its threshold.
 */
export class WalCheckpointer {
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Database,
    private readonly delayMs = 500,
  ) {}

  schedule(): void {
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.db.open) this.db.pragma('wal_checkpoint(PASSIVE)');
    }, this.delayMs);
    this.#timer.unref();
  }

  /** At close: everything into the database file, and the WAL emptied. */
  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.db.open) this.db.pragma('wal_checkpoint(TRUNCATE)');
  }
}
