import { hash } from 'node:crypto';
import type { Database } from '../db/database';
import type { Statement } from 'better-sqlite3';
import type { Problem } from '../../shared/schemas/common';
import type { Dependant } from '../../shared/schemas/inventory';
import type { AuthConnectionStore } from '../auth-connections/auth-connection-store';
import { DependantNumbering, toListedSecret, type ListedSecret, type SecretBatch } from '../elevenlabs/listed-secret';
import type { RemoteAuthConnection, RemoteSecret } from '../elevenlabs/types';
import { dependantRowFinder } from './dependant-rows';
import type { WorkspaceRepository } from '../workspaces/workspace-repository';

export interface SyncOutcome {
  /** Null when the key may not list auth connections: the cached ones are left as they are. */
  authConnections: RemoteAuthConnection[] | null;
  /** The permission that kept the auth connections from being listed, when that is why they are null. */
  authConnectionsDenied: { permission: string | null } | null;
  /** A non-fatal note for the user, e.g. a permission the key lacks. */
  note: Problem | null;
  /** Writes of other parts of the workspace (environment variables), run inside the same transaction. */
  alsoWrite?: ((commit: { generation: number; at: number }) => void)[];
}

export interface SyncCounts {
  secretCount: number;
  removedSecretCount: number;
  authConnectionCount: number;
  /** What this sync changed: secrets seen for the first time, and ones it found gone. */
  changes: { added: number; removed: number };
}

/**
 * A fetched secret already in the shape of its rows. Built batch by batch while the next batch
 * is on its way, so the final transaction only binds values.
 */
const NO_DEPENDANTS_DIGEST = hash('md5', '0', 'base64');

const countColumn: Record<Dependant['kind'], number> = { agent: 0, tool: 1, phone_number: 2, mcp_server: 3, other: 4 };

/**
 * A staged secret's values: name, name_folded, agents, tools, phone numbers, MCP servers, others,
 * the digest of its dependants (so an unchanged secret's links are not rewritten), and its
 * dependants' numbers as JSON (expanded into links by SQLite at the commit).
 */
type SecretRowValues = [string, string, number, number, number, number, number, string, string];
const DIGEST = 7;

function secretRowValues(secret: ListedSecret, numbering: DependantNumbering): SecretRowValues {
  const counts = [0, 0, 0, 0, 0];
  // '0': no dependant cut short, as the fingerprints stored by earlier versions begin. Hashed in
  // one call, from texts the numbering already holds (no Hash object per secret).
  let text = '0';
  for (const number of secret.dependants) {
    counts[countColumn[numbering.values(number)[0]]]! += 1;
    text += numbering.text(number) + '\u0001';
  }
  const empty = secret.dependants.length === 0;
  return [
    secret.name,
    secret.name.toLowerCase(),
    counts[0]!,
    counts[1]!,
    counts[2]!,
    counts[3]!,
    counts[4]!,
    empty ? NO_DEPENDANTS_DIGEST : hash('md5', text, 'base64'),
    empty ? '[]' : `[${secret.dependants.join(',')}]`,
  ];
}

const STAGED_SECRET_COLUMNS = 11;
const ROWS_PER_STAGING_STATEMENT = 100;
const stagingStatements = new WeakMap<Database, Map<number, Statement>>();
/** INSERT of `rows` staged secrets, prepared once per connection and row count. */
function stagingStatement(db: Database, rows: number): Statement {
  let byRows = stagingStatements.get(db);
  if (!byRows) stagingStatements.set(db, (byRows = new Map()));
  let statement = byRows.get(rows);
  if (!statement) {
    const row = `(${Array<string>(STAGED_SECRET_COLUMNS).fill('?').join(', ')})`;
    statement = db.prepare(`INSERT INTO temp.staged_secrets VALUES ${Array<string>(rows).fill(row).join(', ')}`);
    byRows.set(rows, statement);
  }
  return statement;
}

let nextStageId = 1;
/** Stages not yet committed or discarded, per connection (TEMP tables belong to a connection). */
const openStages = new WeakMap<Database, Set<number>>();

/**
 * Writes one workspace's fetched inventory. While pages arrive, new and changed secrets are
 * staged in TEMP tables (memory only, never in the saved file, gone with the process) and
 * unchanged ones are only noted. `commit` then merges everything into the inventory in one
 * transaction of set-based SQL: all of it lands or none does, so a crash mid-sync leaves the
 * previous inventory whole. Secrets missing from the fetch are marked removed, never dropped.
 */
export class InventoryWriter {
  constructor(
    private readonly db: Database,
    private readonly workspaces: WorkspaceRepository,
    private readonly authConnections: AuthConnectionStore,
  ) {
    // A sync of 10,000 secrets stages megabytes: kept in memory, not spilled to a temporary file
    // past the temp schema's default 2 MB page cache.
    db.pragma('temp_store = MEMORY');
    db.exec(`
      CREATE TEMP TABLE IF NOT EXISTS staged_secrets (
        stage_id INTEGER NOT NULL, secret_id TEXT NOT NULL, name TEXT NOT NULL, name_folded TEXT NOT NULL,
        agents_count INTEGER, tools_count INTEGER, phone_numbers_count INTEGER, mcp_servers_count INTEGER,
        others_count INTEGER, dependants_digest TEXT NOT NULL, dependant_numbers TEXT NOT NULL);
      -- The stored row of each dependant a staged secret links to, filled by the commit.
      CREATE TEMP TABLE IF NOT EXISTS staged_dependant_rows (
        stage_id INTEGER NOT NULL, number INTEGER NOT NULL, row_id INTEGER NOT NULL,
        PRIMARY KEY (stage_id, number)) WITHOUT ROWID;
    `);
  }

  begin(workspaceId: string): StagedInventory {
    const stageId = nextStageId++;
    let open = openStages.get(this.db);
    if (!open) openStages.set(this.db, (open = new Set()));
    open.add(stageId);
    return new StagedInventory(this.db, this.workspaces, this.authConnections, workspaceId, stageId);
  }
}

export class StagedInventory {
  /** What the inventory holds now, to tell unchanged secrets from ones to write (read by `load`). */
  #existing: Map<string, { rowId: number; name: string; digest: string; removed: boolean }> | undefined;
  readonly #unchanged: number[] = [];
  /** Rows of held secrets whose dependants changed: their links are replaced. */
  readonly #relinked: number[] = [];
  /** Ids already taken: a secret that moved while the list was paged can appear twice. */
  readonly #seen = new Set<string>();
  /** Staged secrets the inventory did not hold before. */
  #added = 0;
  /** The listing's distinct dependants, as this stage numbers them. */
  readonly #numbering = new DependantNumbering();
  /** Dependants the staged secrets link to: only these are looked up or written at the commit. */
  readonly #linked = new Set<number>();

  constructor(
    private readonly db: Database,
    private readonly workspaces: WorkspaceRepository,
    private readonly authConnections: AuthConnectionStore,
    private readonly workspaceId: string,
    private readonly stageId: number,
  ) {}

  /**
   * Reads what the inventory holds now. Done by the first batch if not before; a sync calls it
   * once the listing has been asked for, so it is read while ElevenLabs answers.
   */
  load(): Map<string, { rowId: number; name: string; digest: string; removed: boolean }> {
    if (this.#existing) return this.#existing;
    const rows = this.db
      .prepare(
        `SELECT secret_id, row_id, name, dependants_digest, removed_remotely_at IS NOT NULL AS removed
         FROM workspace_secrets WHERE workspace_id = ?`,
      )
      .raw()
      .all(this.workspaceId) as [string, number, string, string, number][];
    return (this.#existing = new Map(
      rows.map(([secretId, rowId, name, digest, removed]) => [secretId, { rowId, name, digest, removed: removed === 1 }]),
    ));
  }

  /** Takes one batch from the API host: a small transaction on the TEMP tables only. */
  add(batch: Pick<SecretBatch, 'dependantsFrom' | 'dependants' | 'secrets'>): void {
    // The host numbers the listing's dependants as this stage does, in the same order, so its
    // numbers are used as they are.
    if (batch.dependantsFrom !== this.#numbering.size) throw new Error('dependants handed over out of order');
    for (const values of batch.dependants) this.#numbering.number(values);
    if (this.#numbering.size !== batch.dependantsFrom + batch.dependants.length) throw new Error('dependants handed over twice');
    this.#stage(batch.secrets);
  }

  /** A secret whose dependants were completed here (the listing cut them short). */
  addComplete(secret: RemoteSecret): void {
    this.#stage([toListedSecret(secret, this.#numbering)]);
  }

  #stage(secrets: ListedSecret[]): void {
    const existing = this.load();
    const rows: (string | number)[] = [];
    for (const secret of secrets) {
      if (this.#seen.has(secret.secretId)) continue;
      this.#seen.add(secret.secretId);
      const values = secretRowValues(secret, this.#numbering);
      const previous = existing.get(secret.secretId);
      if (previous && previous.name === secret.name && previous.digest === values[DIGEST] && !previous.removed) {
        this.#unchanged.push(previous.rowId);
        continue;
      }
      if (!previous) this.#added += 1;
      else if (previous.digest !== values[DIGEST]) this.#relinked.push(previous.rowId);
      rows.push(this.stageId, secret.secretId, ...values);
      for (const number of secret.dependants) this.#linked.add(number);
    }
    this.#insertStaged(rows);
  }

  /** Staged rows go in many to a statement: binding, not SQLite, is most of the cost of one. */
  #insertStaged(values: (string | number)[]): void {
    const perRow = STAGED_SECRET_COLUMNS;
    const perStatement = ROWS_PER_STAGING_STATEMENT * perRow;
    this.db.transaction(() => {
      let at = 0;
      for (; at + perStatement <= values.length; at += perStatement)
        stagingStatement(this.db, ROWS_PER_STAGING_STATEMENT).run(values.slice(at, at + perStatement));
      if (at < values.length) stagingStatement(this.db, (values.length - at) / perRow).run(values.slice(at));
    })();
  }

  discard(): void {
    const open = openStages.get(this.db);
    open?.delete(this.stageId);
    if (!open?.size) {
      // No other sync is staging: emptied whole, which SQLite does without visiting each row.
      this.db.exec('DELETE FROM temp.staged_secrets; DELETE FROM temp.staged_dependant_rows;');
      return;
    }
    this.db.prepare('DELETE FROM temp.staged_secrets WHERE stage_id = ?').run(this.stageId);
    this.db.prepare('DELETE FROM temp.staged_dependant_rows WHERE stage_id = ?').run(this.stageId);
  }

  /** The sync's one transaction on the inventory. */
  commit(outcome: SyncOutcome, at: number): SyncCounts {
    // What a sync writes is ElevenLabs' to give again: a power cut may cost this commit (the next
    // sync fetches it again), never the file (WAL). So it does not wait for the disk; the next
    // write that must (a keychain intent, at FULL) flushes it too.
    const durability = this.db.pragma('synchronous', { simple: true }) as number;
    this.db.pragma('synchronous = NORMAL');
    try {
      return this.db.transaction((): SyncCounts => {
        const workspace = this.workspaces.find(this.workspaceId);
        if (!workspace) throw new Error('workspace removed during sync');
        const generation = workspace.syncGeneration + 1;
        const changes = this.#merge({ workspaceId: this.workspaceId, stageId: this.stageId, at, generation });
        if (outcome.authConnections) this.authConnections.replaceAll(this.workspaceId, outcome.authConnections, generation, at);
        for (const write of outcome.alsoWrite ?? []) write({ generation, at });
        const counts = {
          // Every secret listed is present; every one held before and not listed is removed.
          secretCount: this.#seen.size,
          removedSecretCount: [...this.load().keys()].filter((id) => !this.#seen.has(id)).length,
          authConnectionCount: this.authConnections.countPresent(this.workspaceId),
        };
        this.workspaces.recordSyncSuccess(this.workspaceId, { generation, at, note: outcome.note, ...counts });
        this.workspaces.recordAccess(this.workspaceId, {
          secrets: { state: 'allowed', permission: null },
          authConnections: outcome.authConnectionsDenied
            ? { state: 'denied', permission: outcome.authConnectionsDenied.permission }
            : { state: 'allowed', permission: null },
        });
        return { ...counts, changes };
      })();
    } finally {
      this.db.pragma(`synchronous = ${durability}`);
      this.discard();
    }
  }

  /** Merges the staged rows; returns how many secrets are new and how many were found gone. */
  #merge(params: { workspaceId: string; stageId: number; at: number; generation: number }): SyncCounts['changes'] {
    // Each dependant the staged secrets link to: found by its fingerprint, or added.
    const dependantRow = dependantRowFinder(this.db);
    const stageDependantRow = this.db.prepare('INSERT INTO temp.staged_dependant_rows VALUES (?, ?, ?)');
    for (const number of this.#linked) {
      stageDependantRow.run(params.stageId, number, dependantRow(params.workspaceId, this.#numbering.values(number)));
    }
    // The old links of secrets whose dependants changed go before the new ones come.
    if (this.#relinked.length > 0)
      this.db
        .prepare('DELETE FROM secret_dependant_links WHERE secret_row_id IN (SELECT value FROM json_each(?))')
        .run(JSON.stringify(this.#relinked));
    this.db
      .prepare(
        `INSERT INTO workspace_secrets (workspace_id, secret_id, name, name_folded, agents_count, tools_count,
           phone_numbers_count, mcp_servers_count, others_count, dependant_count, dependants_truncated, dependants_digest,
           first_seen_at, last_seen_at, seen_generation)
         SELECT @workspaceId, secret_id, name, name_folded, agents_count, tools_count, phone_numbers_count,
           mcp_servers_count, others_count, agents_count + tools_count + phone_numbers_count + mcp_servers_count + others_count,
           0, dependants_digest, @at, @at, @generation
         FROM temp.staged_secrets WHERE stage_id = @stageId
         ON CONFLICT (workspace_id, secret_id) DO UPDATE SET name = excluded.name, name_folded = excluded.name_folded,
           agents_count = excluded.agents_count, tools_count = excluded.tools_count,
           phone_numbers_count = excluded.phone_numbers_count, mcp_servers_count = excluded.mcp_servers_count,
           others_count = excluded.others_count, dependant_count = excluded.dependant_count,
           dependants_truncated = excluded.dependants_truncated, dependants_digest = excluded.dependants_digest,
           last_seen_at = excluded.last_seen_at, seen_generation = excluded.seen_generation, removed_remotely_at = NULL`,
      )
      .run(params);
    // Links from each staged secret's numbers, expanded by SQLite. A renamed secret keeps its
    // links: OR IGNORE turns those into lookups.
    this.db
      .prepare(
        `INSERT OR IGNORE INTO secret_dependant_links (secret_row_id, dependant_row_id)
         SELECT s.row_id, d.row_id
         FROM temp.staged_secrets AS st
         -- CROSS JOIN keeps the staged rows as the outer loop: one index lookup each.
         CROSS JOIN workspace_secrets AS s ON s.workspace_id = @workspaceId AND s.secret_id = st.secret_id
         CROSS JOIN json_each(st.dependant_numbers) AS number
         CROSS JOIN temp.staged_dependant_rows AS d ON d.stage_id = st.stage_id AND d.number = number.value
         WHERE st.stage_id = @stageId AND st.dependant_numbers <> '[]'`,
      )
      .run(params);
    // Dependants no secret links to any more.
    this.db
      .prepare(
        `DELETE FROM workspace_dependants WHERE workspace_id = @workspaceId
           AND NOT EXISTS (SELECT 1 FROM secret_dependant_links AS l WHERE l.dependant_row_id = workspace_dependants.row_id)`,
      )
      .run(params);
    if (this.#unchanged.length > 0)
      this.db
        .prepare('UPDATE workspace_secrets SET last_seen_at = ?, seen_generation = ? WHERE row_id IN (SELECT value FROM json_each(?))')
        .run(params.at, params.generation, JSON.stringify(this.#unchanged));
    // Held before, not listed now, and not already marked: found gone by this sync.
    const gone = [...this.load().entries()].filter(([secretId, held]) => !held.removed && !this.#seen.has(secretId));
    if (gone.length > 0)
      this.db
        .prepare('UPDATE workspace_secrets SET removed_remotely_at = ? WHERE row_id IN (SELECT value FROM json_each(?))')
        .run(params.at, JSON.stringify(gone.map(([, held]) => held.rowId)));
    const removed = gone.length;
    return { added: this.#added, removed };
  }
}
