import fs from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import type { Domain } from '../app/composition';
import {
  buildDomain,
  call,
  callError,
  clearKeychainService,
  databaseSnapshot,
  filesUnder,
  keychainAccounts,
  removeTempDirs,
  tempDir,
  testKeychainService,
} from '../../../test/support/harness';
import { refusedPort } from '../../../test/support/refused-port';

// Real parts throughout: the official SDK against the emulator, keytar on the test Secret
// Service, SQLite files in temp folders.

let emulator: RunningEmulator;
const keychainService = testKeychainService();
const domains: Domain[] = [];

beforeAll(async () => {
  emulator = await startEmulator({
    seed: 'demo',
    keys: [
      { key: 'sk_ws_production_0001' },
      { key: 'sk_ws_staging_0002', seed: 'bench:120' },
      { key: 'sk_ws_scoped_0003', permissions: ['convai_read'] },
      { key: 'sk_ws_no_secrets_0004', permissions: ['user_read', 'workspace_read'] },
    ],
  });
});

afterEach(async () => {
  emulator.clearFaults();
  for (const domain of domains.splice(0)) await domain.close();
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

const custom = (label: string, apiKey: string, extra: Record<string, unknown> = {}) => ({
  label,
  residency: 'custom' as const,
  baseUrl: emulator.url,
  apiKey,
  ...extra,
});

describe('adding a workspace', () => {
  it('checks the key, keeps it only in the keychain, and records who the workspace is', async () => {
    const domain = open();
    const outcome = await call(domain, 'workspaces:add', custom('Production', 'sk_ws_production_0001'));
    if (outcome.outcome !== 'saved') throw new Error(outcome.outcome);
    expect(outcome.workspace).toMatchObject({
      label: 'Production',
      residency: 'custom',
      verification: 'verified',
      missingPermissions: [],
      reachability: 'reachable',
    });
    expect(outcome.workspace.remoteWorkspaceId).toMatch(/^ws_/);
    expect(outcome.workspace.planTier).toBeTruthy();
    expect(await keychainAccounts(keychainService)).toHaveLength(1);
    const list = await call(domain, 'workspaces:list', {});
    expect(list.activeWorkspaceId).toBe(outcome.workspace.id);
    const onDisk = filesUnder(domain.paths.dataDir)
      .map((f) => fs.readFileSync(f, 'latin1'))
      .join('\n');
    expect(onDisk).not.toContain('sk_ws_production_0001');
  });

  it('refuses an invalid key with a clear message and keeps nothing', async () => {
    const domain = open();
    const before = databaseSnapshot(domain.db);
    const error = await callError(domain, 'workspaces:add', custom('Typo', 'sk_not_a_real_key_999'));
    expect(error.code).toBe('invalid_key');
    expect(error.message).toMatch(/did not accept this API key \(invalid_api_key\)/);
    expect(error.message).not.toContain('sk_not_a_real_key_999');
    expect(databaseSnapshot(domain.db)).toEqual(before);
    expect(await keychainAccounts(keychainService)).toEqual([]);
  });

  it('keeps a valid key with a limited scope and says which permission it lacks', async () => {
    const domain = open();
    const outcome = await call(domain, 'workspaces:add', custom('Scoped', 'sk_ws_scoped_0003'));
    if (outcome.outcome !== 'saved') throw new Error(outcome.outcome);
    expect(outcome.workspace.verification).toBe('verified');
    expect(outcome.workspace.missingPermissions).toEqual(['user_read']);
    expect(outcome.workspace.remoteWorkspaceId).toBeNull();
  });

  it('says at add time that a key may not read secrets, and keeps that where the user looks', async () => {
    const domain = open();
    const first = await call(domain, 'workspaces:add', custom('No secrets', 'sk_ws_no_secrets_0004'));
    expect(first).toMatchObject({ outcome: 'confirm_limited_key', missingPermissions: ['convai_read'] });
    if (first.outcome !== 'confirm_limited_key') throw new Error();
    expect(first.message).toMatch(/may not read the workspace's secrets \(it lacks the convai_read permission\)/);
    expect(await keychainAccounts(keychainService)).toEqual([]);

    const kept = await call(domain, 'workspaces:add', custom('No secrets', 'sk_ws_no_secrets_0004', { acceptLimitedKey: true }));
    if (kept.outcome !== 'saved') throw new Error(kept.outcome);
    expect(kept.workspace.access.secrets).toEqual({ state: 'denied', permission: 'convai_read' });
  });

  it('asks before keeping a key it could not check, then keeps it marked unverified', async () => {
    const domain = open();
    const request = {
      label: 'Offline',
      residency: 'custom' as const,
      baseUrl: `http://127.0.0.1:${await refusedPort()}`,
      apiKey: 'sk_unchecked_key_0004',
    };
    const first = await call(domain, 'workspaces:add', request);
    expect(first).toMatchObject({ outcome: 'confirm_unverified', problem: { code: 'unreachable' } });
    expect(await keychainAccounts(keychainService)).toEqual([]);

    const second = await call(domain, 'workspaces:add', { ...request, saveUnverified: true });
    if (second.outcome !== 'saved') throw new Error(second.outcome);
    expect(second.workspace).toMatchObject({ verification: 'unverified', keyCheckedAt: null, reachability: 'unknown' });
  });

  it.each([
    [{ status: 500 }, 'server_error'],
    [{ status: 429, retryAfter: 1 }, 'rate_limited'],
  ])('treats %j while checking as "could not check", not as a bad key', async (fault, code) => {
    const domain = open();
    emulator.injectFault(fault);
    const outcome = await call(domain, 'workspaces:add', custom('Flaky', 'sk_ws_production_0001'));
    expect(outcome).toMatchObject({ outcome: 'confirm_unverified', problem: { code } });
  });

  it('flags a second key for a workspace already added, by workspace id or by a shared secret', async () => {
    const domain = open();
    await call(domain, 'workspaces:add', custom('Production', 'sk_ws_production_0001'));
    const again = await call(domain, 'workspaces:add', custom('Production again', 'sk_ws_production_0001'));
    expect(again).toMatchObject({ outcome: 'confirm_workspace_mismatch', reason: 'duplicate' });
    if (again.outcome !== 'confirm_workspace_mismatch') throw new Error();
    expect(again.message).toMatch(/same ElevenLabs workspace as “Production”/);

    const accepted = await call(
      domain,
      'workspaces:add',
      custom('Production again', 'sk_ws_production_0001', { acceptWorkspaceMismatch: true }),
    );
    if (accepted.outcome !== 'saved') throw new Error();
    expect(accepted.workspace.sameRemoteAs).toHaveLength(1);

    // A key that may not read /v1/user is recognised by the secrets it sees.
    const scoped = await call(domain, 'workspaces:add', custom('Scoped', 'sk_ws_scoped_0003'));
    if (scoped.outcome !== 'saved') throw new Error();
    await call(domain, 'inventory:sync', { workspaceIds: [scoped.workspace.id] });
    expect(await call(domain, 'workspaces:add', custom('Scoped twin', 'sk_ws_scoped_0003'))).toMatchObject({
      outcome: 'confirm_workspace_mismatch',
      reason: 'duplicate',
      otherWorkspaceIds: [scoped.workspace.id],
    });
  });
});

describe('managing workspaces', () => {
  it('switches, and the choice survives a restart', async () => {
    const dataDir = tempDir();
    const first = open(dataDir);
    const a = await call(first, 'workspaces:add', custom('A', 'sk_ws_production_0001'));
    const b = await call(first, 'workspaces:add', custom('B', 'sk_ws_staging_0002'));
    if (a.outcome !== 'saved' || b.outcome !== 'saved') throw new Error();
    expect((await call(first, 'workspaces:list', {})).activeWorkspaceId).toBe(a.workspace.id);
    await call(first, 'workspaces:setActive', { workspaceId: b.workspace.id });
    await first.close();
    domains.splice(domains.indexOf(first), 1);

    const reopened = open(dataDir);
    const list = await call(reopened, 'workspaces:list', {});
    expect(list.activeWorkspaceId).toBe(b.workspace.id);
    expect(list.workspaces.map((w) => w.label)).toEqual(['A', 'B']);
  });

  it('renames', async () => {
    const domain = open();
    const added = await call(domain, 'workspaces:add', custom('Old', 'sk_ws_production_0001'));
    if (added.outcome !== 'saved') throw new Error();
    expect((await call(domain, 'workspaces:rename', { workspaceId: added.workspace.id, label: '  New name  ' })).label).toBe('New name');
  });

  it('replaces a key: the new one is checked, the old keychain entry is deleted', async () => {
    const domain = open();
    const added = await call(domain, 'workspaces:add', custom('Prod', 'sk_ws_production_0001'));
    if (added.outcome !== 'saved') throw new Error();
    const [oldRef] = await keychainAccounts(keychainService);

    expect(
      await callError(domain, 'workspaces:replaceKey', { workspaceId: added.workspace.id, apiKey: 'sk_wrong_key_000000' }),
    ).toMatchObject({
      code: 'invalid_key',
    });
    expect(await keychainAccounts(keychainService)).toEqual([oldRef]);

    const other = await call(domain, 'workspaces:replaceKey', { workspaceId: added.workspace.id, apiKey: 'sk_ws_staging_0002' });
    expect(other).toMatchObject({ outcome: 'confirm_workspace_mismatch', reason: 'different' });
    const replaced = await call(domain, 'workspaces:replaceKey', {
      workspaceId: added.workspace.id,
      apiKey: 'sk_ws_staging_0002',
      acceptWorkspaceMismatch: true,
    });
    expect(replaced.outcome).toBe('saved');
    const accounts = await keychainAccounts(keychainService);
    expect(accounts).toHaveLength(1);
    expect(accounts[0]).not.toBe(oldRef);
    const synced = await call(domain, 'inventory:sync', { workspaceIds: [added.workspace.id] });
    expect(synced.results[0]).toMatchObject({ ok: true, secretCount: 120 });
  });

  it('removes a workspace with its keychain entry and cached inventory; the next one becomes active', async () => {
    const domain = open();
    const a = await call(domain, 'workspaces:add', custom('A', 'sk_ws_production_0001'));
    const b = await call(domain, 'workspaces:add', custom('B', 'sk_ws_staging_0002'));
    if (a.outcome !== 'saved' || b.outcome !== 'saved') throw new Error();
    await call(domain, 'inventory:sync', { workspaceIds: [] });
    expect(await keychainAccounts(keychainService)).toHaveLength(2);

    const removed = await call(domain, 'workspaces:remove', { workspaceId: a.workspace.id });
    expect(removed).toEqual({ removedWorkspaceId: a.workspace.id, activeWorkspaceId: b.workspace.id, droppedTargets: [] });
    expect(await keychainAccounts(keychainService)).toHaveLength(1);
    const search = await call(domain, 'inventory:searchSecrets', {
      query: '',
      workspaceId: null,
      usage: 'any',
      presence: 'all',
      usedBy: null,
      offset: 0,
      limit: 500,
    });
    expect(new Set(search.items.map((s) => s.workspaceId))).toEqual(new Set([b.workspace.id]));
    expect(domain.db.prepare('SELECT count(*) AS n FROM workspace_secrets WHERE workspace_id = ?').get(a.workspace.id)).toEqual({ n: 0 });
  });

  it('says so clearly when a key was deleted from the keychain behind its back', async () => {
    const domain = open();
    const added = await call(domain, 'workspaces:add', custom('Prod', 'sk_ws_production_0001'));
    if (added.outcome !== 'saved') throw new Error();
    await domain.close();
    domains.splice(domains.indexOf(domain), 1);
    await clearKeychainService(keychainService);

    const reopened = open(domain.paths.dataDir);
    const [result] = (await call(reopened, 'inventory:sync', { workspaceIds: [] })).results;
    expect(result?.problem).toMatchObject({ code: 'key_missing' });
    expect(result?.problem?.message).toMatch(/missing from the system keychain.*Replace the key/);
  });
});

describe('the demo workspace', () => {
  it('works with no ElevenLabs account and keeps the same inventory across restarts', async () => {
    const dataDir = tempDir();
    const first = open(dataDir);
    const demo = await call(first, 'workspaces:addDemo', {});
    expect(demo).toMatchObject({ label: 'Demo workspace', residency: 'demo', verification: 'verified' });
    const synced = await call(first, 'inventory:sync', { workspaceIds: [demo.id] });
    expect(synced.results[0]?.ok).toBe(true);
    const names = async (domain: Domain) =>
      (
        await call(domain, 'inventory:searchSecrets', {
          query: '',
          workspaceId: demo.id,
          usage: 'any',
          presence: 'present',
          usedBy: null,
          offset: 0,
          limit: 500,
        })
      ).items.map((s) => s.name);
    const before = await names(first);
    expect(before.length).toBeGreaterThan(5);
    expect(await callError(first, 'workspaces:addDemo', {})).toMatchObject({ code: 'conflict' });
    await first.close();
    domains.splice(domains.indexOf(first), 1);

    // A new process starts a new in-process emulator; the same seed gives the same secrets.
    const second = open(dataDir);
    const resynced = await call(second, 'inventory:sync', { workspaceIds: [demo.id] });
    expect(resynced.results[0]).toMatchObject({ ok: true, removedSecretCount: 0 });
    expect(await names(second)).toEqual(before);
  });
});
