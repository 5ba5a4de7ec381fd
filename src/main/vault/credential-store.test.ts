import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/database';
import { silentLogger } from '../logging/logger';
import { removeTempDirs, tempDir } from '../../../test/support/harness';
import { CredentialOwners } from './credential-kinds';
import { CredentialStore } from './credential-store';
import type { Keychain } from './keychain';

afterAll(removeTempDirs);

/** In-memory keychain for the journal's logic; the real keychain is exercised in keytar-keychain.test.ts. */
function memoryKeychain() {
  const entries = new Map<string, string>();
  const reads: string[] = [];
  let failWrites: Error | null = null;
  const keychain: Keychain = {
    description: 'memory',
    async get(ref) {
      reads.push(ref);
      return entries.get(ref) ?? null;
    },
    async set(ref, value) {
      if (failWrites) throw failWrites;
      entries.set(ref, value);
    },
    async delete(ref) {
      if (failWrites) throw failWrites;
      return entries.delete(ref);
    },
  };
  return { keychain, entries, reads, failWith: (error: Error | null) => (failWrites = error) };
}

function setup() {
  const db = openDatabase({ file: path.join(tempDir(), 'c.sqlite') });
  db.exec('CREATE TABLE owners (ref TEXT)');
  const memory = memoryKeychain();
  const owners = new CredentialOwners();
  owners.register('workspace-api-key', (ref) => db.prepare('SELECT 1 FROM owners WHERE ref = ?').get(ref) !== undefined);
  const store = new CredentialStore(db, memory.keychain, owners, silentLogger, () => 1);
  /** The next start of the app: a new store over the same database and keychain. */
  const restart = () => new CredentialStore(db, memory.keychain, owners, silentLogger, () => 1);
  return { db, store, restart, ...memory };
}

describe('CredentialStore journal', () => {
  it('settles a stored value once its owning row commits', async () => {
    const { db, store, entries } = setup();
    const ref = await store.store('workspace-api-key', 'value-1');
    db.transaction(() => {
      db.prepare('INSERT INTO owners VALUES (?)').run(ref);
      store.settle(ref);
    })();
    expect(entries.get(ref)).toBe('value-1');
    expect(db.prepare('SELECT count(*) AS n FROM credential_intents').get()).toEqual({ n: 0 });
  });

  it('leaves no intent and no entry when the keychain refuses the write', async () => {
    const { db, store, entries, failWith } = setup();
    failWith(new Error('locked'));
    await expect(store.store('workspace-api-key', 'value')).rejects.toThrow('locked');
    expect(entries.size).toBe(0);
    expect(db.prepare('SELECT count(*) AS n FROM credential_intents').get()).toEqual({ n: 0 });
  });

  it('at start-up deletes a value written just before a crash that nothing points at, without reading any value', async () => {
    const { db, store, restart, entries, reads } = setup();
    const orphan = await store.store('workspace-api-key', 'orphan'); // crash: the owning row never committed
    const owned = await store.store('workspace-api-key', 'owned');
    db.prepare('INSERT INTO owners VALUES (?)').run(owned); // crash: committed, but the intent was not settled

    // The session that wrote them leaves its own intents to their owners...
    expect(await store.reconcile()).toEqual({ deleted: 0, kept: 0 });
    // ...the next start replays them.
    expect(await restart().reconcile()).toEqual({ deleted: 1, kept: 1 });
    expect(entries.has(orphan)).toBe(false);
    expect(entries.get(owned)).toBe('owned');
    expect(reads).toEqual([]);
    expect(db.prepare('SELECT count(*) AS n FROM credential_intents').get()).toEqual({ n: 0 });
  });

  it('keeps a discard that failed and finishes it at the next start', async () => {
    const { db, store, restart, entries, failWith } = setup();
    const ref = await store.store('workspace-api-key', 'doomed');
    store.settle(ref);
    failWith(new Error('locked'));
    store.markForDiscard(ref);
    await store.flushDiscards([ref]);
    expect(entries.has(ref)).toBe(true);

    failWith(null);
    await restart().reconcile();
    expect(entries.has(ref)).toBe(false);
    expect(db.prepare('SELECT count(*) AS n FROM credential_intents').get()).toEqual({ n: 0 });
  });

  it('reads on demand, once per session, and names a missing entry clearly', async () => {
    const { db, store, keychain, entries, reads } = setup();
    const ref = await store.store('workspace-api-key', 'v');
    // A new session: a store over the same database and keychain, with nothing cached.
    const nextSession = () => new CredentialStore(db, keychain, new CredentialOwners(), silentLogger, () => 1);
    const session = nextSession();
    expect(await session.read(ref)).toBe('v');
    expect(await session.read(ref)).toBe('v');
    expect(reads).toEqual([ref]);
    expect(await store.read(ref)).toBe('v');
    expect(reads).toEqual([ref]);

    entries.delete(ref);
    await expect(nextSession().read(ref)).rejects.toMatchObject({
      code: 'key_missing',
      message:
        'The API key of this workspace is missing from the system keychain (it may have been deleted outside Agent Keyring). Replace the key to use this workspace again.',
    });
  });

  it('names each kind of credential in its own words, and leaves a kind nobody owns alone', async () => {
    const { db, store, restart, entries } = setup();
    const value = await store.store('local-secret-value', 'v');
    entries.delete(value);
    await expect(restart().read(value)).rejects.toMatchObject({
      message: expect.stringMatching(/^The value of this local secret is missing/),
    });
    const token = await store.store('oauth-refresh-token', 'r');
    // No feature has registered an owner for these kinds in this test: the next start keeps them.
    expect(await restart().reconcile()).toEqual({ deleted: 0, kept: 0 });
    expect(entries.has(token)).toBe(true);
    expect(db.prepare('SELECT ref FROM credential_intents ORDER BY ref').all()).toEqual(
      [{ ref: value }, { ref: token }].sort((a, b) => a.ref.localeCompare(b.ref)),
    );
  });
});
