import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ActivityEntry } from '../../shared/schemas/activity';
import type { Domain } from '../app/composition';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import type { FileSaver } from '../ports/file-saver';
import {
  buildDomain,
  call,
  callError,
  clearKeychainService,
  filesUnder,
  removeTempDirs,
  tempDir,
  testKeychainService,
} from '../../../test/support/harness';

// What the activity log records of workspaces, providers, settings, syncs and exports: names and
// outcomes through the dispatcher, with the real keychain, SQLite and the emulator; never a key.

const keychainService = testKeychainService();
const FIRST_KEY = 'sk_activity_records_first_0001';
const SECOND_KEY = 'sk_activity_records_second_002';
const CLIENT_SECRET = 'client-secret-activity-records-0003';
let emulator: RunningEmulator;
const domains: Domain[] = [];

beforeAll(async () => {
  emulator = await startEmulator({
    keys: [
      { key: FIRST_KEY, seed: 'demo' },
      { key: SECOND_KEY, seed: 'demo' },
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

function setup(options: Parameters<typeof buildDomain>[0] = {}): Domain {
  const domain = buildDomain({ keychainService, ...options });
  domains.push(domain);
  return domain;
}

async function entries(domain: Domain): Promise<ActivityEntry[]> {
  const filter = { workspaceId: null, action: null, result: null, query: '' };
  return (await call(domain, 'activity:list', { ...filter, offset: 0, limit: 100 })).entries.reverse();
}

const brief = (entry: ActivityEntry) => `${entry.action} ${entry.result} ${entry.workspaceLabel ?? '-'} ${entry.subject}`;

async function addStaging(domain: Domain): Promise<string> {
  const added = await call(domain, 'workspaces:add', { label: 'Staging', residency: 'custom', baseUrl: emulator.url, apiKey: FIRST_KEY });
  if (added.outcome !== 'saved') throw new Error(added.outcome);
  return added.workspace.id;
}

describe('the activity log', () => {
  it('records a workspace added, synced, renamed, re-keyed and removed, and a failed sync with why', async () => {
    const domain = setup();
    const id = await addStaging(domain);
    await call(domain, 'inventory:sync', { workspaceIds: [id] });
    await call(domain, 'workspaces:rename', { workspaceId: id, label: 'Production' });
    const rekeyed = await call(domain, 'workspaces:replaceKey', {
      workspaceId: id,
      apiKey: SECOND_KEY,
      saveUnverified: false,
      acceptWorkspaceMismatch: true,
    });
    expect(rekeyed.outcome).toBe('saved');
    emulator.injectFault({ status: 503, key: SECOND_KEY });
    const {
      results: [failed],
    } = await call(domain, 'inventory:sync', { workspaceIds: [id] });
    expect(failed?.ok).toBe(false);
    emulator.clearFaults();
    await call(domain, 'workspaces:remove', { workspaceId: id });

    const log = await entries(domain);
    expect(log.map(brief)).toEqual([
      'workspace_add ok Staging Staging',
      'sync ok Staging Staging',
      'workspace_rename ok Production Production',
      'workspace_rekey ok Production Production',
      'sync failed Production Production',
      'workspace_remove ok Production Production',
    ]);
    const [added, synced, renamed, , failedSync, removed] = log;
    expect(added?.detail).toBe('Custom URL (emulator, proxy); the key was checked.');
    expect(synced?.detail).toMatch(/^\d+ secrets and \d+ auth connections; \d+ new, 0 removed since the last sync\.$/);
    expect(renamed?.detail).toBe('Renamed from “Staging”.');
    expect(failedSync?.detail).toMatch(/server error.*The inventory saved before was kept\.$/);
    expect(removed?.detail).toMatch(/nothing changed in ElevenLabs/);
    for (const entry of log) expect(JSON.stringify(entry)).not.toMatch(/sk_activity_records/);
  });

  it('records an OAuth provider added and removed, never its client secret', async () => {
    const domain = setup();
    const provider = await call(domain, 'accounts:saveProvider', {
      kind: 'custom',
      name: 'Acme SSO',
      clientId: 'desktop',
      clientSecret: CLIENT_SECRET,
      authorizeUrl: 'http://127.0.0.1:4010/auth',
      tokenUrl: 'http://127.0.0.1:4010/token',
      scopes: ['openid'],
      pkce: true,
    });
    // Saving it again is an update, not a second "added".
    await call(domain, 'accounts:saveProvider', {
      id: provider.id,
      kind: 'custom',
      name: 'Acme SSO',
      clientId: 'desktop-2',
      authorizeUrl: 'http://127.0.0.1:4010/auth',
      tokenUrl: 'http://127.0.0.1:4010/token',
      scopes: ['openid'],
      pkce: true,
    });
    await call(domain, 'accounts:removeProvider', { providerId: provider.id });
    const log = await entries(domain);
    expect(log.map(brief)).toEqual(['provider_add ok - Acme SSO', 'provider_remove ok - Acme SSO']);
    expect(log[1]?.detail).toBe('Removed from this computer, with its client secret.');
    expect(JSON.stringify(log)).not.toContain(CLIENT_SECRET);
  });

  it('records each settings change with what it was and what it became; an unchanged save records nothing', async () => {
    const domain = setup();
    const demo = await call(domain, 'workspaces:addDemo', {});
    await call(domain, 'settings:update', { theme: 'dark', revealSeconds: 45 });
    await call(domain, 'settings:update', { theme: 'dark' });
    await call(domain, 'settings:update', { reviewWorkspaces: { [demo.id]: true } });
    const changes = (await entries(domain)).filter((entry) => entry.action === 'settings_change');
    expect(changes.map((entry) => [entry.subject, entry.detail])).toEqual([
      ['Hide a revealed value after, Theme', 'Hide a revealed value after: 20 s → 45 s; Theme: system → dark'],
      ['Workspaces Review compares', 'Workspaces Review compares: none → Demo workspace'],
    ]);
  });

  it('says where an export was saved, in the reply and in the log, and the file holds the export', async () => {
    const domain = setup();
    const id = await addStaging(domain);
    await call(domain, 'inventory:sync', { workspaceIds: [id] });
    const reply = await call(domain, 'inventory:export', { format: 'csv', workspaceId: id });
    if (!reply.saved) throw new Error('not saved');
    expect(path.isAbsolute(reply.path)).toBe(true);
    expect(path.basename(reply.path)).toBe(reply.fileName);
    expect(fs.readFileSync(reply.path, 'utf8').split('\n')[0]).toMatch(/^workspace,name,secretId/);
    // A second export of the same day does not overwrite the first.
    const again = await call(domain, 'inventory:export', { format: 'csv', workspaceId: id });
    if (!again.saved) throw new Error('not saved');
    expect(again.path).not.toBe(reply.path);
    expect(fs.existsSync(reply.path)).toBe(true);

    const exports = (await entries(domain)).filter((entry) => entry.action === 'export');
    expect(exports.map((entry) => entry.detail)).toEqual([
      `${reply.rows} rows of the inventory saved to ${reply.path}`,
      `${again.rows} rows of the inventory saved to ${again.path}`,
    ]);
  });

  it('says nothing was saved when the Save dialog is cancelled, writes no file and records nothing', async () => {
    const offered: string[] = [];
    const cancelling: FileSaver = {
      async save(file) {
        offered.push(file.fileName);
        return { saved: false };
      },
    };
    const dataDir = tempDir();
    const domain = setup({ dataDir, fileSaver: cancelling });
    const reply = await call(domain, 'activity:export', {
      format: 'json',
      filter: { workspaceId: null, action: null, result: null, query: '' },
    });
    expect(reply).toEqual({ saved: false, fileName: offered[0] });
    expect(filesUnder(dataDir).filter((file) => file.includes('agent-keyring-activity'))).toEqual([]);
    expect((await entries(domain)).filter((entry) => entry.action === 'export')).toEqual([]);
  });

  it('reports a save that failed, and records it as failed', async () => {
    const failing: FileSaver = {
      async save() {
        throw new Error('EACCES: permission denied');
      },
    };
    const domain = setup({ fileSaver: failing });
    const error = await callError(domain, 'activity:export', {
      format: 'csv',
      filter: { workspaceId: null, action: null, result: null, query: '' },
    });
    expect(error).toMatchObject({
      code: 'storage_failed',
      message: 'The activity log export could not be saved: EACCES: permission denied',
    });
    const [entry] = (await entries(domain)).filter((e) => e.action === 'export');
    expect(entry?.result).toBe('failed');
  });
});
