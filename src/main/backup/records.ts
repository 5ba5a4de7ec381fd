import type { Database } from '../db/database';
import { kindOfRef, type CredentialKind } from '../vault/credential-kinds';

// Which records hold credentials, read from the schema itself so a feature that adds a kind of
// credential (a kind in vault/credential-kinds.ts, a column named `<something>_ref` holding its
// keychain refs, its owner registered in the composition root) is backed up and restored with
// no change here. The one exception is the settings table, a key/value store: a row whose key
// ends in `_ref` holds a ref (the fingerprint key's).

/** Tables a sync or a push rebuilds from ElevenLabs: never restored (a re-check and sync refill them). */
const CACHE_TABLES = new Set([
  'workspace_secrets',
  'workspace_dependants',
  'secret_dependant_links',
  'auth_connections',
  'environment_variables',
  'environment_variable_values',
  'environment_variable_access',
]);

export interface ForeignKey {
  from: string;
  table: string;
  to: string;
}

export interface TableShape {
  name: string;
  columns: string[];
  primaryKey: string[];
  /** UNIQUE constraints and indexes without a ref column (a ref differs on every computer). */
  uniques: string[][];
  refColumns: string[];
  foreignKeys: ForeignKey[];
}

export type Row = Record<string, unknown>;

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

export function tableShapes(db: Database): Map<string, TableShape> {
  const names = (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]
  ).map((r) => r.name);
  const shapes = new Map<string, TableShape>();
  for (const name of names) {
    const info = db.prepare(`PRAGMA table_info(${quote(name)})`).all() as { name: string; pk: number }[];
    const columns = info.map((c) => c.name);
    const refColumns = columns.filter((c) => c.endsWith('_ref'));
    const primaryKey = info
      .filter((c) => c.pk > 0)
      .sort((a, b) => a.pk - b.pk)
      .map((c) => c.name);
    const indexes = db.prepare(`PRAGMA index_list(${quote(name)})`).all() as {
      name: string;
      unique: number;
      origin: string;
      partial: number;
    }[];
    const uniques = indexes
      .filter((i) => i.unique === 1 && i.origin !== 'pk' && i.partial === 0)
      .map((i) => (db.prepare(`PRAGMA index_info(${quote(i.name)})`).all() as { name: string | null }[]).map((c) => c.name ?? ''))
      .filter((cols) => cols.length > 0 && cols.every((c) => c !== '' && !refColumns.includes(c)));
    const foreignKeys = (db.prepare(`PRAGMA foreign_key_list(${quote(name)})`).all() as { table: string; from: string; to: string }[]).map(
      (fk) => ({ from: fk.from, table: fk.table, to: fk.to }),
    );
    shapes.set(name, { name, columns, primaryKey, uniques, refColumns, foreignKeys });
  }
  return shapes;
}

/**
 * The tables a restore carries, parents first: every table holding refs, the tables they point
 * at (people, workspaces), and the tables pointing at those that are not caches (targets).
 */
export function restorableTables(shapes: Map<string, TableShape>): TableShape[] {
  const chosen = new Set<string>([...shapes.values()].filter((s) => s.refColumns.length > 0 && s.name !== 'settings').map((s) => s.name));
  let grew = true;
  while (grew) {
    grew = false;
    for (const shape of shapes.values()) {
      if (chosen.has(shape.name) || CACHE_TABLES.has(shape.name) || shape.name === 'settings') continue;
      const pointsIn = shape.foreignKeys.some((fk) => chosen.has(fk.table));
      const pointedAt = [...chosen].some((name) => shapes.get(name)!.foreignKeys.some((fk) => fk.table === shape.name));
      if (pointsIn || pointedAt) {
        chosen.add(shape.name);
        grew = true;
      }
    }
  }
  // Parents first; a table's own reference to itself does not order it.
  const ordered: TableShape[] = [];
  const placed = new Set<string>();
  while (ordered.length < chosen.size) {
    const before = ordered.length;
    for (const name of [...chosen].sort()) {
      if (placed.has(name)) continue;
      const shape = shapes.get(name)!;
      if (shape.foreignKeys.every((fk) => fk.table === name || !chosen.has(fk.table) || placed.has(fk.table))) {
        ordered.push(shape);
        placed.add(name);
      }
    }
    if (ordered.length === before) throw new Error('restorable tables reference each other in a cycle');
  }
  return ordered;
}

export interface FoundRef {
  ref: string;
  kind: CredentialKind;
  table: string;
  column: string;
}

/** Every ref of a known kind the database points at: `_ref` columns, and settings rows keyed `*_ref`. */
export function refsIn(db: Database, shapes: Map<string, TableShape>): FoundRef[] {
  const found: FoundRef[] = [];
  for (const shape of shapes.values()) {
    if (shape.name === 'settings') {
      for (const row of db.prepare("SELECT key, value FROM settings WHERE key LIKE '%\\_ref' ESCAPE '\\'").all() as {
        key: string;
        value: string;
      }[]) {
        const kind = kindOfRef(row.value);
        if (kind) found.push({ ref: row.value, kind, table: 'settings', column: row.key });
      }
      continue;
    }
    for (const column of shape.refColumns) {
      for (const { ref } of db
        .prepare(`SELECT ${quote(column)} AS ref FROM ${quote(shape.name)} WHERE ${quote(column)} IS NOT NULL`)
        .all() as {
        ref: string;
      }[]) {
        const kind = kindOfRef(String(ref));
        if (kind) found.push({ ref: String(ref), kind, table: shape.name, column });
      }
    }
  }
  return found;
}

export function allRows(db: Database, table: string): Row[] {
  return db.prepare(`SELECT * FROM ${quote(table)}`).all() as Row[];
}

export function findRow(db: Database, table: string, columns: string[], values: unknown[]): Row | undefined {
  if (columns.length === 0 || values.some((v) => v === null || v === undefined)) return undefined;
  const where = columns.map((c) => `${quote(c)} = ?`).join(' AND ');
  return db.prepare(`SELECT * FROM ${quote(table)} WHERE ${where}`).get(...values) as Row | undefined;
}

export function insertRow(db: Database, table: string, row: Row, columns: string[]): void {
  const present = columns.filter((c) => Object.hasOwn(row, c));
  db.prepare(`INSERT INTO ${quote(table)} (${present.map(quote).join(', ')}) VALUES (${present.map(() => '?').join(', ')})`).run(
    ...present.map((c) => row[c] as never),
  );
}

export function updateRow(db: Database, table: string, key: string[], keyValues: unknown[], changes: Row): void {
  const columns = Object.keys(changes);
  if (columns.length === 0) return;
  db.prepare(
    `UPDATE ${quote(table)} SET ${columns.map((c) => `${quote(c)} = ?`).join(', ')} WHERE ${key.map((c) => `${quote(c)} = ?`).join(' AND ')}`,
  ).run(...columns.map((c) => changes[c] as never), ...(keyValues as never[]));
}
