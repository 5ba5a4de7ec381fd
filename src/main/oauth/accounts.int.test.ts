import fs from 'node:fs';
import { chromium, type Browser } from '@playwright/test';
import keytar from 'keytar';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LinkFlowEvent } from '../../shared/schemas/accounts';
import type { Domain } from '../app/composition';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import {
  buildDomain,
  call,
  callError,
  clearKeychainService,
  filesUnder,
  keychainAccounts,
  removeTempDirs,
  testKeychainService,
} from '../../../test/support/harness';
import { OIDC_CLIENT_ID, OIDC_CONFIDENTIAL_CLIENT_ID, startOidcServer, type RunningOidc } from '../../../test/support/oidc-server';
import { signInAt } from '../../../test/support/oidc-login';

// Linked accounts end to end in the domain: a real OpenID provider (oidc-provider) whose login
// and consent pages a real Chromium fills in as the person would, the real keychain, the loopback
// redirect on a real port, and the emulator for bound workspace secrets.

const keychainService = testKeychainService();
let oidc: RunningOidc;
let browser: Browser;
let emulator: RunningEmulator;
const domains: Domain[] = [];
const WORKSPACE_KEY = 'sk_accounts_workspace_01';

const CLIENT_SECRET = `client-secret-canary-${Date.now()}`;

beforeAll(async () => {
  oidc = await startOidcServer({ accessTokenTtl: 5, confidentialSecret: CLIENT_SECRET });
  emulator = await startEmulator({ keys: [{ key: WORKSPACE_KEY, seed: 'empty' }] });
  browser = await chromium.launch({
    executablePath: fs.existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-gpu'],
  });
});
afterEach(async () => {
  for (const domain of domains.splice(0)) await domain.close();
  await clearKeychainService(keychainService);
});
afterAll(async () => {
  await browser.close();
  await oidc.close();
  await emulator.close();
  removeTempDirs();
});

/** A domain whose "system browser" is recorded, for Chromium to open. */
function setup(options: Parameters<typeof buildDomain>[0] = {}) {
  const opened: string[] = [];
  const domain = buildDomain({ keychainService, browser: { open: async (url) => void opened.push(url) }, ...options });
  domains.push(domain);
  const events = <T>(name: string, match: (payload: T) => boolean) =>
    new Promise<T>((resolve) => {
      const stop = domain.events.subscribe((event, payload) => {
        if (event === name && match(payload as T)) {
          stop();
          resolve(payload as T);
        }
      });
    });
  return { domain, opened, events };
}

async function saveProvider(domain: Domain) {
  return call(domain, 'accounts:saveProvider', {
    kind: 'custom',
    name: 'Local IdP',
    clientId: OIDC_CLIENT_ID,
    authorizeUrl: `${oidc.issuer}/auth`,
    tokenUrl: `${oidc.issuer}/token`,
    revokeUrl: `${oidc.issuer}/token/revocation`,
    issuer: oidc.issuer,
    scopes: ['openid', 'offline_access'],
    pkce: true,
  });
}

/** Links an account for `person`, playing the person in Chromium. */
async function link(
  env: ReturnType<typeof setup>,
  providerId: string,
  person: string,
  options: { cancel?: boolean; accountId?: string } = {},
) {
  const outcome = env.events<LinkFlowEvent>('accounts:flow', (e) => ['linked', 'failed', 'expired', 'cancelled'].includes(e.status));
  const started = await call(env.domain, 'accounts:startLink', {
    personLabel: person,
    providerId,
    ...(options.accountId ? { accountId: options.accountId } : {}),
  });
  expect(env.opened.at(-1)).toBe(started.authorizeUrl);
  const page = await browser.newPage();
  await signInAt(page, started.authorizeUrl, { login: person, cancel: options.cancel });
  const finalUrl = page.url();
  await page.close();
  return { started, event: await outcome, finalUrl };
}

const reviewKinds = async (domain: Domain) =>
  (await call(domain, 'review:list', { rotationDays: 90 })).items.filter((i) => i.linkedAccountId).map((i) => `${i.kind} ${i.name}`);

const tokenEntries = async () => (await keychainAccounts(keychainService)).filter((a) => a.startsWith('oauth-'));
const read = (account: string) => keytar.getPassword(keychainService, account);

describe('linked accounts', () => {
  it('links, keeps tokens in the keychain, refreshes with rotation, feeds a bound secret, copies variables, unlinks and revokes', async () => {
    const env = setup();
    const { domain } = env;
    const provider = await saveProvider(domain);
    expect(provider.redirectUri).toBe('http://127.0.0.1/callback/custom');
    const { event, started, finalUrl } = await link(env, provider.id, 'alice');
    expect(event).toMatchObject({ status: 'linked', problem: null });
    expect(started.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback\/custom$/);
    // The browser ends on a clean page: the code is not in its address (or history).
    expect(finalUrl).not.toMatch(/code=/);

    let [account] = (await call(domain, 'accounts:list', {})).accounts;
    expect(account).toMatchObject({
      personLabel: 'alice',
      subject: 'alice',
      status: 'active',
      hasRefreshToken: true,
      scopes: expect.arrayContaining(['openid']),
    });
    expect(account!.expiresAt! - Date.now()).toBeLessThanOrEqual(5_000);
    const firstEntries = await tokenEntries();
    expect(firstEntries.map((a) => a.split('/')[0]).sort()).toEqual(['oauth-access-token', 'oauth-refresh-token']);
    const firstRefresh = (await read(firstEntries.find((a) => a.startsWith('oauth-refresh-token/'))!))!;
    const firstAccess = (await read(firstEntries.find((a) => a.startsWith('oauth-access-token/'))!))!;
    const database =
      fs.readFileSync(domain.paths.database).toString('latin1') + fs.readFileSync(`${domain.paths.database}-wal`).toString('latin1');
    expect(database).not.toContain(firstRefresh);
    expect(database).not.toContain(firstAccess);

    // Bind it to a workspace secret: pushed now, and again after every refresh.
    const added = await call(domain, 'workspaces:add', {
      label: 'Agents',
      residency: 'custom',
      baseUrl: emulator.url,
      apiKey: WORKSPACE_KEY,
    });
    if (added.outcome !== 'saved') throw new Error(added.outcome);
    await call(domain, 'inventory:sync', { workspaceIds: [] });
    expect(await reviewKinds(domain)).toEqual(['account_unbound alice · Local IdP']);
    await call(domain, 'accounts:bind', { accountId: account!.id, secretName: 'idp_token_alice', workspaceIds: [added.workspace.id] });
    expect(emulator.secretsOf(WORKSPACE_KEY)).toMatchObject([{ name: 'idp_token_alice', valueLength: firstAccess.length }]);
    expect(await reviewKinds(domain)).toEqual([]);
    const patchesBefore = emulator.stats().byRoute['PATCH /v1/convai/secrets/{secret_id}'] ?? 0;

    // The scheduler refreshes the 5-second token by itself, rotating the refresh token.
    const refreshed = env.events(
      'accounts:changed',
      () => (domain.db.prepare('SELECT refreshed_at FROM linked_accounts').get() as { refreshed_at: number | null }).refreshed_at !== null,
    );
    await refreshed;
    await env.events('push:progress', (p: { item: { status: string } }) => p.item.status === 'done');
    [account] = (await call(domain, 'accounts:list', {})).accounts;
    expect(account!.refreshedAt).not.toBeNull();
    const entries = await tokenEntries();
    expect(entries).toHaveLength(2);
    const newRefresh = (await read(entries.find((a) => a.startsWith('oauth-refresh-token/'))!))!;
    expect(newRefresh).not.toBe(firstRefresh);
    expect(oidc.counts.refresh_token).toBeGreaterThanOrEqual(1);
    expect((emulator.stats().byRoute['PATCH /v1/convai/secrets/{secret_id}'] ?? 0) - patchesBefore).toBeGreaterThanOrEqual(1);

    // The dynamic variables: shown without tokens, copied (from main) with fresh ones, as JSON and as a snippet.
    const shown = await call(domain, 'accounts:dynamicVariables', { personId: account!.personId });
    expect(shown).toMatchObject({ names: ['secret__idp_token_alice'], skipped: [] });
    expect(JSON.parse(shown.json)).toEqual({ secret__idp_token_alice: '…' });
    const personId = account!.personId;
    const copied = await call(domain, 'accounts:copyDynamicVariables', { personId, format: 'json', marginSeconds: 4 });
    expect(copied.clearsAt).toBeGreaterThan(Date.now());
    const currentAccess = (await read((await tokenEntries()).find((a) => a.startsWith('oauth-access-token/'))!))!;
    expect(JSON.parse(domain.clipboard.read())).toEqual({ secret__idp_token_alice: currentAccess });
    await call(domain, 'accounts:copyDynamicVariables', { personId, format: 'snippet', marginSeconds: 0 });
    expect(domain.clipboard.read()).toContain('Conversation.startSession');
    expect(domain.clipboard.read()).toContain(`"secret__idp_token_alice": "${currentAccess}"`);

    // A provider with linked accounts cannot be removed; the refusal names who is linked.
    expect(await callError(domain, 'accounts:removeProvider', { providerId: provider.id })).toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('(alice): unlink it first'),
    });

    // Unlink: revoked at the provider, gone from the keychain, the bound local secret with it.
    const revokedBefore = oidc.counts.revoked;
    expect(await call(domain, 'accounts:unlink', { accountId: account!.id })).toMatchObject({ revoked: true });
    expect(oidc.counts.revoked).toBeGreaterThan(revokedBefore);
    expect(await tokenEntries()).toEqual([]);
    expect((await call(domain, 'localSecrets:list', { query: '', tag: null })).secrets).toEqual([]);
    const replay = await fetch(`${oidc.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: newRefresh, client_id: OIDC_CLIENT_ID }),
    });
    expect(((await replay.json()) as { error: string }).error).toBe('invalid_grant');
    const activity = (
      await call(domain, 'activity:list', { workspaceId: null, action: null, result: null, query: 'alice', offset: 0, limit: 50 })
    ).entries.map((e) => e.action);
    expect(activity).toEqual(expect.arrayContaining(['link', 'refresh', 'unlink']));
  });

  it('says access_denied when the person cancels at the consent page', async () => {
    const env = setup();
    const provider = await saveProvider(env.domain);
    const { event } = await link(env, provider.id, 'bob', { cancel: true });
    expect(event).toMatchObject({
      status: 'failed',
      problem: { code: 'cancelled', message: expect.stringMatching(/cancelled at Local IdP \(access_denied\)/) },
    });
    expect(await tokenEntries()).toEqual([]);
  });

  it('sends one refresh request for two refreshes at once, and a reused refresh token means "reconnect", not a crash', async () => {
    const env = setup();
    const provider = await saveProvider(env.domain);
    await link(env, provider.id, 'carol');
    const [account] = (await call(env.domain, 'accounts:list', {})).accounts;
    const before = oidc.counts.refresh_token;
    await Promise.all([
      call(env.domain, 'accounts:refresh', { accountId: account!.id }),
      call(env.domain, 'accounts:refresh', { accountId: account!.id }),
    ]);
    expect(oidc.counts.refresh_token - before).toBe(1);

    // Someone replays a rotated-out refresh token: the provider revokes the grant (RFC 9700 §4.14.2).
    const refreshAccount = (await tokenEntries()).find((a) => a.startsWith('oauth-refresh-token/'))!;
    const current = (await read(refreshAccount))!;
    await call(env.domain, 'accounts:refresh', { accountId: account!.id });
    const rotatedOut = current;
    await fetch(`${oidc.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: rotatedOut, client_id: OIDC_CLIENT_ID }),
    });
    const after = await call(env.domain, 'accounts:refresh', { accountId: account!.id });
    expect(after).toMatchObject({ status: 'needs_reconnect', problem: { message: expect.stringMatching(/Reconnect the account/) } });
    expect(after.nextRefreshAt).toBeNull();
    expect(await reviewKinds(env.domain)).toContain('account_needs_reconnect carol · Local IdP');

    // Reconnect: the same account, signed in again, healthy, and said so in the activity log.
    const again = await link(env, provider.id, 'carol', { accountId: account!.id });
    expect(again.event).toMatchObject({ status: 'linked', accountId: account!.id });
    const [reconnected] = (await call(env.domain, 'accounts:list', {})).accounts;
    expect(reconnected).toMatchObject({ id: account!.id, status: 'active', problem: null });
    expect(await reviewKinds(env.domain)).not.toContain('account_needs_reconnect carol · Local IdP');
    const activity = (
      await call(env.domain, 'activity:list', { workspaceId: null, action: null, result: null, query: 'carol', offset: 0, limit: 50 })
    ).entries.map((e) => `${e.action} ${e.result}`);
    expect(activity).toEqual(expect.arrayContaining(['link ok', 'refresh ok', 'refresh failed', 'reconnect ok']));
  });

  it('retries with back-off while the provider is down, then recovers', async () => {
    const env = setup();
    const provider = await saveProvider(env.domain);
    await link(env, provider.id, 'dave');
    const [account] = (await call(env.domain, 'accounts:list', {})).accounts;
    await oidc.stop();
    try {
      const failing = await call(env.domain, 'accounts:refresh', { accountId: account!.id });
      expect(failing.status).toBe('refresh_failing');
      expect(failing.nextRefreshAt! - Date.now()).toBeGreaterThan(5_000);
      expect(failing.nextRefreshAt! - Date.now()).toBeLessThanOrEqual(10_000);
      const again = await call(env.domain, 'accounts:refresh', { accountId: account!.id });
      // The wait doubles.
      expect(again.nextRefreshAt! - Date.now()).toBeGreaterThan(15_000);
      expect(await reviewKinds(env.domain)).toContain('account_refresh_failing dave · Local IdP');
    } finally {
      await oidc.restart();
    }
    const recovered = await call(env.domain, 'accounts:refresh', { accountId: account!.id });
    expect(recovered).toMatchObject({ status: 'active', problem: null });
  });

  it('lists an account whose token cannot be refreshed as expiring', async () => {
    const env = setup();
    // Without offline_access the provider issues no refresh token.
    const provider = await call(env.domain, 'accounts:saveProvider', {
      kind: 'custom',
      name: 'Short IdP',
      clientId: OIDC_CLIENT_ID,
      authorizeUrl: `${oidc.issuer}/auth`,
      tokenUrl: `${oidc.issuer}/token`,
      revokeUrl: null,
      issuer: oidc.issuer,
      scopes: ['openid'],
      pkce: true,
    });
    await link(env, provider.id, 'frank');
    const [account] = (await call(env.domain, 'accounts:list', {})).accounts;
    expect(account).toMatchObject({ hasRefreshToken: false, nextRefreshAt: null });
    expect(await reviewKinds(env.domain)).toEqual(['account_expiring frank · Short IdP', 'account_unbound frank · Short IdP']);
  });

  it('keeps canary tokens and client secrets out of every file, log, output and reply; only the clipboard gets them', async () => {
    const env = setup();
    const { domain } = env;
    const seen: string[] = [];
    domain.events.subscribe((event, payload) => seen.push(JSON.stringify({ event, payload })));
    const clientSecret = CLIENT_SECRET;
    const provider = await call(domain, 'accounts:saveProvider', {
      kind: 'custom',
      name: 'Local IdP',
      clientId: OIDC_CONFIDENTIAL_CLIENT_ID,
      clientSecret,
      authorizeUrl: `${oidc.issuer}/auth`,
      tokenUrl: `${oidc.issuer}/token`,
      revokeUrl: `${oidc.issuer}/token/revocation`,
      issuer: oidc.issuer,
      scopes: ['openid', 'offline_access'],
      pkce: true,
    });
    seen.push(JSON.stringify(provider));
    await link(env, provider.id, 'erin');
    const [account] = (await call(domain, 'accounts:list', {})).accounts;
    seen.push(JSON.stringify(await call(domain, 'accounts:refresh', { accountId: account!.id })));
    seen.push(JSON.stringify(await call(domain, 'accounts:list', {})));
    const tokens = await Promise.all((await tokenEntries()).map((entry) => read(entry)));
    expect(tokens.every(Boolean)).toBe(true);
    seen.push(JSON.stringify(await call(domain, 'accounts:dynamicVariables', { personId: account!.personId })));
    seen.push(
      JSON.stringify(
        await call(domain, 'accounts:copyDynamicVariables', { personId: account!.personId, format: 'json', marginSeconds: 0 }),
      ),
    );
    expect(tokens.some((token) => domain.clipboard.read().includes(token!))).toBe(true);
    seen.push(
      JSON.stringify(await callError(domain, 'accounts:bind', { accountId: account!.id, secretName: 'bad name', workspaceIds: ['x'] })),
    );
    await call(domain, 'accounts:unlink', { accountId: account!.id });
    // Removing the provider takes its client secret out of the keychain.
    expect((await keychainAccounts(keychainService)).filter((a) => a.startsWith('oauth-client-secret/'))).toHaveLength(1);
    await call(domain, 'accounts:removeProvider', { providerId: provider.id });
    expect(await keychainAccounts(keychainService)).toEqual([]);
    await domain.close();
    domains.splice(domains.indexOf(domain), 1);
    const secrets = [clientSecret, ...(tokens as string[])];
    for (const file of filesUnder(domain.paths.dataDir)) {
      const content = fs.readFileSync(file).toString('latin1');
      for (const secret of secrets) expect(content.includes(secret), `a token in ${file}`).toBe(false);
    }
    for (const message of seen) for (const secret of secrets) expect(message.includes(secret), 'a token in a reply or event').toBe(false);
  });
});
