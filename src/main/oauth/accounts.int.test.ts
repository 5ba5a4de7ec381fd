import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
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
  // The loopback's clean page, as the person reads it once it has loaded.
  const pageText = (await page.locator('body').innerText()).replace(/\s+/g, ' ');
  await page.close();
  return { started, event: await outcome, finalUrl, pageText };
}

/** A custom provider signing in at the real OpenID provider, with some of its settings replaced. */
async function saveAcme(domain: Domain, settings: { tokenUrl?: string; issuer?: string; port?: number | null } = {}) {
  return call(domain, 'accounts:saveProvider', {
    kind: 'custom',
    name: 'Acme SSO',
    clientId: OIDC_CLIENT_ID,
    authorizeUrl: `${oidc.issuer}/auth`,
    tokenUrl: settings.tokenUrl ?? `${oidc.issuer}/token`,
    revokeUrl: null,
    issuer: settings.issuer ?? oidc.issuer,
    scopes: ['openid', 'offline_access'],
    pkce: true,
    ...(settings.port === undefined ? {} : { port: settings.port }),
  });
}

/** A local server standing in for a token endpoint that misbehaves; counts what it was sent. */
async function hostileTokenEndpoint(answer: (response: http.ServerResponse) => void) {
  let requests = 0;
  const server = http.createServer((request, response) => {
    requests += 1;
    request.resume();
    request.on('end', () => answer(response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/token`,
    host: `127.0.0.1:${port}`,
    requests: () => requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A port nothing listens on right now (the OS's pick, released). */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
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
      // The provider by its name, the endpoint and what happened; when it is retried is the schedule's to say.
      expect(failing.problem).toEqual({
        code: 'unreachable',
        // Refused, or a kept-alive connection closed under the request: either is what happened.
        message: expect.stringMatching(
          new RegExp(
            `^Could not refresh the token from Local IdP: the token endpoint at ${new URL(oidc.issuer).host} (could not be reached \\(the connection was refused\\)|closed the connection without answering)\\.$`,
          ),
        ),
      });
      expect(failing.nextRefreshAt! - Date.now()).toBeGreaterThan(5_000);
      expect(failing.nextRefreshAt! - Date.now()).toBeLessThanOrEqual(10_000);
      const again = await call(env.domain, 'accounts:refresh', { accountId: account!.id });
      // The wait doubles.
      expect(again.nextRefreshAt! - Date.now()).toBeGreaterThan(15_000);
      expect(await reviewKinds(env.domain)).toContain('account_refresh_failing dave · Local IdP');
      // Review says what failed and when the next try is, as it is.
      const item = (await call(env.domain, 'review:list', { rotationDays: 90 })).items.find((i) => i.kind === 'account_refresh_failing');
      expect(item!.detail).toMatch(
        /^2 refreshes failed; the next try is in (19|20) s\. Could not refresh the token from Local IdP: the token endpoint at 127\.0\.0\.1:\d+ /,
      );
    } finally {
      await oidc.restart();
    }
    const recovered = await call(env.domain, 'accounts:refresh', { accountId: account!.id });
    expect(recovered).toMatchObject({ status: 'active', problem: null });
  });

  it('a token endpoint answering 500: the browser is not told "Signed in", the app names the provider, the endpoint and its host, and promises no retry', async () => {
    const failing = await hostileTokenEndpoint((response) => {
      response.writeHead(500, { 'content-type': 'text/html' });
      response.end('<h1>Internal Server Error</h1>');
    });
    try {
      const env = setup();
      const provider = await saveAcme(env.domain, { tokenUrl: failing.url });
      const { event, pageText } = await link(env, provider.id, 'gina');
      expect(failing.requests()).toBe(1);
      expect(event).toMatchObject({
        status: 'failed',
        problem: {
          code: 'server_error',
          message: `Could not finish signing in to Acme SSO: the token endpoint at ${failing.host} answered HTTP 500 (a server error). Nothing was linked.`,
        },
      });
      expect(event.problem!.message).not.toMatch(/Custom|try again|bug/i);
      expect(pageText).toContain('Sign-in could not be completed');
      expect(pageText).toContain('The sign-in to Acme SSO could not be completed, and nothing was linked. Return to Agent Keyring');
      expect(pageText).not.toContain('Signed in');
      expect(await tokenEntries()).toEqual([]);
      const activity = await call(env.domain, 'activity:list', {
        workspaceId: null,
        action: null,
        result: null,
        query: 'gina',
        offset: 0,
        limit: 10,
      });
      expect(activity.entries[0]).toMatchObject({ action: 'link', result: 'failed', detail: event.problem!.message });
    } finally {
      await failing.close();
    }
  });

  it('a token endpoint that answers a web page, or cannot be reached, is said as such', async () => {
    const webPage = await hostileTokenEndpoint((response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end('<html>Welcome to Acme</html>');
    });
    const env = setup();
    try {
      const provider = await saveAcme(env.domain, { tokenUrl: webPage.url });
      const { event } = await link(env, provider.id, 'hana');
      expect(event.problem).toEqual({
        code: 'unexpected_response',
        message: `Could not finish signing in to Acme SSO: the token endpoint at ${webPage.host} answered something that is not a token reply (HTTP 200, text/html). Nothing was linked.`,
      });
    } finally {
      await webPage.close();
    }
    const port = await freePort();
    const provider = await saveAcme(env.domain, { tokenUrl: `http://127.0.0.1:${port}/token` });
    const { event, pageText } = await link(env, provider.id, 'hana');
    expect(event.problem).toEqual({
      code: 'unreachable',
      message: `Could not finish signing in to Acme SSO: the token endpoint at 127.0.0.1:${port} could not be reached (the connection was refused). Nothing was linked.`,
    });
    expect(pageText).not.toContain('Signed in');
  });

  it('refuses a sign-in reply whose iss names another issuer, as a possible mix-up attack, without using its code', async () => {
    const env = setup();
    // The OpenID provider names itself in `iss`; Acme SSO is configured with another issuer.
    const provider = await saveAcme(env.domain, { issuer: 'https://idp.acme.test' });
    const exchanges = oidc.counts.authorization_code;
    const { event, pageText } = await link(env, provider.id, 'ivan');
    expect(event).toMatchObject({ status: 'failed', problem: { code: 'issuer_mismatch' } });
    expect(event.problem!.message).toBe(
      `Refused the sign-in reply: it says it comes from the issuer at ${new URL(oidc.issuer).host}, not from https://idp.acme.test, the issuer configured for Acme SSO. This can be a mix-up attack (another server answering for Acme SSO), so its code was not used. Nothing was linked.`,
    );
    expect(event.problem!.message).not.toMatch(/bug/i);
    expect(oidc.counts.authorization_code).toBe(exchanges);
    expect(pageText).toContain('could not be completed');
    expect(await tokenEntries()).toEqual([]);
  });

  it('signs in on a fixed port exactly, starts again on it at once, and names the port when another program holds it', async () => {
    const env = setup();
    const port = await freePort();
    const provider = await saveAcme(env.domain, { port });
    expect(provider).toMatchObject({ port, fixedPorts: [port], redirectUri: `http://127.0.0.1:${port}/callback/custom` });
    expect((await call(env.domain, 'accounts:list', {})).providers[0]).toMatchObject({ port });
    const { event, started, pageText } = await link(env, provider.id, 'jade');
    expect(started.redirectUri).toBe(`http://127.0.0.1:${port}/callback/custom`);
    expect(event.status).toBe('linked');
    expect(pageText).toContain('Signed in to Acme SSO You can close this tab');
    // The page of that sign-in may still be up; a new one on the same port starts anyway.
    const again = await call(env.domain, 'accounts:startLink', { personLabel: 'jade', providerId: provider.id });
    expect(again.redirectUri).toBe(`http://127.0.0.1:${port}/callback/custom`);
    await call(env.domain, 'accounts:cancelLink', {});

    // Editing without a port keeps it; null goes back to any free port.
    const kept = await call(env.domain, 'accounts:saveProvider', {
      id: provider.id,
      kind: 'custom',
      name: 'Acme SSO',
      clientId: OIDC_CLIENT_ID,
      authorizeUrl: `${oidc.issuer}/auth`,
      tokenUrl: `${oidc.issuer}/token`,
    });
    expect(kept.port).toBe(port);

    const holder = net.createServer();
    await new Promise<void>((resolve, reject) => holder.once('error', reject).listen(port, '127.0.0.1', resolve));
    try {
      expect(await callError(env.domain, 'accounts:startLink', { personLabel: 'jade', providerId: provider.id })).toMatchObject({
        code: 'conflict',
        message: expect.stringContaining(`Port ${port}, the fixed port of Acme SSO's redirect URI, is in use by another program`),
      });
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
    expect(
      await callError(env.domain, 'accounts:saveProvider', {
        kind: 'custom',
        name: 'Acme SSO',
        clientId: OIDC_CLIENT_ID,
        authorizeUrl: `${oidc.issuer}/auth`,
        tokenUrl: `${oidc.issuer}/token`,
        port: 80,
      }),
    ).toMatchObject({
      code: 'invalid_request',
      field: 'port',
    });
    expect((await saveAcme(env.domain, { port: null })).redirectUri).toBe('http://127.0.0.1/callback/custom');
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
