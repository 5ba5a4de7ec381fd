import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Domain } from '../app/composition';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { startEchoServer, type TestServer } from '../../../test/support/hostile-api';
import {
  buildDomain,
  call,
  clearKeychainService,
  keychainAccounts,
  removeTempDirs,
  tempDir,
  testKeychainService,
} from '../../../test/support/harness';

// Requests that race each other, against the real keychain: afterwards the keychain holds
// exactly the entries a workspace row points to, and still does after a restart.

const keychainService = testKeychainService();
let emulator: RunningEmulator;
const domains: Domain[] = [];
const servers: TestServer[] = [];

beforeAll(async () => {
  emulator = await startEmulator({
    keys: [{ key: 'sk_race_first_key_0001' }, { key: 'sk_race_second_key_0002' }, { key: 'sk_race_third_key_0003' }],
  });
});
afterEach(async () => {
  emulator.clearFaults();
  for (const domain of domains.splice(0)) await domain.close();
  for (const server of servers.splice(0)) await server.close();
  await clearKeychainService(keychainService);
});
afterAll(async () => {
  await emulator.close();
  removeTempDirs();
});

function open(dataDir = tempDir()): Domain {
  const domain = buildDomain({ dataDir, keychainService });
  domains.push(domain);
  return domain;
}

async function reopen(domain: Domain): Promise<Domain> {
  await domain.close();
  domains.splice(domains.indexOf(domain), 1);
  const next = open(domain.paths.dataDir);
  await next.reconciled;
  return next;
}

const add = async (domain: Domain, apiKey: string) => {
  const outcome = await call(domain, 'workspaces:add', {
    label: apiKey,
    residency: 'custom',
    baseUrl: emulator.url,
    apiKey,
    acceptWorkspaceMismatch: true,
  });
  if (outcome.outcome !== 'saved') throw new Error(outcome.outcome);
  return outcome.workspace.id;
};

/** Keychain accounts no workspace row points to. */
async function orphans(domain: Domain): Promise<string[]> {
  const referenced = new Set((domain.db.prepare('SELECT api_key_ref AS ref FROM workspaces').all() as { ref: string }[]).map((r) => r.ref));
  return (await keychainAccounts(keychainService)).filter((account) => !referenced.has(account));
}

describe('keychain and database under concurrency', () => {
  it('replacing a key while the workspace is removed leaves no orphan, also after a restart', async () => {
    let domain = open();
    for (let round = 0; round < 3; round++) {
      const workspaceId = await add(domain, 'sk_race_first_key_0001');
      const [replaced, removed] = await Promise.allSettled([
        call(domain, 'workspaces:replaceKey', { workspaceId, apiKey: 'sk_race_second_key_0002', acceptWorkspaceMismatch: true }),
        call(domain, 'workspaces:remove', { workspaceId }),
      ]);
      expect(removed.status).toBe('fulfilled');
      // The replacement lost the race and says so; it kept nothing.
      expect(replaced).toMatchObject({ status: 'rejected', reason: { error: { code: 'not_found' } } });
      expect(await orphans(domain)).toEqual([]);
    }
    domain = await reopen(domain);
    expect(await orphans(domain)).toEqual([]);
    expect(await keychainAccounts(keychainService)).toEqual([]);
  });

  it('two replacements at once leave exactly one key: the one the row points to', async () => {
    let domain = open();
    const workspaceId = await add(domain, 'sk_race_first_key_0001');
    const replacements = await Promise.all(
      ['sk_race_second_key_0002', 'sk_race_third_key_0003'].map((apiKey) =>
        call(domain, 'workspaces:replaceKey', { workspaceId, apiKey, acceptWorkspaceMismatch: true }),
      ),
    );
    expect(replacements.map((r) => r.outcome)).toEqual(['saved', 'saved']);
    expect(await keychainAccounts(keychainService)).toHaveLength(1);
    expect(await orphans(domain)).toEqual([]);
    domain = await reopen(domain);
    expect(await keychainAccounts(keychainService)).toHaveLength(1);
    expect(await orphans(domain)).toEqual([]);
    // The key kept is one that works.
    const [result] = (await call(domain, 'inventory:sync', { workspaceIds: [workspaceId] })).results;
    expect(result?.ok).toBe(true);
  });

  it('an add cancelled during its key check keeps nothing, and nothing appears later', async () => {
    const silent = await startEchoServer();
    servers.push(silent);
    silent.mode = 'slow';
    let domain = open();
    const adding = call(domain, 'workspaces:add', {
      label: 'Cancelled',
      residency: 'custom',
      baseUrl: silent.url,
      apiKey: 'sk_race_first_key_0001',
    }).catch((error: unknown) => error);
    // The check is under way once its first request arrives; cancel as the dialog's Cancel does.
    await silent.received();
    expect(await call(domain, 'workspaces:cancelKeyCheck', {})).toEqual({ cancelled: 1 });
    expect(await adding).toMatchObject({ error: { code: 'cancelled' } });
    expect((await call(domain, 'workspaces:list', {})).workspaces).toEqual([]);
    expect(await keychainAccounts(keychainService)).toEqual([]);
    domain = await reopen(domain);
    expect((await call(domain, 'workspaces:list', {})).workspaces).toEqual([]);
    expect(await keychainAccounts(keychainService)).toEqual([]);
  });

  it('a replace-key cancelled during its check keeps the old key', async () => {
    const silent = await startEchoServer();
    servers.push(silent);
    const domain = open();
    const added = await call(domain, 'workspaces:add', {
      label: 'Kept',
      residency: 'custom',
      baseUrl: silent.url,
      apiKey: 'sk_race_first_key_0001',
      saveUnverified: true,
    });
    if (added.outcome !== 'saved') throw new Error();
    const [before] = await keychainAccounts(keychainService);
    silent.mode = 'slow';
    const replacing = call(domain, 'workspaces:replaceKey', { workspaceId: added.workspace.id, apiKey: 'sk_race_second_key_0002' }).catch(
      (error: unknown) => error,
    );
    await silent.received();
    await call(domain, 'workspaces:cancelKeyCheck', {});
    expect(await replacing).toMatchObject({ error: { code: 'cancelled' } });
    expect(await keychainAccounts(keychainService)).toEqual([before]);
  });
});
