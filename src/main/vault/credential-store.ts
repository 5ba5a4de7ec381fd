import { randomUUID } from 'node:crypto';
import type { Database } from '../db/database';
import { AppError } from '../errors';
import type { Logger } from '../logging/logger';
import { credentialKinds, kindOfRef, type CredentialKind, type CredentialOwners } from './credential-kinds';
import type { Keychain } from './keychain';

export type { CredentialKind } from './credential-kinds';

/**
 * Keychain entries owned by database rows. A keychain write and a database transaction cannot
 * commit together, so each keychain change is first written down as an intent; the database
 * side settles it in the same transaction that adds or removes the owning row. Intents still
 * pending at start-up (a crash in between) are replayed without reading any value.
 */
export class CredentialStore {
  /** Values read this session, so a sync of many workspaces does not ask the keychain again. */
  readonly #cache = new Map<string, string>();
  /** Intents this process wrote: reconcile (which runs beside requests at start) leaves them to their owner. */
  readonly #ownIntents = new Set<string>();

  constructor(
    private readonly db: Database,
    private readonly keychain: Keychain,
    /** Which rows own which entries, asked by reconcile. */
    private readonly owners: CredentialOwners,
    private readonly log: Logger,
    private readonly now: () => number,
  ) {}

  /**
   * Puts a value in the keychain under a new ref. The caller must then call `settle(ref)` inside
   * the transaction that stores the ref, or `discard(ref)` if that transaction fails.
   */
  async store(kind: CredentialKind, value: string): Promise<string> {
    const ref = `${kind}/${randomUUID()}`;
    // Committed (and, with synchronous=FULL, on disk) before the keychain is touched.
    this.db.prepare('INSERT INTO credential_intents (ref, action, created_at) VALUES (?, ?, ?)').run(ref, 'store', this.now());
    this.#ownIntents.add(ref);
    try {
      await this.keychain.set(ref, value);
    } catch (error) {
      this.db.prepare('DELETE FROM credential_intents WHERE ref = ?').run(ref);
      throw error;
    }
    this.#cache.set(ref, value);
    return ref;
  }

  /**
   * Reads `ref` back from the keychain itself (not this session's cache) and checks that it
   * holds `value`: for writes that must be known to hold before the database commits to them.
   */
  async verifyStored(ref: string, value: string): Promise<void> {
    if ((await this.keychain.get(ref)) !== value) {
      throw new AppError('keychain_failed', 'The system keychain did not keep a value as it was written (it read back differently).');
    }
  }

  /** Call inside the transaction that makes a row point at `ref`. */
  settle(ref: string): void {
    this.db.prepare('DELETE FROM credential_intents WHERE ref = ?').run(ref);
  }

  /**
   * Call inside the transaction that stops pointing at `ref`; then `await flushDiscards()`
   * after it commits.
   */
  markForDiscard(ref: string): void {
    this.#cache.delete(ref);
    this.db
      .prepare(
        `INSERT INTO credential_intents (ref, action, created_at) VALUES (?, 'discard', ?)
         ON CONFLICT(ref) DO UPDATE SET action = 'discard'`,
      )
      .run(ref, this.now());
  }

  /** Removes a stored value whose owning row was never written. */
  async discard(ref: string): Promise<void> {
    this.markForDiscard(ref);
    await this.flushDiscards([ref]);
  }

  /** Deletes the keychain entries marked for discard; ones that fail stay for the next start. */
  async flushDiscards(refs?: string[]): Promise<void> {
    const pending = refs ?? this.#pendingRefs('discard');
    for (const ref of pending) {
      try {
        await this.keychain.delete(ref);
        this.db.prepare("DELETE FROM credential_intents WHERE ref = ? AND action = 'discard'").run(ref);
      } catch (error) {
        this.log.warn('credential discard deferred', { ref, reason: (error as Error).message });
      }
    }
  }

  /** The value behind `ref`, read from the keychain on demand. */
  async read(ref: string): Promise<string> {
    const cached = this.#cache.get(ref);
    if (cached !== undefined) return cached;
    const value = await this.keychain.get(ref);
    if (value === null) {
      const kind = kindOfRef(ref);
      const words = kind ? credentialKinds[kind] : { what: 'A credential', remedy: '' };
      throw new AppError(
        'key_missing',
        `${words.what} is missing from the system keychain (it may have been deleted outside Agent Keyring). ${words.remedy}`.trim(),
      );
    }
    this.#cache.set(ref, value);
    return value;
  }

  /**
   * Replays intents left by a crash: a stored value nobody points at is deleted, one that is
   * pointed at is kept, and unfinished discards are finished. Never reads a value.
   */
  async reconcile(): Promise<{ deleted: number; kept: number }> {
    let deleted = 0;
    let kept = 0;
    for (const ref of this.#pendingRefs()) {
      if (this.#ownIntents.has(ref)) continue;
      const owned = this.owners.isOwned(ref);
      if (owned === undefined) {
        // A kind no feature owns (written by a newer version?): never delete what is not understood.
        this.log.warn('credential intent of an unknown kind left alone', { ref });
        continue;
      }
      if (owned) {
        this.settle(ref);
        kept += 1;
        continue;
      }
      this.markForDiscard(ref);
      await this.flushDiscards([ref]);
      deleted += 1;
    }
    if (deleted + kept > 0) this.log.info('credential journal reconciled', { deleted, kept });
    return { deleted, kept };
  }

  #pendingRefs(action?: 'store' | 'discard'): string[] {
    const rows = (
      action
        ? this.db.prepare('SELECT ref FROM credential_intents WHERE action = ? ORDER BY created_at').all(action)
        : this.db.prepare('SELECT ref FROM credential_intents ORDER BY created_at').all()
    ) as { ref: string }[];
    return rows.map((row) => row.ref);
  }
}
