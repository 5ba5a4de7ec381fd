import { createHmac, randomBytes } from 'node:crypto';
import type { Database } from '../db/database';
import { AppError } from '../errors';
import type { CredentialStore } from '../vault/credential-store';

const KEY_SETTING = 'fingerprint_key_ref';

/**
 * HMAC-SHA256 fingerprints of secret values under a random per-install key kept in the keychain.
 * SQLite stores fingerprints, so the app can tell whether a value changed since it was pushed,
 * or which secrets share a value, without reading any value; without the key, a fingerprint
 * says nothing about the value. The key is read (or made) the first time a value is fingerprinted.
 */
export class Fingerprinter {
  #key: Promise<Buffer> | undefined;

  constructor(
    private readonly db: Database,
    private readonly credentials: CredentialStore,
  ) {}

  /** Which settings row owns the key's keychain entry (for reconcile). */
  ownsRef(ref: string): boolean {
    return this.#keyRef() === ref;
  }

  async of(value: string): Promise<string> {
    const key = await (this.#key ??= this.#loadKey().catch((error: unknown) => {
      this.#key = undefined;
      throw error;
    }));
    return createHmac('sha256', key).update(value, 'utf8').digest('hex');
  }

  async #loadKey(): Promise<Buffer> {
    const ref = this.#keyRef();
    if (ref) {
      try {
        return Buffer.from(await this.credentials.read(ref), 'base64');
      } catch (error) {
        // Deleted behind the app's back: a new key makes every stored fingerprint look changed,
        // which only means values are pushed again. Any other keychain failure is the user's to fix.
        if (!(error instanceof AppError) || error.code !== 'key_missing') throw error;
      }
    }
    const key = randomBytes(32);
    const newRef = await this.credentials.store('fingerprint-key', key.toString('base64'));
    this.db.transaction(() => {
      this.db
        .prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
        .run(KEY_SETTING, newRef);
      this.credentials.settle(newRef);
      if (ref) this.credentials.markForDiscard(ref);
    })();
    if (ref) await this.credentials.flushDiscards([ref]);
    return key;
  }

  #keyRef(): string | undefined {
    return (this.db.prepare('SELECT value FROM settings WHERE key = ?').get(KEY_SETTING) as { value: string } | undefined)?.value;
  }
}
