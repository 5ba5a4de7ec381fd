import type { Database } from '../db/database';
import type { Row } from './records';

// What a restored record needs beyond its columns, table by table. Everything else about a
// restore is generic (records.ts); these are the facts that belong to one computer and must be
// remade on another. A table with no entry here is copied as it is, with its refs replaced.

export interface AdaptContext {
  db: Database;
  /** The keyed fingerprint of a value under this computer's fingerprint key. */
  fingerprint(value: string): Promise<string>;
  /** The backup's value behind a ref, when the backup holds it. */
  valueOf(ref: unknown): string | undefined;
  /** Fingerprints in the backup (under the other computer's key) mapped to this computer's. */
  fingerprintMap: Map<string, string>;
  /** Whether this ref was left out of the backup on purpose (a refresh token not opted in). */
  leftOut(ref: unknown): boolean;
  /** Next free position for an added workspace. */
  nextPosition(): number;
}

export interface TableAdapter {
  /** How the app names one record of this table in a plan. */
  what: string;
  /** Columns (besides its refs) to take from the backup when a conflict is replaced. */
  alsoOnReplace?: string[];
  /** Rewrites a record (added, or replacing) for this computer. */
  adapt?(row: Row, context: AdaptContext): Promise<Row>;
  /** Said in the plan about a record to add. */
  note?(row: Row, context: Pick<AdaptContext, 'leftOut'>): string | null;
}

export const restoreAdapters: Record<string, TableAdapter> = {
  workspaces: {
    what: 'Workspace',
    // Its inventory is not restored (a sync after the key's re-check refills it): start as never synced.
    async adapt(row, context) {
      return {
        ...row,
        sync_status: 'never',
        last_sync_attempt_at: null,
        last_sync_success_at: null,
        last_sync_problem: null,
        sync_generation: 0,
        secret_count: 0,
        removed_secret_count: 0,
        auth_connection_count: 0,
        reachability: 'unknown',
        last_contact_at: null,
        position: context.nextPosition(),
      };
    },
  },
  local_secrets: {
    what: 'Local secret',
    alsoOnReplace: ['fingerprint', 'previous_fingerprint', 'value_changed_at'],
    // Fingerprints are keyed per computer: remade under this one's key from the restored values.
    async adapt(row, context) {
      const adapted = { ...row };
      for (const [refColumn, column] of [
        ['value_ref', 'fingerprint'],
        ['previous_value_ref', 'previous_fingerprint'],
      ] as const) {
        const value = context.valueOf(row[refColumn]);
        if (value === undefined) continue;
        const fingerprint = await context.fingerprint(value);
        if (typeof row[column] === 'string') context.fingerprintMap.set(row[column], fingerprint);
        adapted[column] = fingerprint;
      }
      return adapted;
    },
  },
  local_secret_targets: {
    what: 'Target',
    // What was last pushed is known by fingerprint: kept when it was one of the restored values.
    async adapt(row, context) {
      const pushed = typeof row['pushed_fingerprint'] === 'string' ? context.fingerprintMap.get(row['pushed_fingerprint']) : undefined;
      return { ...row, pushed_fingerprint: pushed ?? null };
    },
  },
  oauth_providers: { what: 'OAuth provider' },
  people: { what: 'Person' },
  linked_accounts: {
    what: 'Linked account',
    // Without its refresh token the account cannot refresh: the user reconnects it.
    async adapt(row, context) {
      if (!context.leftOut(row['refresh_token_ref'])) return row;
      return {
        ...row,
        refresh_token_ref: null,
        status: 'needs_reconnect',
        problem: JSON.stringify({
          code: 'key_missing',
          message: 'Restored from a backup without its refresh token. Reconnect the account to use it again.',
        }),
        failures: 0,
        next_attempt_at: null,
      };
    },
    note: (row, context) => (context.leftOut(row['refresh_token_ref']) ? 'needs reconnect (its refresh token was left out)' : null),
  },
};

/** How the app names a table's record when no adapter says. */
export function whatIs(table: string): string {
  const words = table.replace(/_/g, ' ');
  return restoreAdapters[table]?.what ?? words.charAt(0).toUpperCase() + words.slice(1);
}
