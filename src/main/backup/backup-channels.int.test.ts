import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Domain } from '../app/composition';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { folderFileChooser, type FileChooser } from '../ports/file-chooser';
import { systemClock } from '../ports/clock';
import type { ChannelName, EventName, ReplyOf, RequestOf } from '../../shared/contract';
import type { LinkFlowEvent } from '../../shared/schemas/accounts';
import {
  buildDomain,
  call,
  callError,
  clearKeychainService,
  removeTempDirs,
  tempDir,
  testKeychainService,
} from '../../../test/support/harness';
import { OIDC_CONFIDENTIAL_CLIENT_ID, startOidcServer, type RunningOidc } from '../../../test/support/oidc-server';
import { signInAt } from '../../../test/support/oidc-login';

// The backup channels (backup:*) as the window uses them: through the dispatcher, with main
// choosing the file (a folder standing in for the Save and Open dialogs), progress as events, and
// what follows a restore (keys re-checked by a sync, refreshes scheduled). The real keychain,
// SQLite, the emulator, an OpenID provider and Chromium for the sign-in; work factor 2^10.

const WORKSPACE_KEY = `sk_channels_${randomUUID().replace(/-/g, '')}`;
const CLIENT_SECRET = `client-secret-canary-${randomUUID()}`;
const VALUES = { stripe: `canary-stripe-${randomUUID()}`, stripeOld: `canary-stripe-old-${randomUUID()}` };
/** An hour, so a target computer whose clock is this far ahead finds the restored access token due for refresh. */
const AHEAD_MS = 59 * 60 * 1000;

let emulator: RunningEmulator;
let oidc: RunningOidc;
let browser: Browser;
let source: Domain;
let workspaceId: string;
let stripeId: string;
let passphrase: string;
const services: string[] = [];
const domains: Domain[] = [];
const folder = tempDir('agent-keyring-backup-dialogs-');
/** Every reply and event of every domain, as the renderer would receive them (JSON). */
const seen: { what: string; text: string }[] = [];
let cancelDialogs = false;

/** The dialogs: the shared folder, or a cancelled dialog while `cancelDialogs` is set. */
const dialogs: FileChooser = {
  chooseSave: (name) => (cancelDialogs ? Promise.resolve(null) : folderFileChooser(folder).chooseSave(name)),
  chooseOpen: () => (cancelDialogs ? Promise.resolve(null) : folderFileChooser(folder).chooseOpen()),
};

function open(options: { clockAheadMs?: number } = {}): Domain {
  const keychainService = testKeychainService();
  services.push(keychainService);
  const domain = buildDomain({
    keychainService,
    backupFiles: dialogs,
    testOnlyBackupWorkFactor: 10,
    ...(options.clockAheadMs ? { clock: { now: () => Date.now() + options.clockAheadMs!, after: systemClock.after } } : {}),
  });
  domain.events.subscribe((event, payload) => seen.push({ what: `event ${event}`, text: JSON.stringify(payload) }));
  domains.push(domain);
  return domain;
}

async function ask<C extends ChannelName>(domain: Domain, channel: C, request: RequestOf<C>): Promise<ReplyOf<C>> {
  const reply = await call(domain, channel, request);
  seen.push({ what: channel, text: JSON.stringify(reply) });
  return reply;
}

/** Resolves with the first event of that name for which `until` holds. */
function nextEvent(domain: Domain, name: EventName, until: (payload: unknown) => boolean): Promise<unknown> {
  return new Promise((resolve) => {
    const stop = domain.events.subscribe((event, payload) => {
      if (event === name && until(payload)) {
        stop();
        resolve(payload);
      }
    });
  });
}

async function reviewKinds(domain: Domain): Promise<string[]> {
  const { items } = await ask(domain, 'review:list', { rotationDays: 90 });
  return items
    .filter((item) => item.kind === 'not_backed_up')
    .map((item) => `${item.name}: ${item.detail}`)
    .sort();
}

beforeAll(async () => {
  emulator = await startEmulator({ keys: [{ key: WORKSPACE_KEY, seed: 'empty' }] });
  oidc = await startOidcServer({ confidentialSecret: CLIENT_SECRET });
  browser = await chromium.launch({
    executablePath: fs.existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-gpu'],
  });
  source = open();
  const added = await call(source, 'workspaces:add', {
    label: 'Production',
    residency: 'custom',
    baseUrl: emulator.url,
    apiKey: WORKSPACE_KEY,
  });
  if (added.outcome !== 'saved') throw new Error(added.outcome);
  workspaceId = added.workspace.id;
  stripeId = (
    await call(source, 'localSecrets:create', { name: 'STRIPE_KEY', value: VALUES.stripeOld, targets: [{ workspaceId, remoteName: null }] })
  ).id;
  await call(source, 'localSecrets:rotate', { id: stripeId, value: VALUES.stripe });
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
  const linked = nextEvent(source, 'accounts:flow', (p) => ['linked', 'failed', 'expired'].includes((p as LinkFlowEvent).status));
  const started = await call(source, 'accounts:startLink', { personLabel: 'me', providerId: provider.id });
  const page = await browser.newPage();
  await signInAt(page, started.authorizeUrl, { login: 'me' });
  await page.close();
  expect(await linked).toMatchObject({ status: 'linked' });
}, 60_000);

afterAll(async () => {
  for (const domain of domains.splice(0)) await domain.close();
  for (const service of services) await clearKeychainService(service);
  await browser?.close();
  await oidc?.close();
  await emulator?.close();
  removeTempDirs();
});

describe('backing up through the channels', () => {
  it('asks where to save, says how it goes, records the verified backup, and Review lists values changed after it', async () => {
    expect(await reviewKinds(source)).toEqual(['STRIPE_KEY: No verified backup has been made on this computer: only it holds this value.']);
    expect(await ask(source, 'backup:lastVerified', {})).toEqual({ backup: null });

    const generated = await call(source, 'backup:generatePassphrase', {});
    passphrase = generated.passphrase;
    expect(passphrase.split('-').length).toBeGreaterThanOrEqual(6);
    expect(generated.bits).toBeGreaterThanOrEqual(60);

    // A cancelled Save dialog writes nothing and says so.
    cancelDialogs = true;
    expect(await ask(source, 'backup:create', { key: { passphrase }, includeRefreshTokens: false })).toEqual({ saved: false });
    expect(fs.readdirSync(folder)).toEqual([]);
    cancelDialogs = false;

    const phases: string[] = [];
    const stop = source.events.subscribe((event, payload) => {
      if (event === 'backup:progress') phases.push((payload as { phase: string }).phase);
    });
    const made = await ask(source, 'backup:create', { key: { passphrase }, includeRefreshTokens: true });
    stop();
    if (!made.saved) throw new Error('not saved');
    expect(path.dirname(made.receipt.file)).toBe(folder);
    expect(path.basename(made.receipt.file)).toMatch(/^agent-keyring-backup-\d{4}-\d{2}-\d{2}\.age$/);
    expect(made.receipt.counts.byKind).toMatchObject({ 'local-secret-value': 2, 'oauth-refresh-token': 1 });
    expect(phases).toEqual(expect.arrayContaining(['reading_keychain', 'deriving_key', 'writing', 'verifying']));
    expect(await ask(source, 'backup:lastVerified', {})).toEqual({
      backup: expect.objectContaining({ file: made.receipt.file, createdAt: made.receipt.createdAt }),
    });
    expect(await reviewKinds(source)).toEqual([]);

    // The printable sheet and the copy carry the passphrase on purpose; the copy goes to main's clipboard, not the reply.
    const sheet = await call(source, 'backup:recoverySheet', {
      secret: { passphrase },
      file: made.receipt.file,
      createdAt: made.receipt.createdAt,
      hostname: made.receipt.hostname,
    });
    expect(sheet.text).toContain(passphrase);
    expect(await ask(source, 'backup:copySecret', { secret: passphrase })).toEqual({ clearsAt: expect.any(Number) });
    expect(source.clipboard.read()).toBe(passphrase);

    // A value changed after the backup is listed again.
    await call(source, 'localSecrets:rotate', { id: stripeId, value: `${VALUES.stripe}-2` });
    expect(await reviewKinds(source)).toEqual([
      'STRIPE_KEY: Its value changed after the last verified backup: only this computer holds it.',
    ]);
    await call(source, 'localSecrets:restorePrevious', { id: stripeId });
  }, 30_000);

  it('verifies the chosen file, refusing a wrong passphrase with its own code', async () => {
    const { file } = await ask(source, 'backup:chooseFile', {});
    expect(file).toMatch(/agent-keyring-backup-.*\.age$/);
    const wrong = await callError(source, 'backup:verify', { file, key: { passphrase: 'wrong-horse-battery-staple-and-more' } });
    expect(wrong.code).toBe('backup_wrong_passphrase');
    const verified = await ask(source, 'backup:verify', { file: file!, key: { passphrase } });
    expect(verified).toMatchObject({ file, mode: 'passphrase', warnings: ['weak_work_factor'] });
    cancelDialogs = true;
    expect(await ask(source, 'backup:chooseFile', {})).toEqual({ file: null });
    cancelDialogs = false;
  });
});

describe('restoring through the channels', () => {
  it('plans first, then writes; the restored key is re-checked by a sync and the account with its refresh token is refreshed', async () => {
    const target = open({ clockAheadMs: AHEAD_MS });
    const { file } = await ask(target, 'backup:chooseFile', {});
    const plan = await ask(target, 'backup:readAndPlan', { file: file!, key: { passphrase } });
    expect(plan.actions).toMatchObject({ add: expect.any(Number), conflict: 0, only_here: 0 });
    expect(plan.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ what: 'Workspace', label: 'Production', action: 'add' }),
        expect.objectContaining({ what: 'Local secret', label: 'STRIPE_KEY', action: 'add', credentials: 2 }),
        expect.objectContaining({ what: 'Linked account', label: 'me · Acme SSO', action: 'add', note: null }),
      ]),
    );
    expect((await ask(target, 'workspaces:list', {})).workspaces).toEqual([]);

    const rechecked = nextEvent(target, 'sync:progress', (p) => (p as { phase: string }).phase === 'done');
    const refreshed = nextEvent(target, 'accounts:changed', () => true).then(async () => {
      // The first change is the restore itself; wait for the refresh's.
      for (;;) {
        const { accounts } = await ask(target, 'accounts:list', {});
        if (accounts[0]?.refreshedAt) return accounts[0];
        await nextEvent(target, 'accounts:changed', () => true);
      }
    });
    const result = await ask(target, 'backup:applyRestore', { planId: plan.id, mode: 'merge', confirmReplace: false });
    expect(result).toMatchObject({ needsReconnect: 0, safetyBackup: null });

    await rechecked;
    const { workspaces } = await ask(target, 'workspaces:list', {});
    expect(workspaces).toEqual([expect.objectContaining({ id: workspaceId, sync: expect.objectContaining({ status: 'ok' }) })]);
    expect(await refreshed).toMatchObject({ status: 'active', hasRefreshToken: true });
    expect((await call(target, 'localSecrets:reveal', { id: stripeId, version: 'current' })).value).toBe(VALUES.stripe);
  }, 30_000);

  it('replace is refused without its confirmation', async () => {
    const target = domains.at(-1)!;
    const { file } = await ask(target, 'backup:chooseFile', {});
    const plan = await ask(target, 'backup:readAndPlan', { file: file!, key: { passphrase } });
    const refused = await callError(target, 'backup:applyRestore', { planId: plan.id, mode: 'replace', confirmReplace: false });
    expect(refused).toMatchObject({ code: 'invalid_request', field: 'confirmReplace' });
  });

  it('no value, passphrase or token in any reply or event but the explicit ones, nor in the logs', () => {
    const canaries = [...Object.values(VALUES), CLIENT_SECRET, WORKSPACE_KEY, passphrase];
    for (const { what, text } of seen) for (const canary of canaries) expect(text.includes(canary), `${what} carries a secret`).toBe(false);
    for (const domain of domains) {
      const log = fs.readFileSync(domain.paths.log, 'utf8');
      for (const canary of canaries) expect(log.includes(canary), 'a secret in the log').toBe(false);
    }
  });
});
