import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import keytar from 'keytar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Domain } from '../app/composition';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import {
  buildDomain,
  call,
  clearKeychainService,
  databaseSnapshot,
  filesUnder,
  keychainAccounts,
  removeTempDirs,
  tempDir,
  testKeychainService,
} from '../../../test/support/harness';
import { OIDC_CONFIDENTIAL_CLIENT_ID, startOidcServer, type RunningOidc } from '../../../test/support/oidc-server';
import { signInAt } from '../../../test/support/oidc-login';
import type { LinkFlowEvent } from '../../shared/schemas/accounts';
import { AppError } from '../errors';

// Backup and restore against the real parts: the keychain (a service of each test's own), SQLite
// files in temp folders, the emulator for the workspace key, a real OpenID provider and Chromium
// for the linked account. Work factor 2^10 through the test-only option except where the bound
// itself is the point.

const WORK_FACTOR = 10;
const WORKSPACE_KEY = `sk_backup_${randomUUID().replace(/-/g, '')}`;
const CLIENT_SECRET = `client-secret-canary-${randomUUID()}`;
const canary = (what: string) => `canary-${what}-${randomUUID()}`;
const VALUES = {
  stripe: canary('stripe'),
  stripeOld: canary('stripe-old'),
  twilio: canary('twilio'),
  openai: canary('openai'),
  catalogToken: canary('catalog-token'),
};
const PASSPHRASE = 'acorn-bagel-cedar-dwell-ember-flock';
const testStarted = Date.now();

let emulator: RunningEmulator;
let oidc: RunningOidc;
let browser: Browser;
const services: string[] = [];
const domains: Domain[] = [];
/** The computer the backups are made on. */
let source: Domain;
let sourceService: string;
let workspaceId: string;
let stripeId: string;
let backupFile: string;
const backupDir = tempDir('agent-keyring-backups-');

function open(options: { dataDir?: string; keychainService?: string; factor?: number | null } = {}): Domain {
  const keychainService = options.keychainService ?? testKeychainService();
  if (!services.includes(keychainService)) services.push(keychainService);
  const domain = buildDomain({
    dataDir: options.dataDir ?? tempDir(),
    keychainService,
    ...(options.factor === null ? {} : { testOnlyBackupWorkFactor: options.factor ?? WORK_FACTOR }),
  });
  domains.push(domain);
  return domain;
}

async function close(domain: Domain): Promise<void> {
  domains.splice(domains.indexOf(domain), 1);
  await domain.close();
}

async function expectError(promise: Promise<unknown>, code: string, message?: RegExp): Promise<AppError> {
  const error = await promise.then(
    () => {
      throw new Error(`expected ${code}`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  if (message) expect((error as AppError).message).toMatch(message);
  return error as AppError;
}

/** Every row of every table but the activity log, and the keychain's entries: what "nothing changed" compares. */
async function stateOf(domain: Domain, service: string) {
  const { activity: _activity, ...tables } = databaseSnapshot(domain.db);
  return { tables, keychain: await keychainAccounts(service) };
}

async function reveal(domain: Domain, name: string, version: 'current' | 'previous' = 'current'): Promise<string> {
  const { secrets } = await call(domain, 'localSecrets:list', { query: name, tag: null });
  const secret = secrets.find((s) => s.name === name);
  if (!secret) throw new Error(`no local secret ${name}`);
  return (await call(domain, 'localSecrets:reveal', { id: secret.id, version })).value;
}

async function linkAccount(domain: Domain, providerId: string, person: string): Promise<void> {
  const opened: string[] = [];
  const outcome = new Promise<LinkFlowEvent>((resolve) => {
    const stop = domain.events.subscribe((event, payload) => {
      const flow = payload as LinkFlowEvent;
      if (event === 'accounts:flow' && ['linked', 'failed', 'expired', 'cancelled'].includes(flow.status)) {
        stop();
        resolve(flow);
      }
    });
  });
  const started = await call(domain, 'accounts:startLink', { personLabel: person, providerId });
  opened.push(started.authorizeUrl);
  const page = await browser.newPage();
  await signInAt(page, started.authorizeUrl, { login: person });
  await page.close();
  expect((await outcome).status).toBe('linked');
}

beforeAll(async () => {
  emulator = await startEmulator({ keys: [{ key: WORKSPACE_KEY, seed: 'empty' }] });
  oidc = await startOidcServer({ confidentialSecret: CLIENT_SECRET });
  browser = await chromium.launch({
    executablePath: fs.existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-gpu'],
  });
  sourceService = testKeychainService();
  source = open({ keychainService: sourceService });
  const added = await call(source, 'workspaces:add', {
    label: 'Production',
    residency: 'custom',
    baseUrl: emulator.url,
    apiKey: WORKSPACE_KEY,
  });
  if (added.outcome !== 'saved') throw new Error(added.outcome);
  workspaceId = added.workspace.id;
  const targets = [{ workspaceId, remoteName: null }];
  stripeId = (await call(source, 'localSecrets:create', { name: 'STRIPE_KEY', value: VALUES.stripeOld, targets })).id;
  await call(source, 'localSecrets:rotate', { id: stripeId, value: VALUES.stripe });
  await call(source, 'localSecrets:create', { name: 'TWILIO_TOKEN', value: VALUES.twilio, targets });
  await call(source, 'localSecrets:create', { name: 'OPENAI_KEY', value: VALUES.openai, targets: [] });
  // An auth connection kept here: its token is a credential kind of its own, found by the backup like any other.
  await call(source, 'keptConnections:create', {
    definition: { authType: 'bearer_auth', name: 'Catalog bearer', provider: 'catalog', token: VALUES.catalogToken },
    targets,
  });
  const provider = await call(source, 'accounts:saveProvider', {
    kind: 'custom',
    name: 'Acme SSO',
    clientId: OIDC_CONFIDENTIAL_CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    authorizeUrl: `${oidc.issuer}/auth`,
    tokenUrl: `${oidc.issuer}/token`,
    revokeUrl: null,
    issuer: oidc.issuer,
    scopes: ['openid', 'offline_access'],
    pkce: true,
  });
  await linkAccount(source, provider.id, 'me');
  backupFile = path.join(backupDir, 'agent-keyring.age');
}, 60_000);

afterAll(async () => {
  for (const domain of domains.splice(0)) await domain.close();
  for (const service of services) await clearKeychainService(service);
  await browser?.close();
  await oidc?.close();
  await emulator?.close();
  removeTempDirs();
});

describe('a backup', () => {
  it('holds every credential the app owns in one age file written 0600 and read back, refresh tokens left out unless asked', async () => {
    const phases: string[] = [];
    const receipt = await source.backup.backup({ passphrase: PASSPHRASE }, { file: backupFile, includeRefreshTokens: false }, (p) =>
      phases.push(p.phase),
    );
    expect(receipt.counts.byKind).toEqual({
      'workspace-api-key': 1,
      'local-secret-value': 4,
      'fingerprint-key': 1,
      'oauth-client-secret': 1,
      'oauth-access-token': 1,
      'connection-token': 1,
    });
    expect(receipt.counts.leftOut).toEqual({ 'oauth-refresh-token': 1 });
    expect(receipt.counts.records).toMatchObject({
      workspaces: 1,
      local_secrets: 3,
      oauth_providers: 1,
      linked_accounts: 1,
      kept_connection_credentials: 1,
    });
    expect(phases).toEqual(expect.arrayContaining(['reading_keychain', 'deriving_key', 'writing', 'verifying']));
    expect(fs.statSync(backupFile).mode & 0o777).toBe(0o600);
    // Only the file: no temporary file beside it.
    expect(fs.readdirSync(backupDir)).toEqual(['agent-keyring.age']);
    expect(source.backup.lastVerifiedBackup()).toMatchObject({ file: backupFile, verifiedAt: receipt.verifiedAt });
    expect(source.backup.needsBackup()).toEqual([]);
  });

  it('is restored into a fresh data folder and keychain after its plan, and a second restore changes nothing', async () => {
    const service = testKeychainService();
    const target = open({ keychainService: service });
    const before = await stateOf(target, service);
    const plan = await target.backup.readAndPlan(backupFile, { passphrase: PASSPHRASE });
    // Planned, not written.
    expect(await stateOf(target, service)).toEqual(before);
    expect(plan.actions).toEqual({ add: 7, unchanged: 0, conflict: 0, only_here: 0 });
    expect(plan.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ what: 'Workspace', label: 'Production', action: 'add', credentials: 1 }),
        expect.objectContaining({ what: 'Local secret', label: 'STRIPE_KEY', action: 'add', credentials: 2 }),
        expect.objectContaining({ what: 'OAuth provider', label: 'Acme SSO', action: 'add' }),
        expect.objectContaining({
          what: 'Linked account',
          label: 'me · Acme SSO',
          action: 'add',
          note: expect.stringMatching(/needs reconnect/),
        }),
      ]),
    );

    const rechecked: string[][] = [];
    target.backup.onRestored((restored) => void rechecked.push(restored.workspaceIds));
    const result = await target.backup.applyRestore(plan.id, 'merge', { confirmReplace: false });
    expect(result).toMatchObject({ added: 7, replaced: 0, credentialsWritten: 8, needsReconnect: 1, safetyBackup: null });
    expect(rechecked).toEqual([[workspaceId]]);

    // Every value is back: revealed, the previous one too, and the key works against the API.
    expect(await reveal(target, 'STRIPE_KEY')).toBe(VALUES.stripe);
    expect(await reveal(target, 'STRIPE_KEY', 'previous')).toBe(VALUES.stripeOld);
    expect(await reveal(target, 'OPENAI_KEY')).toBe(VALUES.openai);
    expect((await keytar.findCredentials(service)).map((c) => c.password)).toContain(VALUES.catalogToken);
    const { connections } = await call(target, 'keptConnections:list', { query: '' });
    expect(connections).toEqual([expect.objectContaining({ name: 'Catalog bearer', kept: ['token'] })]);
    const synced = await call(target, 'inventory:sync', { workspaceIds: [workspaceId] });
    expect(synced.results[0]).toMatchObject({ ok: true });
    const pushPlan = await call(target, 'push:plan', { secretIds: [], workspaceIds: [workspaceId], force: false, deletions: [] });
    // Everything kept here: the two targeted local secrets and the restored connection, each value from the restored keychain.
    const creates = pushPlan.items.filter((i) => i.action === 'create').map((i) => `${i.kind} ${i.newName}`);
    expect(creates.sort()).toEqual(['connection Catalog bearer', 'secret STRIPE_KEY', 'secret TWILIO_TOKEN']);
    await call(target, 'push:apply', { planId: pushPlan.id });
    expect(
      emulator
        .secretsOf(WORKSPACE_KEY)
        .map((s) => s.name)
        .sort(),
    ).toEqual(['STRIPE_KEY', 'TWILIO_TOKEN']);
    const pushed = (await call(target, 'keptConnections:list', { query: '' })).connections[0]!.targets[0]!;
    expect(emulator.authConnectionCredentials(WORKSPACE_KEY, pushed.remoteConnectionId!)).toEqual({
      token: createHash('sha256').update(VALUES.catalogToken).digest('hex'),
    });
    const { accounts } = await call(target, 'accounts:list', {});
    expect(accounts).toEqual([expect.objectContaining({ personLabel: 'me', status: 'needs_reconnect', hasRefreshToken: false })]);

    // The keychain holds exactly what the records point at (the fingerprint key is this computer's own).
    const afterFirst = await stateOf(target, service);
    expect(afterFirst.keychain).toHaveLength(8 + 1);

    const again = await target.backup.readAndPlan(backupFile, { passphrase: PASSPHRASE });
    expect(again.actions).toEqual({ add: 0, unchanged: 7, conflict: 0, only_here: 0 });
    const second = await target.backup.applyRestore(again.id, 'merge', { confirmReplace: false });
    expect(second).toMatchObject({ added: 0, credentialsWritten: 0, unchanged: 7 });
    expect(await stateOf(target, service)).toEqual(afterFirst);
    const { entries } = await call(target, 'activity:list', {
      workspaceId: null,
      action: 'backup_restore',
      result: null,
      query: '',
      offset: 0,
      limit: 10,
    });
    expect(entries.map((e) => e.detail)).toEqual([
      expect.stringMatching(/^0 added, 0 replaced, 7 unchanged, 0 conflicts kept, 0 only here; 0 credentials written$/),
      expect.stringMatching(/^7 added, 0 replaced, 0 unchanged, .*8 credentials written; 1 linked account needs reconnecting$/),
    ]);
  }, 30_000);

  it('with refresh tokens opted in, restores linked accounts that keep refreshing', async () => {
    const file = path.join(backupDir, 'with-refresh.age');
    const receipt = await source.backup.backup({ passphrase: PASSPHRASE }, { file, includeRefreshTokens: true });
    expect(receipt.counts.leftOut).toEqual({});
    expect(receipt.counts.byKind['oauth-refresh-token']).toBe(1);
    const target = open();
    const plan = await target.backup.readAndPlan(file, { passphrase: PASSPHRASE });
    expect(plan.items.find((i) => i.what === 'Linked account')).toMatchObject({ credentials: 2, note: null });
    const result = await target.backup.applyRestore(plan.id, 'merge', { confirmReplace: false });
    expect(result.needsReconnect).toBe(0);
    const { accounts } = await call(target, 'accounts:list', {});
    expect(accounts).toEqual([expect.objectContaining({ status: 'active', hasRefreshToken: true })]);
    fs.rmSync(file);
  }, 30_000);
});

describe('a restore over what is here', () => {
  it('shows conflicts and what is only here, keeps them on merge, and replaces only when confirmed, after a safety backup', async () => {
    const service = testKeychainService();
    const dataDir = tempDir();
    let target = open({ dataDir, keychainService: service });
    await target.backup.applyRestore((await target.backup.readAndPlan(backupFile, { passphrase: PASSPHRASE })).id, 'merge', {
      confirmReplace: false,
    });
    // Changed here after the backup: a new value, and a secret the backup never had.
    const { secrets } = await call(target, 'localSecrets:list', { query: 'TWILIO', tag: null });
    const changed = canary('twilio-changed');
    await call(target, 'localSecrets:rotate', { id: secrets[0]!.id, value: changed });
    await call(target, 'localSecrets:create', { name: 'ONLY_HERE', value: canary('only-here'), targets: [] });

    const plan = await target.backup.readAndPlan(backupFile, { passphrase: PASSPHRASE });
    expect(plan.actions).toEqual({ add: 0, unchanged: 6, conflict: 1, only_here: 1 });
    expect(plan.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ label: 'TWILIO_TOKEN', action: 'conflict', differing: ['value'] }),
        expect.objectContaining({ label: 'ONLY_HERE', action: 'only_here' }),
      ]),
    );
    // No value, not even as a fingerprint, is in the plan.
    expect(JSON.stringify(plan)).not.toContain(changed);
    expect(JSON.stringify(plan)).not.toContain(VALUES.twilio);

    const merged = await target.backup.applyRestore(plan.id, 'merge', { confirmReplace: false });
    expect(merged).toMatchObject({ added: 0, replaced: 0, conflictsKept: 1, onlyHere: 1, credentialsWritten: 0 });
    expect(await reveal(target, 'TWILIO_TOKEN')).toBe(changed);

    const replacePlan = await target.backup.readAndPlan(backupFile, { passphrase: PASSPHRASE });
    await expectError(target.backup.applyRestore(replacePlan.id, 'replace', { confirmReplace: false }), 'invalid_request');
    expect(await reveal(target, 'TWILIO_TOKEN')).toBe(changed);
    const replaced = await target.backup.applyRestore(replacePlan.id, 'replace', { confirmReplace: true });
    expect(replaced).toMatchObject({ replaced: 1, credentialsWritten: 1, onlyHere: 1 });
    expect(await reveal(target, 'TWILIO_TOKEN')).toBe(VALUES.twilio);
    // Only here is never deleted.
    expect(await reveal(target, 'ONLY_HERE')).toMatch(/^canary-only-here-/);
    // The safety backup holds the state before the replace, and opens with the same passphrase.
    expect(replaced.safetyBackup).toMatch(/safety-before-restore-.*\.age$/);
    const safety = await target.backup.readAndPlan(replaced.safetyBackup!, { passphrase: PASSPHRASE });
    expect(safety.items).toEqual(expect.arrayContaining([expect.objectContaining({ label: 'TWILIO_TOKEN', action: 'conflict' })]));
    // The old value's keychain entry went with it: only what records point at is left.
    await close(target);
    target = open({ dataDir, keychainService: service });
    await target.reconciled;
    const owned = new Set(
      [
        ...(target.db.prepare('SELECT value_ref AS r FROM local_secrets UNION SELECT previous_value_ref FROM local_secrets').all() as {
          r: string | null;
        }[]),
        ...(target.db.prepare('SELECT api_key_ref AS r FROM workspaces UNION SELECT client_secret_ref FROM oauth_providers').all() as {
          r: string | null;
        }[]),
        ...(target.db.prepare('SELECT access_token_ref AS r FROM linked_accounts').all() as { r: string }[]),
        ...(target.db.prepare('SELECT credential_ref AS r FROM kept_connection_credentials').all() as { r: string }[]),
        ...(target.db.prepare("SELECT value AS r FROM settings WHERE key = 'fingerprint_key_ref'").all() as { r: string }[]),
      ]
        .map((row) => row.r)
        .filter((r): r is string => r !== null),
    );
    expect(await keychainAccounts(service)).toEqual([...owned].sort());
  }, 30_000);

  it('on another computer, a secret of the same name with another value is a conflict, kept as it is', async () => {
    const target = open();
    const mine = canary('mine');
    await call(target, 'localSecrets:create', { name: 'OPENAI_KEY', value: mine, targets: [] });
    const plan = await target.backup.readAndPlan(backupFile, { passphrase: PASSPHRASE });
    expect(plan.items.find((i) => i.label === 'OPENAI_KEY')).toMatchObject({ action: 'conflict', differing: ['value'] });
    await target.backup.applyRestore(plan.id, 'merge', { confirmReplace: false });
    expect(await reveal(target, 'OPENAI_KEY')).toBe(mine);
    expect(await reveal(target, 'STRIPE_KEY')).toBe(VALUES.stripe);
  }, 30_000);
});

describe('a plan that is no longer true', () => {
  it('is refused when what is here changed after it was shown, and nothing is written', async () => {
    const service = testKeychainService();
    const target = open({ keychainService: service });
    const plan = await target.backup.readAndPlan(backupFile, { passphrase: PASSPHRASE });
    expect(plan.items.find((i) => i.label === 'OPENAI_KEY')).toMatchObject({ action: 'add' });
    // Made here between the plan and its confirmation: the plan said "add", it would now be a conflict.
    const mine = canary('made-meanwhile');
    await call(target, 'localSecrets:create', { name: 'OPENAI_KEY', value: mine, targets: [] });
    const before = await stateOf(target, service);
    await expectError(
      target.backup.applyRestore(plan.id, 'merge', { confirmReplace: false }),
      'conflict',
      /changed since the restore plan was shown/,
    );
    expect(await stateOf(target, service)).toEqual(before);
    expect(await reveal(target, 'OPENAI_KEY')).toBe(mine);
  }, 30_000);
});

describe('verify and what needs a backup', () => {
  it('says which values changed after the last verified backup, and Verify records the check', async () => {
    const dataDir = tempDir();
    const domain = open({ dataDir });
    const id = (await call(domain, 'localSecrets:create', { name: 'FRESH', value: canary('fresh'), targets: [] })).id;
    expect(domain.backup.lastVerifiedBackup()).toBeNull();
    expect(domain.backup.needsBackup()).toEqual([id]);
    const file = path.join(backupDir, 'fresh.age');
    await domain.backup.backup({ passphrase: PASSPHRASE }, { file, includeRefreshTokens: false });
    expect(domain.backup.needsBackup()).toEqual([]);
    await call(domain, 'localSecrets:rotate', { id, value: canary('fresh-rotated') });
    expect(domain.backup.needsBackup([id])).toEqual([id]);
    const verified = await domain.backup.verify(file, { passphrase: PASSPHRASE });
    expect(verified).toMatchObject({ file, counts: { byKind: { 'local-secret-value': 1 } }, warnings: ['weak_work_factor'] });
    expect(domain.backup.lastVerifiedBackup()).toMatchObject({ file, verifiedAt: verified.verifiedAt });
    const { entries } = await call(domain, 'activity:list', {
      workspaceId: null,
      action: null,
      result: null,
      query: '',
      offset: 0,
      limit: 50,
    });
    expect(entries.map((e) => e.action)).toEqual(expect.arrayContaining(['backup', 'backup_verify']));
    expect(entries.find((e) => e.action === 'backup')?.detail).toMatch(/^2 credentials \(/);
    fs.rmSync(file);
  }, 30_000);
});

describe('canaries', () => {
  it('no value reaches any file in the data folders, the temp folder or the logs', async () => {
    const values = [...Object.values(VALUES), CLIENT_SECRET];
    const dataDirs = domains.map((d) => d.paths.dataDir);
    const tempFiles = filesUnder(os.tmpdir()).filter((file) => {
      try {
        return fs.statSync(file).mtimeMs >= testStarted && !file.includes('agent-keyring-test-keyring');
      } catch {
        return false;
      }
    });
    const scanned = [...dataDirs.flatMap(filesUnder), ...tempFiles];
    // The scan reaches the backups, the safety backup, the databases and the logs.
    expect(scanned).toContain(backupFile);
    expect(scanned.some((file) => /safety-before-restore-/.test(file))).toBe(true);
    expect(scanned.filter((file) => file.endsWith('main.log')).length).toBeGreaterThanOrEqual(dataDirs.length);
    for (const file of scanned) {
      let content: Buffer;
      try {
        content = fs.readFileSync(file);
      } catch {
        continue;
      }
      for (const value of values) expect(content.includes(value), `${value} in ${file}`).toBe(false);
    }
  });
});
