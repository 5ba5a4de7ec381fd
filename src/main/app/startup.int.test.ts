import { afterAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../emulator/server';
import { buildDomain, call, clearKeychainService, removeTempDirs, tempDir, testKeychainService } from '../../../test/support/harness';
import type { Keychain } from '../vault/keychain';
import { createKeytarKeychain } from '../vault/keytar-keychain';

const service = testKeychainService();
afterAll(async () => {
  await clearKeychainService(service);
  removeTempDirs();
});

/** The real keychain, counting reads: some systems ask the user for each one. */
function countingKeychain(): Keychain & { reads: number } {
  const real = createKeytarKeychain(service);
  const counting = {
    description: real.description,
    reads: 0,
    get: (ref: string) => {
      counting.reads += 1;
      return real.get(ref);
    },
    set: (ref: string, value: string) => real.set(ref, value),
    delete: (ref: string) => real.delete(ref),
  };
  return counting;
}

describe('start-up', () => {
  it('reads nothing from the keychain until a key is needed', async () => {
    const emulator = await startEmulator({ keys: [{ key: 'sk_startup_000000000001' }, { key: 'sk_startup_000000000002' }] });
    const dataDir = tempDir();
    const first = buildDomain({ dataDir, keychain: countingKeychain() });
    for (const key of ['sk_startup_000000000001', 'sk_startup_000000000002']) {
      await call(first, 'workspaces:add', { label: key, residency: 'custom', baseUrl: emulator.url, apiKey: key });
    }
    await first.close();

    const keychain = countingKeychain();
    const second = buildDomain({ dataDir, keychain });
    await second.reconciled;
    const list = await call(second, 'workspaces:list', {});
    await call(second, 'inventory:searchSecrets', {
      query: '',
      workspaceId: null,
      usage: 'any',
      presence: 'all',
      usedBy: null,
      offset: 0,
      limit: 10,
    });
    expect(list.workspaces).toHaveLength(2);
    expect(keychain.reads).toBe(0);

    // A sync needs the key: one read per workspace, then it is remembered for the session.
    await call(second, 'inventory:sync', { workspaceIds: [] });
    await call(second, 'inventory:sync', { workspaceIds: [] });
    expect(keychain.reads).toBe(2);
    await second.close();
    await emulator.close();
  });
});
