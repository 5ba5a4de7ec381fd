// The synced environment variables of every workspace (tables: migration 0100): written by a
// sync inside its one transaction, read by the matrix, Review and the plan engine. SQLite only:
// every read works offline. References to secrets and auth connections are kept as ids and
// resolved here, at read time, against the same workspace's synced inventory.
import {
  PRODUCTION,
  type EnvironmentVariable,
  type VariableHit,
  type VariableKind,
  type VariableReferral,
  type VariableValue,
} from '../../shared/schemas/environment-variables';
import { foldForSearch } from '../../shared/search';
import type { Database } from '../db/database';
import type { RemoteEnvironmentVariable } from '../elevenlabs/types';

export type { EnvironmentVariable, VariableValue } from '../../shared/schemas/environment-variables';

/** Whether the last sync of a workspace could list its variables. */
export interface VariableAccess {
  state: 'allowed' | 'denied';
  permission: string | null;
  checkedAt: number;
}

export interface VariableQuery {
  /** Only variables of this kind. */
  kind?: VariableKind | null;
  /** Only variables that have a value for this environment (all their values are still returned). */
  environment?: string | null;
  /** Also variables the last sync no longer found (default false). */
  includeRemoved?: boolean;
}

interface VariableRow {
  row_id: number;
  workspace_id: string;
  variable_id: string;
  label: string;
  type: string;
  created_at_unix: number | null;
  updated_at_unix: number | null;
  first_seen_at: number;
  removed_remotely_at: number | null;
}

interface ValueRow {
  variable_row_id: number;
  environment: string;
  kind: VariableKind;
  string_value: string | null;
  withheld: 'key_prefix' | 'high_entropy' | null;
  withheld_hint: string | null;
  value_length: number | null;
  secret_id: string | null;
  auth_connection_id: string | null;
  ref_name: string | null;
  ref_removed_at: number | null;
  ref_found: number | null;
  ref_auth_type: string | null;
}

/** production first, then the others in code-unit order. */
export function compareEnvironments(a: string, b: string): number {
  if (a === b) return 0;
  if (a === PRODUCTION) return -1;
  if (b === PRODUCTION) return 1;
  return a < b ? -1 : 1;
}

/** Values joined with what their ids name in the same workspace's synced secrets and connections. */
const VALUES_SQL = `
  SELECT v.variable_row_id, v.environment, v.kind, v.string_value, v.withheld, v.withheld_hint, v.value_length,
    v.secret_id, v.auth_connection_id,
    coalesce(s.name, c.name) AS ref_name,
    coalesce(s.removed_remotely_at, c.removed_remotely_at) AS ref_removed_at,
    coalesce(s.row_id, c.row_id) AS ref_found,
    c.auth_type AS ref_auth_type
  FROM environment_variable_values AS v
  LEFT JOIN workspace_secrets AS s ON v.secret_id IS NOT NULL AND s.workspace_id = v.workspace_id AND s.secret_id = v.secret_id
  LEFT JOIN auth_connections AS c
    ON v.auth_connection_id IS NOT NULL AND c.workspace_id = v.workspace_id AND c.connection_id = v.auth_connection_id`;

/**
 * The repository the matrix, Review and the plan engine read. Reads:
 * - `all(workspaceIds, query)`: every variable of those workspaces (null: all workspaces), with
 *   every value and each reference resolved (`VariableValue.reference`).
 * - `find(workspaceId, variableId)`, `findByLabel(workspaceId, label)`: one variable (labels are
 *   unique per workspace among the variables still listed remotely).
 * - `environments(workspaceId)`: every environment any variable has, production first.
 * - `search(query)`: labels across all workspaces (same folding as secret names).
 * - `referring(workspaceId, kind, id)`: the variables whose values name a secret or connection.
 * - `access(workspaceId)`: whether the last sync could list them.
 * Writes: `replaceAll` (a sync, inside its transaction), `recordRemote` (one variable as the API
 * answered a create or an update, so the matrix shows it before the next sync), `recordAccess`.
 */
export class VariableRepository {
  constructor(private readonly db: Database) {}

  // ---- reads -----------------------------------------------------------------------------------

  all(workspaceIds: readonly string[] | null, query: VariableQuery = {}): EnvironmentVariable[] {
    const rows = this.db
      .prepare(
        `SELECT row_id, workspace_id, variable_id, label, type, created_at_unix, updated_at_unix, first_seen_at, removed_remotely_at
         FROM environment_variables AS e
         WHERE (@all = 1 OR e.workspace_id IN (SELECT value FROM json_each(@workspaceIds)))
           AND (@includeRemoved = 1 OR e.removed_remotely_at IS NULL)
           AND (@kind IS NULL OR e.type = @kind)
           AND (@environment IS NULL OR EXISTS (
             SELECT 1 FROM environment_variable_values AS v WHERE v.variable_row_id = e.row_id AND v.environment = @environment))
         ORDER BY e.workspace_id, e.label, e.row_id`,
      )
      .all({
        all: workspaceIds === null ? 1 : 0,
        workspaceIds: JSON.stringify(workspaceIds ?? []),
        includeRemoved: query.includeRemoved ? 1 : 0,
        kind: query.kind ?? null,
        environment: query.environment ?? null,
      }) as VariableRow[];
    return this.#withValues(rows);
  }

  find(workspaceId: string, variableId: string): EnvironmentVariable | null {
    const row = this.db
      .prepare(
        `SELECT row_id, workspace_id, variable_id, label, type, created_at_unix, updated_at_unix, first_seen_at, removed_remotely_at
         FROM environment_variables WHERE workspace_id = ? AND variable_id = ?`,
      )
      .get(workspaceId, variableId) as VariableRow | undefined;
    return row ? (this.#withValues([row])[0] ?? null) : null;
  }

  /** The variable with exactly this label still listed remotely, or null. */
  findByLabel(workspaceId: string, label: string): EnvironmentVariable | null {
    const row = this.db
      .prepare(
        `SELECT row_id, workspace_id, variable_id, label, type, created_at_unix, updated_at_unix, first_seen_at, removed_remotely_at
         FROM environment_variables WHERE workspace_id = ? AND label = ? AND removed_remotely_at IS NULL
         ORDER BY row_id LIMIT 1`,
      )
      .get(workspaceId, label) as VariableRow | undefined;
    return row ? (this.#withValues([row])[0] ?? null) : null;
  }

  /** Every environment the workspace's variables have, production first (always, even with none). */
  environments(workspaceId: string): string[] {
    const found = (
      this.db
        .prepare(
          `SELECT DISTINCT v.environment FROM environment_variable_values AS v
           JOIN environment_variables AS e ON e.row_id = v.variable_row_id
           WHERE e.workspace_id = ? AND e.removed_remotely_at IS NULL`,
        )
        .pluck()
        .all(workspaceId) as string[]
    ).filter((environment) => environment !== PRODUCTION);
    return [PRODUCTION, ...found.sort(compareEnvironments)];
  }

  /** Labels containing the query (folded like secret names), across every workspace. */
  search(query: string, limit = 200): VariableHit[] {
    const folded = foldForSearch(query.trim());
    const rows = this.db
      .prepare(
        `SELECT e.workspace_id, e.variable_id, e.label, e.type,
           (SELECT json_group_array(environment) FROM environment_variable_values WHERE variable_row_id = e.row_id) AS environments
         FROM environment_variables AS e
         WHERE e.removed_remotely_at IS NULL AND (@folded = '' OR instr(e.label_folded, @folded) > 0)
         ORDER BY e.label_folded, e.workspace_id, e.row_id LIMIT @limit`,
      )
      .all({ folded, limit }) as { workspace_id: string; variable_id: string; label: string; type: string; environments: string }[];
    return rows.map((row) => ({
      workspaceId: row.workspace_id,
      variableId: row.variable_id,
      label: row.label,
      type: row.type,
      environments: (JSON.parse(row.environments) as string[]).sort(compareEnvironments),
    }));
  }

  /** The variables (still listed) whose values name this secret or connection, with the environments that do. */
  referring(workspaceId: string, kind: 'secret' | 'auth_connection', id: string): VariableReferral[] {
    const column = kind === 'secret' ? 'secret_id' : 'auth_connection_id';
    const rows = this.db
      .prepare(
        `SELECT e.variable_id, e.label, json_group_array(v.environment) AS environments
         FROM environment_variable_values AS v
         JOIN environment_variables AS e ON e.row_id = v.variable_row_id
         WHERE v.workspace_id = ? AND v.${column} = ? AND e.removed_remotely_at IS NULL
         GROUP BY e.row_id ORDER BY e.label, e.row_id`,
      )
      .all(workspaceId, id) as { variable_id: string; label: string; environments: string }[];
    return rows.map((row) => ({
      variableId: row.variable_id,
      label: row.label,
      environments: (JSON.parse(row.environments) as string[]).sort(compareEnvironments),
    }));
  }

  /** Variables still listed remotely, per workspace. */
  countPresent(workspaceId: string): number {
    return (
      this.db
        .prepare('SELECT count(*) AS n FROM environment_variables WHERE workspace_id = ? AND removed_remotely_at IS NULL')
        .get(workspaceId) as { n: number }
    ).n;
  }

  access(workspaceId: string): VariableAccess | null {
    const row = this.db
      .prepare('SELECT state, denied_permission, checked_at FROM environment_variable_access WHERE workspace_id = ?')
      .get(workspaceId) as { state: VariableAccess['state']; denied_permission: string | null; checked_at: number } | undefined;
    return row ? { state: row.state, permission: row.denied_permission, checkedAt: row.checked_at } : null;
  }

  // ---- writes ----------------------------------------------------------------------------------

  /**
   * Replaces one workspace's variables with what a sync fetched: each listed variable upserted
   * with all its values (an environment gone remotely goes here too); one no longer listed is
   * marked removed, not dropped. Call inside the sync's transaction, with its generation.
   */
  replaceAll(workspaceId: string, variables: readonly RemoteEnvironmentVariable[], generation: number, at: number): void {
    for (const variable of variables) this.#upsert(workspaceId, variable, generation, at);
    this.db
      .prepare(
        `UPDATE environment_variables SET removed_remotely_at = ?
         WHERE workspace_id = ? AND seen_generation < ? AND removed_remotely_at IS NULL`,
      )
      .run(at, workspaceId, generation);
    this.recordAccess(workspaceId, { state: 'allowed', permission: null, checkedAt: at });
  }

  /**
   * One variable as the API returned it after a create or an update (the plan engine's apply),
   * so the matrix shows it at once; the next sync confirms it. Its own transaction.
   */
  recordRemote(workspaceId: string, variable: RemoteEnvironmentVariable, at: number): void {
    this.db.transaction(() => {
      const generation =
        (this.db.prepare('SELECT sync_generation FROM workspaces WHERE id = ?').pluck().get(workspaceId) as number | undefined) ?? 0;
      this.#upsert(workspaceId, variable, generation, at);
    })();
  }

  recordAccess(workspaceId: string, access: VariableAccess): void {
    this.db
      .prepare(
        `INSERT INTO environment_variable_access (workspace_id, state, denied_permission, checked_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (workspace_id) DO UPDATE SET state = excluded.state, denied_permission = excluded.denied_permission,
           checked_at = excluded.checked_at`,
      )
      .run(workspaceId, access.state, access.permission, access.checkedAt);
  }

  // ---- internals -------------------------------------------------------------------------------

  #upsert(workspaceId: string, variable: RemoteEnvironmentVariable, generation: number, at: number): void {
    const rowId = this.db
      .prepare(
        `INSERT INTO environment_variables (workspace_id, variable_id, label, label_folded, type, created_at_unix,
           updated_at_unix, first_seen_at, seen_generation)
         VALUES (@workspaceId, @variableId, @label, @labelFolded, @type, @createdAt, @updatedAt, @at, @generation)
         ON CONFLICT (workspace_id, variable_id) DO UPDATE SET label = excluded.label, label_folded = excluded.label_folded,
           type = excluded.type, created_at_unix = excluded.created_at_unix, updated_at_unix = excluded.updated_at_unix,
           seen_generation = excluded.seen_generation, removed_remotely_at = NULL
         RETURNING row_id`,
      )
      .pluck()
      .get({
        workspaceId,
        variableId: variable.variableId,
        label: variable.label,
        labelFolded: foldForSearch(variable.label),
        type: variable.type,
        createdAt: variable.createdAtUnix,
        updatedAt: variable.updatedAtUnix,
        at,
        generation,
      }) as number;
    this.db.prepare('DELETE FROM environment_variable_values WHERE variable_row_id = ?').run(rowId);
    const insert = this.db.prepare(
      `INSERT INTO environment_variable_values (variable_row_id, workspace_id, environment, kind, string_value, withheld,
         withheld_hint, value_length, secret_id, auth_connection_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const [environment, value] of Object.entries(variable.values)) {
      if (value.kind === 'string') {
        const length = value.value === null ? value.withheld.length : value.value.length;
        insert.run(
          rowId,
          workspaceId,
          environment,
          'string',
          value.value,
          value.withheld?.reason ?? null,
          value.withheld?.hint ?? null,
          length,
          null,
          null,
        );
      } else if (value.kind === 'secret') {
        insert.run(rowId, workspaceId, environment, 'secret', null, null, null, null, value.secretId, null);
      } else {
        insert.run(rowId, workspaceId, environment, 'auth_connection', null, null, null, null, null, value.authConnectionId);
      }
    }
  }

  #withValues(rows: VariableRow[]): EnvironmentVariable[] {
    if (rows.length === 0) return [];
    const values = this.db
      .prepare(`${VALUES_SQL} WHERE v.variable_row_id IN (SELECT value FROM json_each(?))`)
      .all(JSON.stringify(rows.map((row) => row.row_id))) as ValueRow[];
    const byVariable = new Map<number, VariableValue[]>();
    for (const value of values) {
      const list = byVariable.get(value.variable_row_id) ?? [];
      list.push(toValue(value));
      byVariable.set(value.variable_row_id, list);
    }
    return rows.map((row) => ({
      workspaceId: row.workspace_id,
      variableId: row.variable_id,
      label: row.label,
      type: row.type,
      values: (byVariable.get(row.row_id) ?? []).sort((a, b) => compareEnvironments(a.environment, b.environment)),
      createdAtUnix: row.created_at_unix,
      updatedAtUnix: row.updated_at_unix,
      firstSeenAt: row.first_seen_at,
      removedRemotelyAt: row.removed_remotely_at,
    }));
  }
}

function toValue(row: ValueRow): VariableValue {
  const referenceId = row.secret_id ?? row.auth_connection_id;
  return {
    environment: row.environment,
    kind: row.kind,
    value: row.string_value,
    withheld: row.withheld === null ? null : { reason: row.withheld, hint: row.withheld_hint ?? '', length: row.value_length ?? 0 },
    reference:
      referenceId === null
        ? null
        : {
            id: referenceId,
            name: row.ref_name,
            state: row.ref_found === null ? 'unknown' : row.ref_removed_at === null ? 'present' : 'removed',
            removedRemotelyAt: row.ref_removed_at,
            authType: row.ref_auth_type,
          },
  };
}
