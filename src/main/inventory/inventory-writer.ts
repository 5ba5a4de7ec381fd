import { hash } from 'node:crypto';
import type { Database } from '../db/database';
import type { Problem } from '../../shared/schemas/common';
import type { Dependant } from '../../shared/schemas/inventory';
import type { AuthConnectionStore } from '../auth-connections/auth-connection-store';
import type { DependantValues, ListedSecret } from '../elevenlabs/listed-secret';
import type { RemoteAuthConnection } from '../elevenlabs/types';
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
export interface SecretRecord {
  secretId: string;
  name: string;
  /** Fingerprint of the dependants, so an unchanged secret's dependants are not rewritten. */
  digest: string;
  /** name, name_folded, agents, tools, phone numbers, MCP servers, others, total, truncated, digest */
  values: [string, string, number, number, number, number, number, number, number, string];
  dependantValues: DependantValues[];
}

const NO_DEPENDANTS_DIGEST = hash('md5', '0', 'base64');

const countColumn: Record<Dependant['kind'], number> = { agent: 0, tool: 1, phone_number: 2, mcp_server: 3, other: 4 };

/** A secret whose dependants are complete (the API host sends only those, and main completes the rest). */
export function toSecretRecord(secret: ListedSecret): SecretRecord {
  const counts = [0, 0, 0, 0, 0];
  // Made in main, from text the host already scrubbed, hashed in one call (no Hash object per
  // secret). '0': no dependant cut short, as the fingerprints stored by earlier versions begin.
  let text = '0';
  for (const values of secret.dependants) {
    counts[countColumn[values[0]]]! += 1;
    text += values.join('\u0000') + '\u0001';
  }
  const digest = secret.dependants.length === 0 ? NO_DEPENDANTS_DIGEST : hash('md5', text, 'base64');
  return {
    secretId: secret.secretId,
    name: secret.name,
    digest,
    values: [
      secret.name,
      secret.name.toLowerCase(),
      counts[0]!,
      counts[1]!,
      counts[2]!,
      counts[3]!,
      counts[4]!,
      secret.dependants.length,
      0,
      digest,
    ],
    dependantValues: secret.dependants,
  };
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
        others_count INTEGER, dependant_count INTEGER, dependants_truncated INTEGER, dependants_digest TEXT NOT NULL);
      CREATE TEMP TABLE IF NOT EXISTS staged_dependants (
        stage_id INTEGER NOT NULL, secret_id TEXT NOT NULL, kind TEXT, dependant_id TEXT, name TEXT, access TEXT,
        access_level TEXT, created_at_unix INTEGER, phone_number TEXT, provider TEXT, referenced_resource_ids TEXT);
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
  /** What the inventory holds now, to tell unchanged secrets from ones to write. */
  readonly #existing: Map<string, { rowId: number; name: string; digest: string; removed: boolean }>;
  readonly #unchanged: number[] = [];
  /** Ids already taken: a secret that moved while the list was paged can appear twice. */
  readonly #seen = new Set<string>();

  constructor(
    private readonly db: Database,
    private readonly workspaces: WorkspaceRepository,
    private readonly authConnections: AuthConnectionStore,
    private readonly workspaceId: string,
    private readonly stageId: number,
  ) {
    const rows = db
      .prepare(
        `SELECT secret_id, row_id, name, dependants_digest, removed_remotely_at IS NOT NULL AS removed
         FROM workspace_secrets WHERE workspace_id = ?`,
      )
      .raw()
      .all(workspaceId) as [string, number, string, string, number][];
    this.#existing = new Map(
      rows.map(([secretId, rowId, name, digest, removed]) => [secretId, { rowId, name, digest, removed: removed === 1 }]),
    );
  }

  /** Takes one page: a small transaction on the TEMP tables only. */
  add(records: SecretRecord[]): void {
    const stageSecret = this.db.prepare('INSERT INTO temp.staged_secrets VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const stageDependant = this.db.prepare('INSERT INTO temp.staged_dependants VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    this.db.transaction(() => {
      for (const record of records) {
        if (this.#seen.has(record.secretId)) continue;
        this.#seen.add(record.secretId);
        const previous = this.#existing.get(record.secretId);
        if (previous && previous.name === record.name && previous.digest === record.digest && !previous.removed) {
          this.#unchanged.push(previous.rowId);
          continue;
        }
        stageSecret.run(this.stageId, record.secretId, ...record.values);
        for (const dependant of record.dependantValues) stageDependant.run(this.stageId, record.secretId, ...dependant);
      }
    })();
  }

  discard(): void {
    const open = openStages.get(this.db);
    open?.delete(this.stageId);
    if (!open?.size) {
      // No other sync is staging: emptied whole, which SQLite does without visiting each row.
      this.db.exec('DELETE FROM temp.staged_secrets; DELETE FROM temp.staged_dependants;');
      return;
    }
    this.db.prepare('DELETE FROM temp.staged_secrets WHERE stage_id = ?').run(this.stageId);
    this.db.prepare('DELETE FROM temp.staged_dependants WHERE stage_id = ?').run(this.stageId);
  }

  /** The sync's one transaction on the inventory. */
  commit(outcome: SyncOutcome, at: number): SyncCounts {
    try {
      return this.db.transaction((): SyncCounts => {
        const workspace = this.workspaces.find(this.workspaceId);
        if (!workspace) throw new Error('workspace removed during sync');
        const generation = workspace.syncGeneration + 1;
        const changes = this.#merge({ workspaceId: this.workspaceId, stageId: this.stageId, at, generation });
        if (outcome.authConnections) this.authConnections.replaceAll(this.workspaceId, outcome.authConnections, generation, at);
        for (const write of outcome.alsoWrite ?? []) write({ generation, at });
        const counts = {
          ...countInventory(this.db, this.workspaceId),
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
      this.discard();
    }
  }

  /** Merges the staged rows; returns how many secrets are new and how many were found gone. */
  #merge(params: { workspaceId: string; stageId: number; at: number; generation: number }): SyncCounts['changes'] {
    const added = (
      this.db
        .prepare(
          `SELECT count(*) AS n FROM temp.staged_secrets AS st
           WHERE st.stage_id = @stageId AND NOT EXISTS (
             SELECT 1 FROM workspace_secrets AS s WHERE s.workspace_id = @workspaceId AND s.secret_id = st.secret_id)`,
        )
        .get(params) as { n: number }
    ).n;
    // Old dependants of secrets whose dependants changed go first, while the stored digests are old.
    this.db
      .prepare(
        `DELETE FROM secret_dependants WHERE secret_row_id IN (
           SELECT s.row_id FROM temp.staged_secrets AS st
           CROSS JOIN workspace_secrets AS s ON s.workspace_id = @workspaceId AND s.secret_id = st.secret_id
           WHERE st.stage_id = @stageId AND s.dependants_digest <> st.dependants_digest)`,
      )
      .run(params);
    this.db
      .prepare(
        `INSERT INTO workspace_secrets (workspace_id, secret_id, name, name_folded, agents_count, tools_count,
           phone_numbers_count, mcp_servers_count, others_count, dependant_count, dependants_truncated, dependants_digest,
           first_seen_at, last_seen_at, seen_generation)
         SELECT @workspaceId, secret_id, name, name_folded, agents_count, tools_count, phone_numbers_count,
           mcp_servers_count, others_count, dependant_count, dependants_truncated, dependants_digest, @at, @at, @generation
         FROM temp.staged_secrets WHERE stage_id = @stageId
         ON CONFLICT (workspace_id, secret_id) DO UPDATE SET name = excluded.name, name_folded = excluded.name_folded,
           agents_count = excluded.agents_count, tools_count = excluded.tools_count,
           phone_numbers_count = excluded.phone_numbers_count, mcp_servers_count = excluded.mcp_servers_count,
           others_count = excluded.others_count, dependant_count = excluded.dependant_count,
           dependants_truncated = excluded.dependants_truncated, dependants_digest = excluded.dependants_digest,
           last_seen_at = excluded.last_seen_at, seen_generation = excluded.seen_generation, removed_remotely_at = NULL`,
      )
      .run(params);
    // A renamed secret keeps its dependants: OR IGNORE turns those rows into lookups.
    this.db
      .prepare(
        `INSERT OR IGNORE INTO secret_dependants (secret_row_id, workspace_id, kind, dependant_id, name, access,
           access_level, created_at_unix, phone_number, provider, referenced_resource_ids)
         SELECT s.row_id, @workspaceId, d.kind, d.dependant_id, d.name, d.access, d.access_level, d.created_at_unix,
           d.phone_number, d.provider, d.referenced_resource_ids
         FROM temp.staged_dependants AS d
         -- CROSS JOIN keeps the staged rows as the outer loop: one index lookup each.
         CROSS JOIN workspace_secrets AS s ON s.workspace_id = @workspaceId AND s.secret_id = d.secret_id
         WHERE d.stage_id = @stageId`,
      )
      .run(params);
    this.db
      .prepare('UPDATE workspace_secrets SET last_seen_at = ?, seen_generation = ? WHERE row_id IN (SELECT value FROM json_each(?))')
      .run(params.at, params.generation, JSON.stringify(this.#unchanged));
    const removed = this.db
      .prepare(
        `UPDATE workspace_secrets SET removed_remotely_at = @at
         WHERE workspace_id = @workspaceId AND seen_generation < @generation AND removed_remotely_at IS NULL`,
      )
      .run(params).changes;
    return { added, removed };
  }
}

function countInventory(db: Database, workspaceId: string): Pick<SyncCounts, 'secretCount' | 'removedSecretCount'> {
  const secrets = db
    .prepare(
      `SELECT count(*) AS total, coalesce(sum(removed_remotely_at IS NOT NULL), 0) AS removed
       FROM workspace_secrets WHERE workspace_id = ?`,
    )
    .get(workspaceId) as { total: number; removed: number };
  return { secretCount: secrets.total - secrets.removed, removedSecretCount: secrets.removed };
}
