import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import keytar from 'keytar';
import type { Locator, Page } from '@playwright/test';
import { signInAt } from '../test/support/oidc-login';
import { OIDC_CLIENT_ID } from '../test/support/oidc-server';
import { startProcess } from '../test/support/processes';
import {
  addWorkspace,
  expect,
  expectNoSeriousA11yViolations,
  startEmulator,
  startPreview,
  test,
  type AppFixture,
  type RunningProcess,
} from './fixtures';

// Linked accounts through the UI, against a real OpenID provider (oidc-provider, run as its own
// program) whose login and consent pages a second Playwright page fills in: the "system
// browser" the preview prints `browser-open <url>` for. Access tokens live 5 seconds, so the
// app refreshes them (rotating the refresh token) every few seconds while a test runs.

const WORKSPACE_KEY = 'sk_e2e_accounts_demo_0000000000001';
const PROVIDER = 'Local IdP';
let oidc: RunningProcess;
let emulator: RunningProcess;

test.beforeAll(async () => {
  oidc = await startProcess(['test/support/oidc-server.ts', '--port', '0', '--ttl', '5'], /listening on (http:\/\/127\.0\.0\.1:\d+)/);
  // The demo seed: GOOGLE_CALENDAR_TOKEN exists there, used by agents and tools.
  emulator = await startEmulator(['--seed', 'demo', '--key', WORKSPACE_KEY]);
});
test.afterAll(async () => {
  await oidc?.stop();
  await emulator?.stop();
});

// ---- helpers -----------------------------------------------------------------------------------

/** A workspace on the emulator, then the Linked accounts view by its shortcut. */
async function openAccounts(page: Page, app: AppFixture): Promise<void> {
  await app.open(page);
  const add = await addWorkspace(page, { name: 'Agents', baseUrl: emulator.url, apiKey: WORKSPACE_KEY });
  await expect(add).toBeHidden();
  await page.keyboard.press('Control+Shift+K');
  await expect(page.getByRole('heading', { name: 'Linked accounts', level: 1 })).toBeVisible();
}

/** Registers the local OpenID provider as a custom OAuth 2 provider, as a builder would. */
async function addLocalProvider(page: Page, options: { name?: string; tokenUrl?: string } = {}): Promise<void> {
  await page
    .getByRole('button', { name: /^Add (a )?provider…$/ })
    .first()
    .click();
  const dialog = page.getByRole('dialog', { name: 'Add a provider' });
  await dialog.getByLabel('Provider').selectOption('custom');
  // The exact redirect URI to register, before anything is saved.
  await expect(dialog.getByText('http://127.0.0.1/callback/custom', { exact: true })).toBeVisible();
  await dialog.getByLabel('Name').fill(options.name ?? PROVIDER);
  await dialog.getByLabel('Client ID').fill(OIDC_CLIENT_ID);
  await dialog.getByLabel('Authorize URL').fill(`${oidc.url}/auth`);
  await dialog.getByLabel('Token URL').fill(options.tokenUrl ?? `${oidc.url}/token`);
  await dialog.getByLabel('Revocation URL').fill(`${oidc.url}/token/revocation`);
  await dialog.getByLabel('Issuer').fill(oidc.url);
  await dialog.getByLabel('Scopes').fill('openid offline_access');
  await expect(dialog.getByLabel('Use PKCE (S256)')).toBeChecked();
  await dialog.getByRole('button', { name: 'Add provider' }).click();
  await expect(dialog).toBeHidden();
}

/** The URL the "system browser" was asked to open for the sign-in the dialog shows. */
async function openedUrl(app: AppFixture, dialog: Locator): Promise<string> {
  const shown = (await dialog.getByText(/^http:\/\/127\.0\.0\.1:\d+\/auth\?/).textContent())!;
  // waitFor searches everything printed since the start: match this flow's own URL.
  const escaped = shown.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return app.preview.waitFor(new RegExp(`browser-open (${escaped})(?:\\s|$)`));
}

/** Starts a sign-in from the Link dialog; returns the dialog and the URL the browser got. */
async function startLink(page: Page, app: AppFixture, person: string, provider = PROVIDER) {
  // The toolbar's button (the empty state has one too).
  await page.getByRole('button', { name: 'Link an account…' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Link an account' });
  await dialog.getByLabel('Person').fill(person);
  await dialog.getByLabel('Provider').selectOption({ label: provider });
  await dialog.getByRole('button', { name: 'Sign in in the browser' }).click();
  await expect(dialog.getByRole('status', { name: 'Sign-in status' })).toHaveText('Waiting for the sign-in…');
  return { dialog, url: await openedUrl(app, dialog) };
}

/**
 * Plays the person in a new page (the system browser), in a context of its own so each sign-in
 * starts at the login page; returns where the browser ended and its history.
 */
async function signInInBrowser(page: Page, url: string, login: string, cancel = false) {
  const context = await page.context().browser()!.newContext();
  const browser = await context.newPage();
  await signInAt(browser, url, { login, cancel });
  const cdp = await context.newCDPSession(browser);
  const history = (await cdp.send('Page.getNavigationHistory')).entries.map((entry) => entry.url);
  const finalUrl = browser.url();
  await context.close();
  return { history, finalUrl };
}

type Credential = { account: string; password: string };

/**
 * The app's database, read-only, for the names of the keychain entries it keeps. Entries are
 * read by name (keytar.getPassword): keytar.findCredentials crashes the process (libsecret
 * asserts) when the app deletes an entry during the call, which rotation does every few seconds.
 */
const databases = new Map<string, Database.Database>();
function databaseOf(app: { dataDir: string }): Database.Database {
  let db = databases.get(app.dataDir);
  if (!db) {
    db = new Database(path.join(app.dataDir, 'agent-keyring.sqlite'), { readonly: true, fileMustExist: true });
    databases.set(app.dataDir, db);
  }
  return db;
}

let keychainQueue: Promise<unknown> = Promise.resolve();
/** One keychain read at a time. */
function readEntry(service: string, account: string): Promise<string | null> {
  const read = keychainQueue.then(() => keytar.getPassword(service, account));
  keychainQueue = read.catch(() => undefined);
  return read;
}

/** The `oauth-…` entries SQLite names now (tokens of linked accounts, providers' client secrets), with their values. */
async function oauthEntries(app: AppFixture): Promise<Credential[]> {
  const db = databaseOf(app);
  const refs = [
    ...(db.prepare('SELECT access_token_ref AS ref FROM linked_accounts').all() as { ref: string }[]),
    ...(db.prepare('SELECT refresh_token_ref AS ref FROM linked_accounts WHERE refresh_token_ref IS NOT NULL').all() as { ref: string }[]),
    ...(db.prepare('SELECT client_secret_ref AS ref FROM oauth_providers WHERE client_secret_ref IS NOT NULL').all() as { ref: string }[]),
  ].map((row) => row.ref);
  const entries: Credential[] = [];
  for (const account of refs) {
    const password = await readEntry(app.keychainService, account);
    // Rotated out between the query and the read: the next look sees its successor.
    if (password !== null) entries.push({ account, password });
  }
  return entries;
}
const oauthTokens = async (app: AppFixture): Promise<Credential[]> =>
  (await oauthEntries(app)).filter((c) => /^oauth-(access|refresh)-token\//.test(c.account));
const ofKind = (credentials: Credential[], kind: 'access' | 'refresh') =>
  credentials.filter((c) => c.account.startsWith(`oauth-${kind}-token/`));

/** Every keychain entry and value under `oauth-…` the app kept while the test ran: the canaries. */
function sampleOAuthSecrets(app: AppFixture) {
  const seen = new Set<string>();
  const accounts = new Set<string>();
  let running = true;
  const loop = (async () => {
    while (running) {
      for (const c of await oauthEntries(app)) {
        seen.add(c.password);
        accounts.add(c.account);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  const sampler = {
    seen,
    accounts,
    stop: async () => {
      running = false;
      await loop;
    },
  };
  samplers.push(sampler);
  return sampler;
}
// Stopped (and the database closed) before the fixture clears the keychain, even when a test fails half-way.
const samplers: { stop(): Promise<void> }[] = [];
test.afterEach(async () => {
  for (const sampler of samplers.splice(0)) await sampler.stop();
  for (const db of databases.values()) db.close();
  databases.clear();
});

/** Lists the keychain entries of the run: only while no account is linked (nothing rotates). */
const oauthAccountsAtRest = async (app: AppFixture) => (await app.keychainAccounts()).filter((a) => a.startsWith('oauth-'));

/** Waits for the scheduler to rotate the refresh token; returns the new one, just stored. */
async function nextRotation(app: AppFixture): Promise<string> {
  const before = ofKind(await oauthTokens(app), 'refresh').map((c) => c.password);
  let rotated = '';
  await expect
    .poll(
      async () => {
        const now = ofKind(await oauthTokens(app), 'refresh');
        rotated = now.length === 1 && !before.includes(now[0]!.password) ? now[0]!.password : '';
        return rotated !== '';
      },
      { timeout: 20_000, intervals: [50] },
    )
    .toBe(true);
  return rotated;
}

async function patchCount(): Promise<number> {
  const stats = (await (await fetch(`${emulator.url}/_emulator/stats`)).json()) as { byRoute: Record<string, number> };
  return stats.byRoute['PATCH /v1/convai/secrets/{secret_id}'] ?? 0;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

async function clipboardHash(app: AppFixture): Promise<string | null> {
  const url = new URL(app.preview.url);
  const token = url.hash.replace(/^#token=/, '');
  const response = await fetch(`${url.origin}/__preview/clipboard`, { headers: { 'x-preview-token': token } });
  return ((await response.json()) as { sha256: string | null }).sha256;
}

/** A fact of an account card ("Last refresh", "Access token"…). */
const fact = (card: Locator, term: string) => card.locator(`dt:text-is("${term}") + dd`);

// ---- the acceptance journey --------------------------------------------------------------------

test('links alice through the browser, refreshes and rotates, feeds a bound workspace secret, copies variables, unlinks and revokes; no token leaks', async ({
  page,
  app,
}) => {
  test.setTimeout(240_000);
  const sampler = sampleOAuthSecrets(app);
  const clientSecretCanary = `client-secret-canary-${randomUUID()}`;
  const histories: string[] = [];

  await openAccounts(page, app);
  await expect(page.getByText('No linked accounts yet')).toBeVisible();

  await test.step('providers: a custom OpenID provider, and a Google one whose client secret is write-only', async () => {
    await addLocalProvider(page);
    const providers = page.getByRole('list', { name: 'Providers' });
    const local = providers.getByRole('listitem', { name: PROVIDER });
    await expect(local.getByText('http://127.0.0.1/callback/custom', { exact: true })).toBeVisible();
    await expect(local.getByRole('button', { name: 'Copy redirect URI' })).toBeVisible();

    await page.getByRole('button', { name: 'Add provider…' }).click();
    const add = page.getByRole('dialog', { name: 'Add a provider' });
    await expect(add.getByLabel('Provider')).toHaveValue('google');
    await expect(add.getByText('http://127.0.0.1/callback/google', { exact: true })).toBeVisible();
    await expect(add.getByText('Create a "Desktop app" OAuth client')).toBeVisible();
    await add.getByLabel('Client ID').fill('1234-desktop.apps.googleusercontent.com');
    // Google needs its secret: refused without it, kept in the keychain with it.
    await add.getByRole('button', { name: 'Add provider' }).click();
    await expect(add.getByText('Google needs the client secret of your OAuth app')).toBeVisible();
    await add.getByLabel('Client secret').fill(clientSecretCanary);
    await add.getByRole('button', { name: 'Add provider' }).click();
    await expect(add).toBeHidden();
    const google = providers.getByRole('listitem', { name: 'Google' });
    await expect(fact(google, 'Client secret')).toHaveText('Saved in the keychain');
    const stored = (await keytar.findCredentials(app.keychainService)).filter((c) => c.account.startsWith('oauth-client-secret/'));
    expect(stored.map((c) => c.password)).toEqual([clientSecretCanary]);

    // Editing never shows it: only that it is kept, and a way to replace it with an empty field.
    await google.getByRole('button', { name: 'Edit Google' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit Google' });
    await expect(edit.getByText('Saved in the keychain')).toBeVisible();
    await expect(edit.locator('input[type="password"]')).toHaveCount(0);
    await edit.getByRole('button', { name: 'Replace…' }).click();
    await expect(edit.getByLabel('Client secret')).toHaveValue('');
    await page.keyboard.press('Escape');
    await expect(edit).toBeHidden();

    // Removing it (after a confirmation) takes its secret out of the keychain.
    await google.getByRole('button', { name: 'Remove Google' }).click();
    const remove = page.getByRole('alertdialog', { name: 'Remove “Google”?' });
    await expect(remove).toContainText('its client secret from the system keychain');
    await remove.getByRole('button', { name: 'Remove provider' }).click();
    await expect(remove).toBeHidden();
    await expect(providers.getByRole('listitem', { name: 'Google' })).toHaveCount(0);
    expect(await oauthAccountsAtRest(app)).toEqual([]);
  });

  const card = page.getByRole('region', { name: 'alice' }).getByRole('listitem', { name: `alice · ${PROVIDER}` });

  await test.step('link alice: the browser opens the provider, the dialog follows the flow to "linked"', async () => {
    const { dialog, url } = await startLink(page, app, 'alice');
    await expect(dialog.getByText('Finish signing in to')).toBeVisible();
    await expect(dialog.getByRole('button', { name: 'Copy sign-in address' })).toBeVisible();
    const { history, finalUrl } = await signInInBrowser(page, url, 'alice');
    histories.push(...history, finalUrl);
    await expect(dialog.getByRole('status', { name: 'Sign-in status' })).toContainText(`Linked: alice · ${PROVIDER}.`);
    await dialog.getByRole('button', { name: 'Done' }).click();
    await expect(dialog).toBeHidden();
    await expect(card.getByText('Active')).toBeVisible();
    await expect(card.getByText('Signed in as alice')).toBeVisible();
    await expect(fact(card, 'Access token')).toHaveText(/^Expires in [1-5] s$|^Expired|^Expires now$/);
    // The browser ended on the app's clean page: no code in its address or history.
    expect(finalUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/done$/);
    for (const entry of history) expect(entry).not.toMatch(/[?&]code=/);
  });

  await test.step('tokens are in the keychain; SQLite holds their keychain names, scopes and expiry, and no token', async () => {
    const row = databaseOf(app)
      .prepare(
        `SELECT a.*, p.label FROM linked_accounts a JOIN people p ON p.id = a.person_id JOIN oauth_providers o ON o.id = a.provider_id
         WHERE o.name = ?`,
      )
      .get(PROVIDER) as {
      label: string;
      subject: string;
      scopes: string;
      access_token_ref: string;
      refresh_token_ref: string;
      issued_at: number;
      expires_at: number;
    };
    expect(row).toMatchObject({ label: 'alice', subject: 'alice' });
    expect(JSON.stringify(row.scopes)).toContain('openid');
    expect(row.expires_at - row.issued_at).toBe(5_000);
    // The row names keychain entries, which hold the tokens.
    expect(row.access_token_ref).toMatch(/^oauth-access-token\/[0-9a-f-]{36}$/);
    expect(row.refresh_token_ref).toMatch(/^oauth-refresh-token\/[0-9a-f-]{36}$/);
    const tokens = await oauthTokens(app);
    expect(new Set(tokens.map((c) => c.account.split('/')[0]))).toEqual(new Set(['oauth-access-token', 'oauth-refresh-token']));
    for (const token of tokens) expect(token.password.length).toBeGreaterThan(20);
    const databaseFile = path.join(app.dataDir, 'agent-keyring.sqlite');
    const content = ['', '-wal']
      .map((suffix) => `${databaseFile}${suffix}`)
      .filter((file) => fs.existsSync(file))
      .map((file) => fs.readFileSync(file).toString('latin1'))
      .join('');
    for (const token of [...sampler.seen, ...tokens.map((t) => t.password)])
      expect(content.includes(token), 'a token in the SQLite file').toBe(false);
  });

  await test.step('the 5-second token is refreshed by itself: the UI says so, the rotated refresh token is stored', async () => {
    const stored = ofKind(await oauthTokens(app), 'refresh')[0]!.password;
    const rotated = await nextRotation(app);
    expect(rotated).not.toBe(stored);
    await expect(fact(card, 'Last refresh')).toHaveText(/^(now|\d+ s ago)$/);
    await expect(fact(card, 'Next refresh')).toHaveText(/^Refreshing (in \d+ s|now)$/);
    // And on demand.
    await card.getByRole('button', { name: 'Refresh now' }).click();
    await expect(page.getByRole('status', { name: 'Notifications' })).toContainText(`Refreshed alice · ${PROVIDER}`);
  });

  await test.step('bind the token to a workspace secret: pushed, shown with who uses it, updated after each refresh', async () => {
    await card.getByRole('button', { name: 'Bind to a workspace secret…' }).click();
    const bind = page.getByRole('dialog', { name: `Bind alice · ${PROVIDER} to a workspace secret` });
    await expect(bind.getByLabel('Secret name')).toHaveValue('custom_token_alice');
    await bind.getByLabel('Secret name').fill('calendar token');
    await bind.getByRole('button', { name: 'Bind and push' }).click();
    await expect(bind.getByText("Secret name must start with a letter or '_'")).toBeVisible();
    // A secret the demo workspace's agents and tools already read: the binding takes it over.
    await bind.getByLabel('Secret name').fill('GOOGLE_CALENDAR_TOKEN');
    await expect(bind.getByRole('checkbox', { name: /Agents/ })).toBeChecked();
    await bind.getByRole('button', { name: 'Bind and push' }).click();
    await expect(bind).toBeHidden();
    const bindings = card.getByRole('list', { name: /^Workspace secrets holding the token/ });
    await expect(bindings.getByText('GOOGLE_CALENDAR_TOKEN', { exact: true })).toBeVisible();
    await expect(bindings.getByText(/^Used by .*check_calendar_availability \(tool\)/)).toBeVisible();
    await expect(bindings.getByText(/Front Desk Receptionist \(agent\)/)).toBeVisible();
    await expect(bindings.getByText(/^Up to date, pushed/)).toBeVisible();

    const before = await patchCount();
    await nextRotation(app);
    await expect.poll(patchCount, { timeout: 20_000 }).toBeGreaterThan(before);
  });

  await test.step('reconnect: a new sign-in for the same account keeps its binding', async () => {
    await card.getByRole('button', { name: 'Reconnect…' }).click();
    const dialog = page.getByRole('dialog', { name: `Reconnect alice · ${PROVIDER}` });
    await expect(dialog.getByLabel('Person')).toHaveValue('alice');
    await dialog.getByRole('button', { name: 'Sign in in the browser' }).click();
    const url = await openedUrl(app, dialog);
    const { history, finalUrl } = await signInInBrowser(page, url, 'alice');
    histories.push(...history, finalUrl);
    await expect(dialog.getByRole('status', { name: 'Sign-in status' })).toContainText(`Reconnected: alice · ${PROVIDER}.`);
    await dialog.getByRole('button', { name: 'Done' }).click();
    await expect(page.getByRole('region', { name: 'alice' }).getByRole('listitem', { name: /^alice · / })).toHaveCount(1);
    await expect(card.getByText('GOOGLE_CALENDAR_TOKEN', { exact: true })).toBeVisible();
  });

  await test.step('a provider with a linked account is not removed: the refusal says who', async () => {
    await page.getByRole('button', { name: `Remove ${PROVIDER}` }).click();
    const remove = page.getByRole('alertdialog', { name: `Remove “${PROVIDER}”?` });
    await remove.getByRole('button', { name: 'Remove provider' }).click();
    await expect(remove.getByRole('alert')).toContainText(`An account is linked through ${PROVIDER} (alice): unlink it first.`);
    await remove.getByRole('button', { name: 'Cancel' }).click();
  });

  await test.step('copy the dynamic variables: the preview shows "…", the clipboard gets the fresh token from main', async () => {
    await page.getByRole('button', { name: 'Dynamic variables of alice' }).click();
    const variables = page.getByRole('dialog', { name: 'Dynamic variables of alice' });
    await expect(variables.getByRole('list', { name: 'Variable names' })).toHaveText('secret__GOOGLE_CALENDAR_TOKEN');
    await expect(variables.getByRole('tabpanel')).toHaveText(JSON.stringify({ secret__GOOGLE_CALENDAR_TOKEN: '…' }, null, 2));
    await variables.getByRole('tab', { name: 'SDK snippet' }).click();
    await expect(variables.getByRole('tabpanel')).toContainText('Conversation.startSession');
    // Tokens that end within a minute (all of them, here) are refreshed before the copy.
    await variables.getByLabel('Refresh tokens that expire within').selectOption({ label: '1 minute' });
    await expect(async () => {
      await variables.getByRole('button', { name: 'Copy JSON' }).click();
      await expect(variables.getByRole('status', { name: 'Copy status' })).toContainText(/Clipboard clears in \d+ s\./, { timeout: 5_000 });
      const copied = await clipboardHash(app);
      const expected = ofKind(await oauthTokens(app), 'access').map((c) =>
        sha256(JSON.stringify({ secret__GOOGLE_CALENDAR_TOKEN: c.password }, null, 2)),
      );
      expect(expected).toContain(copied);
    }).toPass({ timeout: 30_000 });
    await variables.getByRole('button', { name: 'Copy snippet' }).click();
    await expect(variables.getByRole('status', { name: 'Copy status' })).toContainText('Copied as SDK snippet');
    await page.keyboard.press('Escape');
    await expect(variables).toBeHidden();
  });

  await test.step('unlink: after a confirmation, the tokens are revoked at the provider and gone from the keychain', async () => {
    await card.getByRole('button', { name: 'Unlink…' }).click();
    const confirm = page.getByRole('alertdialog', { name: `Unlink alice · ${PROVIDER}?` });
    await expect(confirm).toContainText(`revokes its access and refresh tokens at ${PROVIDER} and removes them from the system keychain`);
    await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
    // Confirm right after a rotation, so the refresh token read here is the one unlink revokes.
    const last = await nextRotation(app);
    await confirm.getByRole('button', { name: 'Unlink and revoke' }).click();
    await expect(page.getByRole('status', { name: 'Notifications' })).toContainText(
      `Unlinked alice · ${PROVIDER}: its tokens were revoked at ${PROVIDER} and removed from the keychain.`,
    );
    await expect(page.getByText('No linked accounts yet')).toBeVisible();
    expect(await oauthAccountsAtRest(app)).toEqual([]);
    const replay = await fetch(`${oidc.url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: last, client_id: OIDC_CLIENT_ID }),
    });
    expect(((await replay.json()) as { error: string }).error).toBe('invalid_grant');
  });

  await test.step('canary: no token or client secret in the data folder, the preview output, a WebSocket frame or the browser history', async () => {
    await sampler.stop();
    const canaries = [...sampler.seen];
    // Two sign-ins and many refreshes, each a new access and refresh token; and the client secret.
    expect(canaries.length).toBeGreaterThan(6);
    expect(canaries).toContain(clientSecretCanary);
    for (const file of fs.readdirSync(app.dataDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile())) {
      const content = fs.readFileSync(path.join(file.parentPath, file.name)).toString('latin1');
      for (const canary of canaries) expect(content.includes(canary), `a token in ${file.name}`).toBe(false);
    }
    const output = app.preview.output();
    expect(app.ipcFrames.length).toBeGreaterThan(20);
    for (const canary of canaries) {
      expect(output.includes(canary), 'a token in the preview output').toBe(false);
      for (const frame of app.ipcFrames) expect(frame.includes(canary), 'a token in a WebSocket frame').toBe(false);
      for (const entry of histories) expect(entry.includes(canary), 'a token in the browser history').toBe(false);
    }
  });
});

// ---- how else a sign-in ends -------------------------------------------------------------------

test('a sign-in cancelled at the consent page says access_denied; a failing token endpoint says why; Cancel closes the port', async ({
  page,
  app,
}) => {
  test.setTimeout(120_000);
  await openAccounts(page, app);
  await addLocalProvider(page);

  const { dialog, url } = await startLink(page, app, 'bob');
  await signInInBrowser(page, url, 'bob', true);
  await expect(dialog.getByRole('status', { name: 'Sign-in status' })).toContainText('Sign-in cancelled at the provider.');
  await expect(dialog.getByRole('status', { name: 'Sign-in status' })).toContainText(
    `The sign-in was cancelled at ${PROVIDER} (access_denied). Nothing was linked.`,
  );
  await expect(dialog.getByRole('button', { name: 'Try again' })).toBeFocused();
  expect(await oauthAccountsAtRest(app)).toEqual([]);
  // Try again: a new sign-in for the same person at the same provider, waiting in the browser.
  await dialog.getByRole('button', { name: 'Try again' }).click();
  await expect(dialog.getByRole('status', { name: 'Sign-in status' })).toHaveText('Waiting for the sign-in…');
  await expect(dialog.getByText(`Finish signing in to ${PROVIDER} as bob in your browser.`)).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel sign-in' }).click();
  await expect(dialog).toBeHidden();

  // A token endpoint that is not one: the sign-in succeeds, the exchange fails, nothing is linked.
  await addLocalProvider(page, { name: 'Broken IdP', tokenUrl: `${oidc.url}/no-token-here` });
  const broken = await startLink(page, app, 'bob', 'Broken IdP');
  await signInInBrowser(page, broken.url, 'bob');
  await expect(broken.dialog.getByRole('status', { name: 'Sign-in status' })).toContainText('Linking failed.');
  // What failed, where: the provider by its name, the token endpoint's host and its answer.
  await expect(broken.dialog.getByRole('status', { name: 'Sign-in status' })).toContainText(
    `Could not finish signing in to Broken IdP: the token endpoint at ${new URL(oidc.url).host} answered HTTP 404, which is not a token reply. Nothing was linked.`,
  );
  await expect(broken.dialog.getByRole('status', { name: 'Sign-in status' })).not.toContainText('Linked:');
  await broken.dialog.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByText('No linked accounts yet')).toBeVisible();

  // Cancel while waiting: main stops the flow and its loopback port closes.
  const waiting = await startLink(page, app, 'carol');
  const redirectUri = new URL(waiting.url).searchParams.get('redirect_uri')!;
  expect(
    await fetch(redirectUri).then(
      () => 'open',
      () => 'closed',
    ),
  ).toBe('open');
  await waiting.dialog.getByRole('button', { name: 'Cancel sign-in' }).click();
  await expect(waiting.dialog).toBeHidden();
  await expect
    .poll(() =>
      fetch(redirectUri).then(
        () => 'open',
        () => 'closed',
      ),
    )
    .toBe('closed');
  expect(await oauthAccountsAtRest(app)).toEqual([]);
});

test('a sign-in left waiting expires: the dialog says so and the port is closed', async ({ page }) => {
  test.setTimeout(90_000);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-keyring-e2e-'));
  const keychainService = `agent-keyring-e2e-${randomUUID()}`;
  const preview = await startPreview(dataDir, keychainService, ['--oauth-timeout', '3']);
  try {
    const app: AppFixture = {
      dataDir,
      keychainService,
      preview,
      ipcFrames: [],
      keychainAccounts: async () => (await keytar.findCredentials(keychainService)).map((c) => c.account),
      open: async (target) => void (await target.goto(preview.url)),
    };
    await openAccounts(page, app);
    await addLocalProvider(page);
    const { dialog, url } = await startLink(page, app, 'dave');
    await expect(dialog.getByText(/Agent Keyring stops waiting in 0:0[0-3]/)).toBeVisible();
    await expect(dialog.getByRole('status', { name: 'Sign-in status' })).toContainText('The sign-in expired.', { timeout: 10_000 });
    await expect(dialog.getByRole('status', { name: 'Sign-in status' })).toContainText('its port is closed');
    const redirectUri = new URL(url).searchParams.get('redirect_uri')!;
    expect(
      await fetch(redirectUri).then(
        () => 'open',
        () => 'closed',
      ),
    ).toBe('closed');
  } finally {
    await preview.stop();
    for (const { account } of await keytar.findCredentials(keychainService)) await keytar.deletePassword(keychainService, account);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

// ---- accessibility -----------------------------------------------------------------------------

for (const colorScheme of ['light', 'dark'] as const) {
  test(`the Linked accounts view and each of its dialogs pass axe, ${colorScheme} theme`, async ({ page, app }) => {
    test.setTimeout(180_000);
    await page.emulateMedia({ colorScheme });
    await openAccounts(page, app);
    await expectNoSeriousA11yViolations(page, 'accounts, empty');

    await page.getByRole('button', { name: 'Add a provider…' }).click();
    const add = page.getByRole('dialog', { name: 'Add a provider' });
    await add.getByLabel('Provider').selectOption('custom');
    await add.getByRole('button', { name: 'Add provider' }).click();
    await expect(add.getByText('Name must not be empty.')).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'add provider dialog, with errors');
    await page.keyboard.press('Escape');
    await addLocalProvider(page);

    const { dialog, url } = await startLink(page, app, 'alice');
    await expectNoSeriousA11yViolations(page, 'link dialog, waiting');
    await signInInBrowser(page, url, 'alice');
    await expect(dialog.getByRole('status', { name: 'Sign-in status' })).toContainText('Linked:');
    await expectNoSeriousA11yViolations(page, 'link dialog, linked');
    await dialog.getByRole('button', { name: 'Done' }).click();

    await page.getByRole('button', { name: 'Link another account for alice' }).click();
    const again = page.getByRole('dialog', { name: 'Link an account' });
    await expect(again.getByLabel('Person')).toHaveValue('alice');
    await expectNoSeriousA11yViolations(page, 'link dialog, form');
    await again.getByLabel('Provider').selectOption({ label: PROVIDER });
    await again.getByRole('button', { name: 'Sign in in the browser' }).click();
    await signInInBrowser(page, await openedUrl(app, again), 'alice', true);
    await expect(again.getByRole('status', { name: 'Sign-in status' })).toContainText('access_denied');
    await expectNoSeriousA11yViolations(page, 'link dialog, cancelled at the provider');
    await page.keyboard.press('Escape');

    const card = page.getByRole('listitem', { name: `alice · ${PROVIDER}` });
    await card.getByRole('button', { name: 'Bind to a workspace secret…' }).click();
    const bind = page.getByRole('dialog', { name: /^Bind alice/ });
    await bind.getByLabel('Secret name').fill('');
    await bind.getByRole('checkbox', { name: /Agents/ }).uncheck();
    await bind.getByRole('button', { name: 'Bind and push' }).click();
    await expect(bind.getByText('Choose at least one workspace.')).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'bind dialog, with errors');
    await bind.getByLabel('Secret name').fill('google_token_alice');
    await bind.getByRole('checkbox', { name: /Agents/ }).check();
    await bind.getByRole('button', { name: 'Bind and push' }).click();
    await expect(bind).toBeHidden();
    await expect(card.getByText(/^Up to date, pushed/)).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'accounts, a linked account with a binding');

    await page.getByRole('button', { name: 'Dynamic variables of alice' }).click();
    const variables = page.getByRole('dialog', { name: 'Dynamic variables of alice' });
    await variables.getByRole('button', { name: 'Copy JSON' }).click();
    await expect(variables.getByRole('status', { name: 'Copy status' })).toContainText('Clipboard clears in');
    await expectNoSeriousA11yViolations(page, 'dynamic variables dialog, copied');
    await page.keyboard.press('Escape');

    await card.getByRole('button', { name: 'Unlink…' }).click();
    await expectNoSeriousA11yViolations(page, 'unlink dialog');
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: `Edit ${PROVIDER}` }).click();
    await expectNoSeriousA11yViolations(page, 'edit provider dialog');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: `Remove ${PROVIDER}` }).click();
    const remove = page.getByRole('alertdialog');
    await remove.getByRole('button', { name: 'Remove provider' }).click();
    await expect(remove.getByRole('alert')).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'remove provider dialog, refused');
    await page.keyboard.press('Escape');
  });
}
