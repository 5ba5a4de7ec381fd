import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {
  BackupCounts,
  BackupFacts,
  BackupKey,
  BackupProgress,
  BackupReceipt,
  BackupWarning,
  LastVerifiedBackup,
  OpenKey,
  RestoreItem,
  RestorePlan,
  RestoreResult,
} from '../../shared/schemas/backup';
import type { ActivityLog } from '../activity/activity-log';
import { mapConcurrently } from '../concurrency/map-concurrently';
import { openSnapshot, migrate, schemaVersion, type Database } from '../db/database';
import { migrations } from '../db/migrations';
import { AppError } from '../errors';
import type { Fingerprinter } from '../local-secrets/fingerprints';
import type { Logger } from '../logging/logger';
import type { Redactor } from '../logging/redactor';
import type { Clock } from '../ports/clock';
import { isCredentialKind, kindOfRef, type CredentialKind, type CredentialOwners } from '../vault/credential-kinds';
import type { CredentialStore } from '../vault/credential-store';
import {
  damaged,
  decryptAge,
  encryptAge,
  MIN_TEST_WORK_FACTOR,
  SCRYPT_WORK_FACTOR,
  MAX_READ_WORK_FACTOR,
  type EncryptKey,
} from './age-file';
import { FORMAT_NAME, FORMAT_VERSION, parsePayload, READER_VERSION, sha256, type BackupPayload } from './format';
import { allRows, findRow, insertRow, refsIn, restorableTables, tableShapes, updateRow, type Row, type TableShape } from './records';
import { restoreAdapters, whatIs, type AdaptContext } from './restore-adapters';

/** Kinds left out unless the user opts in: providers that detect refresh-token reuse revoke the whole family. */
const OPT_IN_KINDS: readonly CredentialKind[] = ['oauth-refresh-token'];
/** Kinds that belong to one computer: backed up (so the file is complete) but never restored over another's. */
const PER_INSTALL_KINDS: readonly CredentialKind[] = ['fingerprint-key'];
const LAST_VERIFIED_KEY = 'last_verified_backup';
/** A plan waits this long for its confirmation, in memory only; then its decrypted contents are dropped. */
const PLAN_TTL_MS = 15 * 60 * 1000;
/** Keychain reads overlap well (a backup reads every entry); writes do not (GNOME Keyring rewrites its file per write), so they go one at a time. */
const KEYCHAIN_READ_CONCURRENCY = 8;

export type ProgressListener = (progress: BackupProgress) => void;

export interface BackupServiceDeps {
  db: Database;
  credentials: CredentialStore;
  owners: CredentialOwners;
  fingerprints: Fingerprinter;
  activity: ActivityLog;
  redactor: Redactor;
  log: Logger;
  clock: Clock;
  appVersion: string;
  /** Where safety backups go (before a replace). */
  dataDir: string;
  nativeBinding?: string;
  hostname?: () => string;
  /**
   * Tests only: a scrypt work factor below the product's 2^18, so a test does not spend a second
   * per file. The reader still warns about it (weak_work_factor); the app never sets it.
   */
  testOnlyScryptWorkFactor?: number;
}

/** What a restore wrote, for those that must follow up (re-check keys, schedule refreshes). */
export interface RestoredRecords {
  workspaceIds: string[];
  linkedAccountIds: string[];
}

interface OpenedBackup {
  file: string;
  payload: BackupPayload;
  snapshot: Database;
  values: Map<string, string>;
  facts: BackupFacts;
  key: OpenKey;
}

interface PlannedRow {
  table: TableShape;
  /** skip: a record that only comes with its parent (a target), whose parent is not being added. */
  action: 'add' | 'present' | 'skip' | 'unchanged' | 'conflict';
  /** The backup's record, its references already pointing at this computer's records. */
  row: Row;
  local: Row | undefined;
  differing: string[];
}

interface StoredPlan {
  opened: OpenedBackup;
  plan: RestorePlan;
  timer: NodeJS.Timeout;
}

/**
 * Backup and restore (issue 13). A backup is every credential the app owns (found through the
 * schema and confirmed by the owner registry) and a snapshot of the database, as JSON encrypted
 * with age in memory, written beside its target and renamed into place, then read back and
 * checked. A restore decrypts and checks the whole file, shows a plan, and writes only after it
 * is confirmed: keychain first (each value read back), then one transaction.
 */
export class BackupService {
  readonly #plans = new Map<string, StoredPlan>();
  readonly #restoredListeners: ((restored: RestoredRecords) => void | Promise<void>)[] = [];

  constructor(private readonly deps: BackupServiceDeps) {
    const factor = deps.testOnlyScryptWorkFactor;
    if (factor !== undefined && (!Number.isInteger(factor) || factor < MIN_TEST_WORK_FACTOR || factor > MAX_READ_WORK_FACTOR)) {
      throw new RangeError(`the test-only work factor must be between ${MIN_TEST_WORK_FACTOR} and ${MAX_READ_WORK_FACTOR}`);
    }
  }

  /** Called after every restore that wrote something: the composition root re-checks workspace keys here. */
  onRestored(listener: (restored: RestoredRecords) => void | Promise<void>): void {
    this.#restoredListeners.push(listener);
  }

  async backup(
    key: BackupKey,
    options: { file: string; includeRefreshTokens: boolean },
    progress: ProgressListener = () => {},
  ): Promise<BackupReceipt> {
    const report = (phase: BackupProgress['phase'], done: number | null = null, total: number | null = null) =>
      progress({ operation: 'backup', phase, done, total });
    const target = path.resolve(options.file);
    this.#teach(key);
    try {
      const { plaintext, payload } = await this.#buildPayload(options.includeRefreshTokens, report);
      const encryptKey: EncryptKey =
        'passphrase' in key ? { passphrase: key.passphrase, workFactor: this.#workFactor() } : { recipient: key.recipient };
      report('deriving_key');
      const encrypted = await encryptAge(plaintext, encryptKey);
      report('writing');
      writeAtomically(target, encrypted);
      report('verifying');
      const openKey: OpenKey | null = 'passphrase' in key ? { passphrase: key.passphrase } : null;
      // Read back what is now on disk and compare: with the passphrase, a full decryption; with a
      // recovery key (whose private half the app never keeps), the bytes themselves.
      const written = fs.readFileSync(target);
      if (openKey) {
        const { plaintext: readBack } = await decryptAge(written, openKey);
        const same = Buffer.from(readBack).equals(plaintext);
        readBack.fill(0);
        if (!same) throw damaged('it read back differently from what was written');
      } else if (!written.equals(Buffer.from(encrypted))) {
        throw damaged('it read back differently from what was written');
      }
      plaintext.fill(0);
      const verifiedAt = this.deps.clock.now();
      const facts = this.#factsOf(
        target,
        payload,
        'passphrase' in key ? 'passphrase' : 'recovery_key',
        'passphrase' in key ? this.#workFactor() : null,
      );
      this.#recordVerified(facts, verifiedAt);
      this.deps.activity.record({ subject: path.basename(target), action: 'backup', detail: describeCounts(payload.counts) });
      return { ...facts, bytes: written.length, verifiedAt };
    } catch (error) {
      this.deps.activity.record({ subject: path.basename(target), action: 'backup', result: 'failed', detail: codeOf(error) });
      throw error;
    }
  }

  /** Opens a backup file and checks all of it, as a restore would, without writing anything but the record of it. */
  async verify(file: string, key: OpenKey, progress: ProgressListener = () => {}): Promise<BackupFacts & { verifiedAt: number }> {
    try {
      const opened = await this.#open(file, key, (phase) => progress({ operation: 'verify', phase, done: null, total: null }));
      opened.snapshot.close();
      const verifiedAt = this.deps.clock.now();
      this.#recordVerified(opened.facts, verifiedAt);
      this.deps.activity.record({ subject: path.basename(file), action: 'backup_verify', detail: describeCounts(opened.payload.counts) });
      return { ...opened.facts, verifiedAt };
    } catch (error) {
      this.deps.activity.record({ subject: path.basename(file), action: 'backup_verify', result: 'failed', detail: codeOf(error) });
      throw error;
    }
  }

  /** Decrypts and checks the whole file, then plans the restore against what is here. Writes nothing. */
  async readAndPlan(file: string, key: OpenKey, progress: ProgressListener = () => {}): Promise<RestorePlan> {
    const report = (phase: BackupProgress['phase']) => progress({ operation: 'restore', phase, done: null, total: null });
    const opened = await this.#open(file, key, report);
    try {
      report('planning');
      const rows = await this.#planRows(opened);
      const id = randomUUID();
      const plan: RestorePlan = {
        ...opened.facts,
        id,
        items: itemsOf(rows, opened, this.deps.db),
        actions: { add: 0, unchanged: 0, conflict: 0, only_here: 0 },
      };
      for (const item of plan.items) plan.actions[item.action] += 1;
      const timer = setTimeout(() => this.#dropPlan(id), PLAN_TTL_MS);
      timer.unref();
      this.#plans.set(id, { opened, plan, timer });
      return plan;
    } catch (error) {
      opened.snapshot.close();
      throw error;
    }
  }

  /**
   * Applies a plan: merge adds what is missing and keeps every conflict as it is here; replace
   * (confirmed) gives conflicts the backup's values, after a safety backup of this computer's
   * state. Nothing only here is deleted. Every keychain write is read back before the one
   * transaction that makes records point at them; a crash in between is rolled back at the next
   * start by the credential journal (the new entries have no owner and are removed).
   */
  async applyRestore(
    planId: string,
    mode: 'merge' | 'replace',
    confirmations: { confirmReplace: boolean },
    progress: ProgressListener = () => {},
  ): Promise<RestoreResult> {
    const stored = this.#plans.get(planId);
    if (!stored) {
      throw new AppError('not_found', 'This restore plan is no longer open (plans are kept for 15 minutes). Open the backup again.');
    }
    if (mode === 'replace' && !confirmations.confirmReplace) {
      throw new AppError(
        'invalid_request',
        'Replacing needs the confirmation: conflicting values here would be overwritten by the backup’s.',
        {
          field: 'confirmReplace',
        },
      );
    }
    const report = (phase: BackupProgress['phase'], done: number | null = null, total: number | null = null) =>
      progress({ operation: 'restore', phase, done, total });
    const { opened } = stored;
    const subject = path.basename(opened.file);
    try {
      // What is here may have changed since the plan was shown: the plan must still be the truth.
      const rows = await this.#planRows(opened);
      if (signature(itemsOf(rows, opened, this.deps.db)) !== signature(stored.plan.items)) {
        throw new AppError(
          'conflict',
          'What is on this computer changed since the restore plan was shown. Review the new plan. Nothing was changed.',
        );
      }
      let safetyBackup: string | null = null;
      const replacing = mode === 'replace' ? rows.filter((r) => r.action === 'conflict') : [];
      if (replacing.length > 0) {
        report('safety_backup');
        safetyBackup = path.join(this.deps.dataDir, 'backups', `safety-before-restore-${fileStamp(this.deps.clock.now())}.age`);
        await this.backup(await safetyKey(opened.key), { file: safetyBackup, includeRefreshTokens: true });
      }
      const onlyHere = stored.plan.actions.only_here;
      const result = { ...(await this.#write(opened, rows, replacing, report)), onlyHere };
      this.deps.activity.record({
        subject,
        action: 'backup_restore',
        detail:
          `${result.added} added, ${result.replaced} replaced, ${result.unchanged} unchanged, ${result.conflictsKept} conflicts kept, ` +
          `${result.onlyHere} only here; ${result.credentialsWritten} credentials written` +
          (result.needsReconnect === 1
            ? '; 1 linked account needs reconnecting'
            : result.needsReconnect > 1
              ? `; ${result.needsReconnect} linked accounts need reconnecting`
              : ''),
      });
      this.#dropPlan(planId);
      return { ...result, safetyBackup };
    } catch (error) {
      this.deps.activity.record({ subject, action: 'backup_restore', result: 'failed', detail: codeOf(error) });
      throw error;
    }
  }

  /** The newest backup known to open (checked right after writing, or by Verify). */
  lastVerifiedBackup(): LastVerifiedBackup {
    const row = this.deps.db.prepare('SELECT value FROM settings WHERE key = ?').get(LAST_VERIFIED_KEY) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as NonNullable<LastVerifiedBackup>) : null;
  }

  /** Local secrets (of those given, or all) whose value changed after the last verified backup was made. */
  needsBackup(localSecretIds: string[] | null = null): string[] {
    const since = this.lastVerifiedBackup()?.createdAt ?? -1;
    return (
      this.deps.db
        .prepare(
          `SELECT id FROM local_secrets WHERE value_changed_at > ? AND (? IS NULL OR id IN (SELECT value FROM json_each(?))) ORDER BY name`,
        )
        .all(since, localSecretIds === null ? null : 1, JSON.stringify(localSecretIds ?? [])) as { id: string }[]
    ).map((r) => r.id);
  }

  /** Drops every open plan (at close). */
  close(): void {
    for (const id of [...this.#plans.keys()]) this.#dropPlan(id);
  }

  #workFactor(): number {
    return this.deps.testOnlyScryptWorkFactor ?? SCRYPT_WORK_FACTOR;
  }

  async #buildPayload(
    includeRefreshTokens: boolean,
    report: (phase: BackupProgress['phase'], done?: number | null, total?: number | null) => void,
  ): Promise<{ plaintext: Buffer; payload: BackupPayload }> {
    const { db } = this.deps;
    // Both synchronous, so no write comes between them: the refs are exactly the snapshot's.
    const snapshotBytes = db.serialize();
    const shapes = tableShapes(db);
    const found = refsIn(db, shapes);
    const refs = new Map<string, CredentialKind>();
    const leftOut: Record<string, number> = {};
    for (const { ref, kind } of found) {
      if (refs.has(ref) || this.deps.owners.isOwned(ref) !== true) continue;
      if (OPT_IN_KINDS.includes(kind) && !includeRefreshTokens) {
        leftOut[kind] = (leftOut[kind] ?? 0) + 1;
        continue;
      }
      refs.set(ref, kind);
    }
    const entries = [...refs];
    let done = 0;
    report('reading_keychain', 0, entries.length);
    const credentials = await mapConcurrently(entries, KEYCHAIN_READ_CONCURRENCY, async ([ref, kind]) => {
      const value = await this.deps.credentials.read(ref);
      report('reading_keychain', ++done, entries.length);
      return { ref, kind, value };
    });
    const byKind: Record<string, number> = {};
    for (const { kind } of credentials) byKind[kind] = (byKind[kind] ?? 0) + 1;
    const records: Record<string, number> = {};
    for (const shape of restorableTables(shapes)) {
      if (shape.refColumns.length > 0)
        records[shape.name] = (db.prepare(`SELECT count(*) AS n FROM "${shape.name}"`).get() as { n: number }).n;
    }
    const payload: BackupPayload = {
      format: FORMAT_NAME,
      formatVersion: FORMAT_VERSION,
      minReaderVersion: READER_VERSION,
      appVersion: this.deps.appVersion,
      schemaVersion: schemaVersion(db),
      createdAt: new Date(this.deps.clock.now()).toISOString(),
      createdOn: { hostname: this.#hostname(), platform: process.platform },
      options: { refreshTokens: includeRefreshTokens },
      counts: { credentials: credentials.length, byKind, leftOut, records },
      credentials,
      database: { encoding: 'base64', bytes: snapshotBytes.length, sha256: sha256(snapshotBytes), data: snapshotBytes.toString('base64') },
    };
    return { plaintext: Buffer.from(JSON.stringify(payload), 'utf8'), payload };
  }

  /** Decrypts, parses and checks everything a restore relies on. Throws the error a person can act on. */
  async #open(file: string, key: OpenKey, report: (phase: BackupProgress['phase']) => void): Promise<OpenedBackup> {
    this.#teach(key);
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
    } catch (error) {
      throw new AppError(
        'not_found',
        `Could not read the backup file ${path.basename(file)}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}.`,
      );
    }
    report('decrypting');
    const { plaintext, header } = await decryptAge(bytes, key, () => report('deriving_key'));
    report('validating');
    const { payload, database } = parsePayload(plaintext);
    plaintext.fill(0);
    // Every value from the file is a secret from now on: nothing may echo it.
    for (const credential of payload.credentials) this.deps.redactor.add(credential.value);
    const latest = migrations.at(-1)?.version ?? 0;
    if (payload.schemaVersion > latest) {
      throw new AppError(
        'backup_too_new',
        `This backup's database was written by a newer version of Agent Keyring (schema ${payload.schemaVersion}; this version knows up to ${latest}). Update Agent Keyring, then restore it. Nothing was changed.`,
      );
    }
    const snapshot = this.#openSnapshot(database, payload.schemaVersion);
    try {
      const values = this.#checkReferences(payload, snapshot);
      const warnings: BackupWarning[] = header.workFactor !== null && header.workFactor < SCRYPT_WORK_FACTOR ? ['weak_work_factor'] : [];
      if (warnings.length > 0) this.deps.log.warn('backup opened with a low work factor', { workFactor: header.workFactor });
      const facts: BackupFacts = {
        ...this.#factsOf(file, payload, header.mode === 'passphrase' ? 'passphrase' : 'recovery_key', header.workFactor),
        warnings,
      };
      return { file, payload, snapshot, values, facts, key };
    } catch (error) {
      snapshot.close();
      throw error;
    }
  }

  #openSnapshot(database: Buffer, version: number): Database {
    let snapshot: Database;
    try {
      snapshot = openSnapshot(database, this.deps.nativeBinding);
    } catch {
      throw damaged('its database snapshot does not open');
    }
    try {
      const integrity = snapshot.pragma('integrity_check') as { integrity_check: string }[];
      if (integrity.length !== 1 || integrity[0]!.integrity_check !== 'ok')
        throw damaged('its database snapshot fails its integrity check');
      if ((snapshot.pragma('foreign_key_check') as unknown[]).length > 0)
        throw damaged('its database snapshot has records pointing at nothing');
      if (schemaVersion(snapshot) !== version) throw damaged('its database snapshot is not the schema it says');
      // An older snapshot is brought up to this version's schema, in memory.
      migrate(snapshot, migrations);
      return snapshot;
    } catch (error) {
      snapshot.close();
      if (error instanceof AppError) throw error;
      throw damaged('its database snapshot is not readable');
    }
  }

  /** Every ref the snapshot points at is in the file (or left out on purpose), and every credential is pointed at. */
  #checkReferences(payload: BackupPayload, snapshot: Database): Map<string, string> {
    const values = new Map<string, string>();
    for (const credential of payload.credentials) {
      if (!isCredentialKind(credential.kind)) {
        throw new AppError(
          'backup_too_new',
          `This backup holds a kind of credential this version of Agent Keyring does not know (${credential.kind}). Update Agent Keyring, then restore it. Nothing was changed.`,
        );
      }
      if (kindOfRef(credential.ref) !== credential.kind) throw damaged('a credential is not of the kind it says');
      values.set(credential.ref, credential.value);
    }
    const pointedAt = new Set<string>();
    for (const { ref, kind } of refsIn(snapshot, tableShapes(snapshot))) {
      pointedAt.add(ref);
      if (values.has(ref)) continue;
      if (OPT_IN_KINDS.includes(kind) && !payload.options.refreshTokens) continue;
      throw damaged('a record in it points at a credential the file does not hold');
    }
    for (const ref of values.keys()) if (!pointedAt.has(ref)) throw damaged('it holds a credential no record points at');
    return values;
  }

  #factsOf(file: string, payload: BackupPayload, mode: BackupFacts['mode'], workFactor: number | null): BackupFacts {
    return {
      file,
      createdAt: Date.parse(payload.createdAt),
      hostname: payload.createdOn.hostname,
      appVersion: payload.appVersion,
      formatVersion: payload.formatVersion,
      schemaVersion: payload.schemaVersion,
      mode,
      workFactor,
      includesRefreshTokens: payload.options.refreshTokens,
      counts: payload.counts,
      warnings: workFactor !== null && workFactor < SCRYPT_WORK_FACTOR ? ['weak_work_factor'] : [],
    };
  }

  /** Matches each restorable record of the backup with what is here, parents first. Reads, never writes. */
  async #planRows(opened: OpenedBackup): Promise<PlannedRow[]> {
    const { db } = this.deps;
    const { snapshot, values } = opened;
    const localShapes = tableShapes(db);
    const compareKey = randomBytes(32);
    const keyed = (value: string) => createHmac('sha256', compareKey).update(value, 'utf8').digest('hex');
    /** Backup id → this computer's id, per table, for records that match under another id. */
    const idMaps = new Map<string, Map<string, unknown>>();
    /** What the plan does with each record of a table holding credentials, by this computer's id. */
    const actions = new Map<string, Map<string, PlannedRow['action']>>();
    const planned: PlannedRow[] = [];
    for (const shape of restorableTables(tableShapes(snapshot))) {
      const local = localShapes.get(shape.name);
      if (!local)
        throw new AppError('backup_too_new', `This backup holds ${shape.name}, which this version does not know. Nothing was changed.`);
      const idMap = new Map<string, unknown>();
      idMaps.set(shape.name, idMap);
      for (const original of allRows(snapshot, shape.name)) {
        const row = { ...original };
        for (const fk of shape.foreignKeys) {
          const mapped = idMaps.get(fk.table)?.get(String(row[fk.from]));
          if (mapped !== undefined && row[fk.from] !== null) row[fk.from] = mapped;
        }
        const byKey = findRow(
          db,
          shape.name,
          shape.primaryKey,
          shape.primaryKey.map((c) => row[c]),
        );
        const match =
          byKey ??
          shape.uniques
            .map((u) =>
              findRow(
                db,
                shape.name,
                u,
                u.map((c) => row[c]),
              ),
            )
            .find((r) => r !== undefined);
        if (match && shape.primaryKey.length === 1) idMap.set(String(original[shape.primaryKey[0]!]), match[shape.primaryKey[0]!]);
        const note = (action: PlannedRow['action']) => {
          if (shape.refColumns.length === 0 || shape.primaryKey.length !== 1) return;
          const byId = actions.get(shape.name) ?? new Map<string, PlannedRow['action']>();
          byId.set(String((match ?? row)[shape.primaryKey[0]!]), action);
          actions.set(shape.name, byId);
        };
        if (!match) {
          // A record without credentials of its own (a target) comes only with a parent that is added:
          // a secret kept as it is here does not gain the backup's targets.
          const keptParent =
            shape.refColumns.length === 0 &&
            shape.foreignKeys.some((fk) => ['unchanged', 'conflict'].includes(actions.get(fk.table)?.get(String(row[fk.from])) ?? ''));
          planned.push({ table: shape, action: keptParent ? 'skip' : 'add', row, local: undefined, differing: [] });
          note('add');
          continue;
        }
        if (shape.refColumns.length === 0) {
          planned.push({ table: shape, action: 'present', row, local: match, differing: [] });
          continue;
        }
        const differing: string[] = [];
        for (const column of shape.refColumns) {
          const value = values.get(String(row[column]));
          if (row[column] === null || value === undefined) continue;
          const here = await this.#valueHere(match[column]);
          if (here === undefined || keyed(here) !== keyed(value)) differing.push(column);
        }
        planned.push({ table: shape, action: differing.length > 0 ? 'conflict' : 'unchanged', row, local: match, differing });
        note(differing.length > 0 ? 'conflict' : 'unchanged');
      }
    }
    return planned;
  }

  async #valueHere(ref: unknown): Promise<string | undefined> {
    if (typeof ref !== 'string') return undefined;
    try {
      return await this.deps.credentials.read(ref);
    } catch (error) {
      if (error instanceof AppError && error.code === 'key_missing') return undefined;
      throw error;
    }
  }

  async #write(
    opened: OpenedBackup,
    rows: PlannedRow[],
    replacing: PlannedRow[],
    report: (phase: BackupProgress['phase'], done?: number | null, total?: number | null) => void,
  ): Promise<Omit<RestoreResult, 'safetyBackup' | 'onlyHere'>> {
    const { db, credentials } = this.deps;
    const { values, payload } = opened;
    const leftOut = (ref: unknown) =>
      typeof ref === 'string' &&
      !values.has(ref) &&
      OPT_IN_KINDS.includes(kindOfRef(ref) as CredentialKind) &&
      !payload.options.refreshTokens;
    const adding = rows.filter((r) => r.action === 'add');
    // Which backup refs get a new keychain entry here: those of added records, and the differing ones of replaced conflicts.
    const toStore: string[] = [];
    for (const planned of adding) {
      for (const column of planned.table.refColumns) if (values.has(String(planned.row[column]))) toStore.push(String(planned.row[column]));
    }
    for (const planned of replacing) for (const column of planned.differing) toStore.push(String(planned.row[column]));
    const unique = [...new Set(toStore)].filter((ref) => !PER_INSTALL_KINDS.includes(kindOfRef(ref) as CredentialKind));
    const newRefs = new Map<string, string>();
    let positions = (db.prepare('SELECT coalesce(max(position), -1) AS p FROM workspaces').get() as { p: number }).p;
    const context: AdaptContext = {
      db,
      fingerprint: (value) => this.deps.fingerprints.of(value),
      valueOf: (ref) => (typeof ref === 'string' ? values.get(ref) : undefined),
      fingerprintMap: new Map(),
      leftOut,
      nextPosition: () => ++positions,
    };
    // Adapted before anything is written (fingerprints may need this computer's key made first).
    const adapted = new Map<PlannedRow, Row>();
    for (const planned of [...adding, ...replacing]) {
      const adapter = restoreAdapters[planned.table.name]?.adapt;
      adapted.set(planned, adapter ? await adapter(planned.row, context) : planned.row);
    }
    let done = 0;
    report('writing_keychain', 0, unique.length);
    try {
      for (const ref of unique) {
        const value = values.get(ref)!;
        const newRef = await credentials.store(kindOfRef(ref)!, value);
        newRefs.set(ref, newRef);
        await credentials.verifyStored(newRef, value);
        report('writing_keychain', ++done, unique.length);
      }
      report('committing');
      const discarded: string[] = [];
      db.transaction(() => {
        for (const planned of adding) {
          const row = { ...adapted.get(planned)! };
          for (const column of planned.table.refColumns) {
            const ref = row[column];
            if (ref === null || ref === undefined) continue;
            row[column] = newRefs.get(String(ref)) ?? null;
          }
          insertRow(db, planned.table.name, row, planned.table.columns);
        }
        for (const planned of replacing) {
          const row = adapted.get(planned)!;
          const changes: Row = {};
          for (const column of planned.differing) {
            changes[column] = newRefs.get(String(planned.row[column]))!;
            if (typeof planned.local?.[column] === 'string') discarded.push(planned.local[column]);
          }
          for (const column of restoreAdapters[planned.table.name]?.alsoOnReplace ?? []) changes[column] = row[column];
          const key = planned.table.primaryKey;
          updateRow(
            db,
            planned.table.name,
            key,
            key.map((c) => planned.local![c]),
            changes,
          );
        }
        for (const ref of newRefs.values()) credentials.settle(ref);
        for (const ref of discarded) credentials.markForDiscard(ref);
      })();
      await credentials.flushDiscards(discarded);
    } catch (error) {
      // Nothing points at what was stored: remove it now (or the journal does at the next start).
      for (const ref of newRefs.values()) await credentials.discard(ref).catch(() => undefined);
      throw error;
    }
    const touched = [...adding, ...replacing];
    const restored: RestoredRecords = {
      workspaceIds: touched.filter((r) => r.table.name === 'workspaces').map((r) => String((r.local ?? r.row)['id'])),
      linkedAccountIds: touched.filter((r) => r.table.name === 'linked_accounts').map((r) => String((r.local ?? r.row)['id'])),
    };
    if (newRefs.size > 0) {
      for (const listener of this.#restoredListeners) {
        await Promise.resolve(listener(restored)).catch((error: unknown) =>
          this.deps.log.warn('after-restore follow-up failed', { reason: codeOf(error) }),
        );
      }
    }
    const items = rows.filter((r) => r.table.refColumns.length > 0);
    return {
      added: adding.filter((r) => r.table.refColumns.length > 0).length,
      replaced: replacing.length,
      unchanged: items.filter((r) => r.action === 'unchanged').length,
      conflictsKept: items.filter((r) => r.action === 'conflict').length - replacing.length,
      credentialsWritten: newRefs.size,
      needsReconnect: adding.filter((r) => r.table.name === 'linked_accounts' && leftOut(r.row['refresh_token_ref'])).length,
    };
  }

  #recordVerified(facts: BackupFacts, verifiedAt: number): void {
    const last = this.lastVerifiedBackup();
    if (last && last.createdAt > facts.createdAt) return;
    const record: NonNullable<LastVerifiedBackup> = { file: facts.file, createdAt: facts.createdAt, verifiedAt, counts: facts.counts };
    this.deps.db
      .prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
      .run(LAST_VERIFIED_KEY, JSON.stringify(record));
  }

  /** The passphrase or recovery key is a secret too: nothing may echo it. */
  #teach(key: BackupKey | OpenKey): void {
    if ('passphrase' in key) this.deps.redactor.add(key.passphrase);
    if ('identity' in key) this.deps.redactor.add(key.identity);
  }

  #hostname(): string {
    return this.deps.hostname?.() ?? os.hostname();
  }

  #dropPlan(id: string): void {
    const stored = this.#plans.get(id);
    if (!stored) return;
    clearTimeout(stored.timer);
    stored.opened.snapshot.close();
    stored.opened.values.clear();
    this.#plans.delete(id);
  }
}

/** The plan's items: each record holding credentials, in the backup or only here. */
function itemsOf(rows: PlannedRow[], opened: OpenedBackup, db: Database): RestoreItem[] {
  const items: RestoreItem[] = [];
  const matched = new Map<string, Set<string>>();
  for (const planned of rows) {
    const { table, row, action } = planned;
    if (table.refColumns.length === 0 || action === 'present' || action === 'skip') continue;
    if (planned.local) {
      const seen = matched.get(table.name) ?? new Set<string>();
      seen.add(keyOf(table, planned.local));
      matched.set(table.name, seen);
    }
    const adapter = restoreAdapters[table.name];
    items.push({
      what: whatIs(table.name),
      label: labelOf(db, opened.snapshot, table, row),
      action: action as RestoreItem['action'],
      credentials: table.refColumns.filter((c) => opened.values.has(String(row[c]))).length,
      differing: planned.differing.map((c) => c.replace(/_ref$/, '').replace(/_/g, ' ')),
      note:
        action === 'add'
          ? (adapter?.note?.(row, {
              leftOut: (ref) => typeof ref === 'string' && !opened.values.has(ref) && !opened.payload.options.refreshTokens,
            }) ?? null)
          : null,
    });
  }
  const tables = restorableTables(tableShapes(db)).filter((t) => t.refColumns.length > 0);
  for (const table of tables) {
    const seen = matched.get(table.name) ?? new Set<string>();
    for (const local of allRows(db, table.name)) {
      if (seen.has(keyOf(table, local))) continue;
      items.push({
        what: whatIs(table.name),
        label: labelOf(db, db, table, local),
        action: 'only_here',
        credentials: 0,
        differing: [],
        note: null,
      });
    }
  }
  return items;
}

function keyOf(table: TableShape, row: Row): string {
  return JSON.stringify(table.primaryKey.map((c) => row[c]));
}

/** A record's name as the user knows it: its name or label, else its parents' (a linked account: "me · Google"). */
function labelOf(db: Database, snapshot: Database, table: TableShape, row: Row): string {
  for (const column of ['name', 'label']) if (table.columns.includes(column) && typeof row[column] === 'string') return row[column];
  const parts = [...table.foreignKeys]
    .sort((a, b) => table.columns.indexOf(a.from) - table.columns.indexOf(b.from))
    .map((fk) => {
      const parent = findRow(db, fk.table, [fk.to], [row[fk.from]]) ?? findRow(snapshot, fk.table, [fk.to], [row[fk.from]]);
      return parent ? ((parent['label'] ?? parent['name']) as string | undefined) : undefined;
    })
    .filter((p): p is string => typeof p === 'string');
  return parts.length > 0 ? parts.join(' · ') : String(row[table.primaryKey[0] ?? 'id'] ?? table.name);
}

function signature(items: RestoreItem[]): string {
  return JSON.stringify(items.map((i) => [i.what, i.label, i.action, i.differing]).sort());
}

/** Writes beside the target (0600), flushes, renames into place and flushes the folder: never half a file. */
function writeAtomically(target: string, bytes: Uint8Array): void {
  const dir = path.dirname(target);
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new AppError(
      'storage_failed',
      `Could not create the folder for the backup: ${(error as NodeJS.ErrnoException).code ?? 'failed'}.`,
    );
  }
  const temp = path.join(dir, `.${path.basename(target)}.${randomUUID()}.tmp`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(temp, 'wx', 0o600);
    fs.writeSync(fd, bytes);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(temp, target);
    if (process.platform !== 'win32') {
      const dirFd = fs.openSync(dir, 'r');
      try {
        fs.fsyncSync(dirFd);
      } finally {
        fs.closeSync(dirFd);
      }
    }
  } catch (error) {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(temp, { force: true });
    throw new AppError(
      'storage_failed',
      `Could not write the backup to ${target}: ${(error as NodeJS.ErrnoException).code ?? 'failed'}. Nothing was left behind.`,
    );
  }
}

async function safetyKey(key: OpenKey): Promise<BackupKey> {
  if ('passphrase' in key) return { passphrase: key.passphrase };
  const { identityToRecipient } = await import('age-encryption');
  return { recipient: await identityToRecipient(key.identity) };
}

function fileStamp(at: number): string {
  return new Date(at).toISOString().replace(/[:.]/g, '-');
}

function describeCounts(counts: BackupCounts): string {
  const kinds = Object.entries(counts.byKind)
    .map(([kind, n]) => `${n} ${kind}`)
    .join(', ');
  const left = Object.entries(counts.leftOut)
    .map(([kind, n]) => `${n} ${kind}`)
    .join(', ');
  return `${counts.credentials} credentials${kinds ? ` (${kinds})` : ''}${left ? `; left out: ${left}` : ''}`;
}

function codeOf(error: unknown): string {
  return error instanceof AppError ? error.code : 'internal';
}
