import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from '../../../test/support/harness';
import { openDatabase, schemaVersion } from './database';
import { migrations } from './migrations';

afterAll(removeTempDirs);

const columnsOf = (db: BetterSqlite3.Database, table: string) =>
  (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);

describe('database file', () => {
  it('opens in WAL mode with foreign keys and the latest schema', () => {
    const db = openDatabase({ file: path.join(tempDir(), 'a.sqlite') });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(schemaVersion(db)).toBe(migrations.at(-1)!.version);
    db.close();
  });

  it('refuses a database written by a newer version, and leaves it untouched', () => {
    const file = path.join(tempDir(), 'future.sqlite');
    const future = new BetterSqlite3(file);
    future.pragma('user_version = 9990');
    future.exec('CREATE TABLE from_the_future (x)');
    future.close();

    expect(() => openDatabase({ file })).toThrow(
      new RegExp(`newer version of Agent Keyring \\(schema 9990; this version knows up to ${migrations.at(-1)!.version}\\)`),
    );
    const after = new BetterSqlite3(file);
    expect(after.pragma('user_version', { simple: true })).toBe(9990);
    expect(after.prepare("SELECT name FROM sqlite_master WHERE name = 'workspaces'").get()).toBeUndefined();
    after.close();
  });

  it('rolls back every migration of a run when one fails', () => {
    const file = path.join(tempDir(), 'broken.sqlite');
    const broken = [
      ...migrations,
      {
        version: 9000,
        name: 'broken',
        up: () => {
          throw new Error('boom');
        },
      },
    ];
    expect(() => openDatabase({ file, migrations: broken })).toThrow('boom');
    const db = new BetterSqlite3(file);
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'workspaces'").get()).toBeUndefined();
    db.close();
  });
});

describe('migration 10: workspaces', () => {
  it('creates workspaces, settings and the credential journal, with no column for key values', () => {
    const db = openDatabase({ file: path.join(tempDir(), 'm10.sqlite'), targetVersion: 10 });
    expect(schemaVersion(db)).toBe(10);
    expect(columnsOf(db, 'workspaces')).toContain('api_key_ref');
    expect(columnsOf(db, 'workspaces').some((c) => /key$|secret|token|value/.test(c) && c !== 'api_key_ref')).toBe(false);
    expect(columnsOf(db, 'credential_intents')).toEqual(['ref', 'action', 'created_at']);
    expect(() =>
      db
        .prepare(
          "INSERT INTO workspaces (id, label, residency, api_key_ref, verification, position, created_at) VALUES ('w', 'W', 'mars', 'r', 'verified', 1, 0)",
        )
        .run(),
    ).toThrow(/CHECK constraint failed/);
    db.close();
  });
});

describe('migration 20: inventory', () => {
  it('keeps existing workspaces and adds the inventory tables and sync columns', () => {
    const file = path.join(tempDir(), 'm20.sqlite');
    const v10 = openDatabase({ file, targetVersion: 10 });
    v10
      .prepare(
        `INSERT INTO workspaces (id, label, residency, api_key_ref, verification, position, created_at)
         VALUES ('w1', 'Production', 'eu', 'workspace-api-key/1', 'verified', 1, 1700000000000)`,
      )
      .run();
    v10.close();

    const v20 = openDatabase({ file, targetVersion: 20 });
    expect(schemaVersion(v20)).toBe(20);
    expect(v20.prepare('SELECT id, label, residency, sync_status, secret_count FROM workspaces').all()).toEqual([
      { id: 'w1', label: 'Production', residency: 'eu', sync_status: 'never', secret_count: 0 },
    ]);
    for (const table of ['workspace_secrets', 'secret_dependants', 'auth_connections']) {
      expect(columnsOf(v20, table).length).toBeGreaterThan(0);
    }
    // Inventory rows go with their workspace.
    v20
      .prepare(
        `INSERT INTO workspace_secrets (workspace_id, secret_id, name, name_folded, agents_count, tools_count, phone_numbers_count,
           mcp_servers_count, others_count, dependant_count, dependants_truncated, dependants_digest, first_seen_at, last_seen_at, seen_generation)
         VALUES ('w1', 's1', 'A', 'a', 0, 0, 0, 0, 0, 0, 0, '', 0, 0, 1)`,
      )
      .run();
    v20.prepare("DELETE FROM workspaces WHERE id = 'w1'").run();
    expect(v20.prepare('SELECT count(*) AS n FROM workspace_secrets').get()).toEqual({ n: 0 });
    v20.close();
  });

  it('migration 30 carries what the key check and the last sync knew about access', () => {
    const file = path.join(tempDir(), 'access.sqlite');
    const db = openDatabase({ file, targetVersion: 20 });
    const insert = db.prepare(
      `INSERT INTO workspaces (id, label, residency, api_key_ref, verification, missing_permissions, position, created_at, sync_status, last_sync_problem)
       VALUES (?, ?, 'default', ?, ?, ?, 1, 0, ?, ?)`,
    );
    insert.run('full', 'Full', 'r1', 'verified', '[]', 'ok', null);
    insert.run('no-secrets', 'No secrets', 'r2', 'verified', '["convai_read"]', 'never', null);
    insert.run(
      'no-connections',
      'No connections',
      'r3',
      'verified',
      '[]',
      'ok',
      JSON.stringify({ code: 'missing_permission', message: 'm', permission: 'workspace_read' }),
    );
    insert.run('unchecked', 'Unchecked', 'r4', 'unverified', '[]', 'never', null);
    db.close();
    const migrated = openDatabase({ file });
    const rows = migrated
      .prepare(
        'SELECT id, secret_access, secret_denied_permission, auth_connection_access, auth_connection_denied_permission FROM workspaces ORDER BY id',
      )
      .all();
    expect(rows).toEqual([
      {
        id: 'full',
        secret_access: 'allowed',
        secret_denied_permission: null,
        auth_connection_access: 'allowed',
        auth_connection_denied_permission: null,
      },
      {
        id: 'no-connections',
        secret_access: 'allowed',
        secret_denied_permission: null,
        auth_connection_access: 'denied',
        auth_connection_denied_permission: 'workspace_read',
      },
      {
        id: 'no-secrets',
        secret_access: 'denied',
        secret_denied_permission: 'convai_read',
        auth_connection_access: 'unknown',
        auth_connection_denied_permission: null,
      },
      {
        id: 'unchecked',
        secret_access: 'unknown',
        secret_denied_permission: null,
        auth_connection_access: 'unknown',
        auth_connection_denied_permission: null,
      },
    ]);
    migrated.close();
  });
});

describe('migration 80: connections kept here', () => {
  it('keeps what version 70 had, adds the tables with no column for a sensitive value, and their rows go with their workspace', () => {
    const file = path.join(tempDir(), 'm80.sqlite');
    const v70 = openDatabase({ file, targetVersion: 70 });
    v70
      .prepare(
        `INSERT INTO workspaces (id, label, residency, api_key_ref, verification, position, created_at)
         VALUES ('w1', 'Production', 'eu', 'workspace-api-key/1', 'verified', 1, 0)`,
      )
      .run();
    v70.close();

    const v80 = openDatabase({ file, targetVersion: 80 });
    expect(schemaVersion(v80)).toBe(80);
    expect(v80.prepare('SELECT id FROM workspaces').all()).toEqual([{ id: 'w1' }]);
    expect(columnsOf(v80, 'kept_connection_credentials')).toEqual(['kept_connection_id', 'field', 'credential_ref']);
    for (const table of ['kept_connections', 'kept_connection_targets']) {
      expect(
        columnsOf(v80, table).some((c) => /client_secret|token|password|passphrase|private|_key$|value/.test(c)),
        table,
      ).toBe(false);
    }
    expect(() =>
      v80.prepare("INSERT INTO kept_connections VALUES ('k', 'K', 'digest_auth', '{}', 'f', NULL, NULL, 0, 0, 0)").run(),
    ).toThrow(/CHECK constraint failed/);
    v80.prepare("INSERT INTO kept_connections VALUES ('k', 'K', 'bearer_auth', '{}', 'f', NULL, NULL, 0, 0, 0)").run();
    v80.prepare("INSERT INTO kept_connection_targets (kept_connection_id, workspace_id) VALUES ('k', 'w1')").run();
    v80.prepare("DELETE FROM workspaces WHERE id = 'w1'").run();
    expect(v80.prepare('SELECT count(*) AS n FROM kept_connection_targets').get()).toEqual({ n: 0 });
    v80.prepare("INSERT INTO kept_connection_credentials VALUES ('k', 'token', 'connection-token/1')").run();
    v80.prepare("DELETE FROM kept_connections WHERE id = 'k'").run();
    expect(v80.prepare('SELECT count(*) AS n FROM kept_connection_credentials').get()).toEqual({ n: 0 });
    v80.close();
  });
});

describe('migration 100: environment variables', () => {
  it('keeps what version 90 had, adds the variable tables whose values hold one kind each, gone with their workspace', () => {
    const file = path.join(tempDir(), 'm100.sqlite');
    const v90 = openDatabase({ file, targetVersion: 90 });
    v90
      .prepare(
        `INSERT INTO workspaces (id, label, residency, api_key_ref, verification, position, created_at)
         VALUES ('w1', 'Production', 'eu', 'workspace-api-key/1', 'verified', 1, 0)`,
      )
      .run();
    v90.close();

    const v100 = openDatabase({ file, targetVersion: 100 });
    expect(schemaVersion(v100)).toBe(100);
    expect(v100.prepare('SELECT id FROM workspaces').all()).toEqual([{ id: 'w1' }]);
    v100
      .prepare(
        `INSERT INTO environment_variables (row_id, workspace_id, variable_id, label, label_folded, type, first_seen_at, seen_generation)
         VALUES (1, 'w1', 'env_1', 'API_URL', 'api url', 'string', 0, 1)`,
      )
      .run();
    const value = v100.prepare(
      `INSERT INTO environment_variable_values (variable_row_id, workspace_id, environment, kind, string_value, withheld, withheld_hint,
         value_length, secret_id, auth_connection_id) VALUES (1, 'w1', ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    value.run('production', 'string', 'https://x.example', null, null, 17, null, null);
    value.run('staging', 'string', null, 'key_prefix', 'sk_', 35, null, null);
    value.run('dev', 'secret', null, null, null, null, 'sec_1', null);
    // A value holds one kind: a string value (or why it was withheld), a secret id or a connection id.
    expect(() => value.run('qa', 'string', null, null, null, null, null, null)).toThrow(/CHECK constraint failed/);
    expect(() => value.run('qa', 'string', 'x', 'key_prefix', 'sk_', 1, null, null)).toThrow(/CHECK constraint failed/);
    expect(() => value.run('qa', 'secret', null, null, null, null, null, 'ac_1')).toThrow(/CHECK constraint failed/);
    expect(() => value.run('qa', 'auth_connection', 'x', null, null, 1, null, 'ac_1')).toThrow(/CHECK constraint failed/);
    v100.prepare("INSERT INTO environment_variable_access VALUES ('w1', 'allowed', NULL, 0)").run();
    v100.prepare("DELETE FROM workspaces WHERE id = 'w1'").run();
    for (const table of ['environment_variables', 'environment_variable_values', 'environment_variable_access']) {
      expect(v100.prepare(`SELECT count(*) AS n FROM ${table}`).get(), table).toEqual({ n: 0 });
    }
    v100.close();
  });
});
