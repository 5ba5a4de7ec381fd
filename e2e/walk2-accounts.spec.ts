import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import keytar from 'keytar';
import type { Locator, Page } from '@playwright/test';
import { signInAt } from '../test/support/oidc-login';
import { OIDC_CLIENT_ID } from '../test/support/oidc-server';
import { startProcess } from '../test/support/processes';
import { expect, expectNoSeriousA11yViolations, startPreview, test, type RunningProcess } from './fixtures';

// Issue 11, the second newcomer walk, linked accounts (points 5 and 12): what the app and the
// browser say when a token exchange fails, a custom provider's fixed redirect port, and whose
// the Linked accounts view is. One preview for the whole file; the tests run in order on it.
// The person signs in at a real OpenID provider (oidc-provider, its own program) in a second
// browser context, the "system browser"; Acme SSO's token endpoint is a local server that
// answers HTTP 500.

test.describe.configure({ mode: 'serial' });

const PROVIDER = 'Acme SSO';
let oidc: RunningProcess;
let preview: RunningProcess;
let page: Page;
let failing: http.Server;
let failingHost: string;
let fixedPort: number;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-keyring-walk2-accounts-'));
const keychainService = `agent-keyring-e2e-${randomUUID()}`;

test.beforeAll(async ({ browser }) => {
  [oidc, preview] = await Promise.all([
    startProcess(['test/support/oidc-server.ts', '--port', '0'], /listening on (http:\/\/127\.0\.0\.1:\d+)/),
    startPreview(dataDir, keychainService),
  ]);
  failing = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(500, { 'content-type': 'text/plain' }).end('Internal Server Error'));
  });
  await new Promise<void>((resolve) => failing.listen(0, '127.0.0.1', resolve));
  failingHost = `127.0.0.1:${(failing.address() as net.AddressInfo).port}`;
  fixedPort = await freePort();
  // A context of its own: axe asks for one.
  page = await (await browser.newContext()).newPage();
  await page.goto(preview.url);
});

test.afterAll(async () => {
  await page?.context().close();
  await preview?.stop();
  await oidc?.stop();
  await new Promise((resolve) => failing?.close(resolve));
  for (const { account } of await keytar.findCredentials(keychainService)) await keytar.deletePassword(keychainService, account);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** A port nothing listens on right now (the OS's pick, released). */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The URL the "system browser" was asked to open for the sign-in the dialog shows now. */
async function openedUrl(dialog: Locator): Promise<string> {
  const shown = (await dialog.getByText(/^http:\/\/127\.0\.0\.1:\d+\/auth\?/).textContent())!;
  const escaped = shown.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return preview.waitFor(new RegExp(`browser-open (${escaped})(?:\\s|$)`));
}

/** Plays the person in a browser context of its own; returns the text of the page the browser ends on. */
async function signInInBrowser(url: string, login: string): Promise<{ finalUrl: string; text: string }> {
  const context = await page.context().browser()!.newContext();
  const browser = await context.newPage();
  await signInAt(browser, url, { login });
  const result = { finalUrl: browser.url(), text: (await browser.locator('body').innerText()).replace(/\s+/g, ' ') };
  await context.close();
  return result;
}

async function axeInBothSchemes(screen: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await expectNoSeriousA11yViolations(page, `${screen}, ${colorScheme}`);
  }
  await page.emulateMedia({ colorScheme: null });
}

const context = () => page.locator('.content-context');

test('the Linked accounts header says the accounts are on this computer, not in the active workspace', async () => {
  await page.getByRole('button', { name: 'Try the demo workspace' }).click();
  await expect(page.getByRole('listbox', { name: 'Secrets' }).getByRole('option', { name: 'GOOGLE_CALENDAR_TOKEN' })).toBeVisible();
  // Secrets belong to the active workspace, and the header names it.
  const workspace = (await context().textContent())!;
  expect(workspace).toMatch(/demo/i);
  await page.keyboard.press('Control+Shift+K');
  await expect(page.getByRole('heading', { name: 'Linked accounts', level: 1 })).toBeVisible();
  await expect(context()).toHaveText('On this computer');
});

test('a custom provider "Acme SSO" with a fixed port: checked, its redirect URI shown with the port before saving', async () => {
  await page.getByRole('button', { name: 'Add a provider…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a provider' });
  await dialog.getByLabel('Provider').selectOption('custom');
  await expect(dialog.getByText('http://127.0.0.1/callback/custom', { exact: true })).toBeVisible();
  await expect(dialog.getByText('Any port: Agent Keyring picks a free one for each sign-in')).toBeVisible();
  await dialog.getByLabel('Name').fill(PROVIDER);
  await dialog.getByLabel('Client ID').fill(OIDC_CLIENT_ID);
  await dialog.getByLabel('Authorize URL').fill(`${oidc.url}/auth`);
  await dialog.getByLabel('Token URL').fill(`http://${failingHost}/token`);
  await dialog.getByLabel('Issuer').fill(oidc.url);
  await dialog.getByLabel('Scopes').fill('openid offline_access');

  // A privileged port is refused, naming the field and the range.
  await dialog.getByLabel('Fixed port').fill('80');
  await dialog.getByRole('button', { name: 'Add provider' }).click();
  await expect(
    dialog.getByText('Fixed port (optional) must be from 1024 to 65535 (ports below 1024 need administrator rights).'),
  ).toBeVisible();
  await expect(dialog.getByLabel('Fixed port')).toBeFocused();
  await axeInBothSchemes('add provider dialog, port refused');

  // The redirect URI to register follows the port as it is typed.
  await dialog.getByLabel('Fixed port').fill(String(fixedPort));
  const uri = `http://127.0.0.1:${fixedPort}/callback/custom`;
  await expect(dialog.getByText(uri, { exact: true })).toBeVisible();
  await expect(dialog.getByText('Any port: Agent Keyring picks a free one')).toHaveCount(0);
  await axeInBothSchemes('add provider dialog, fixed port');
  await dialog.getByRole('button', { name: 'Add provider' }).click();
  await expect(dialog).toBeHidden();
  const card = page.getByRole('list', { name: 'Providers' }).getByRole('listitem', { name: PROVIDER });
  await expect(card.getByText(uri, { exact: true })).toBeVisible();
});

test('a token endpoint answering 500: neither the browser nor the app says "signed in"; the app names Acme SSO and the endpoint; Try again starts anew', async () => {
  await page.getByRole('button', { name: 'Link an account…' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Link an account' });
  await dialog.getByLabel('Person').fill('alice');
  await dialog.getByLabel('Provider').selectOption({ label: PROVIDER });
  await dialog.getByRole('button', { name: 'Sign in in the browser' }).click();
  const status = dialog.getByRole('status', { name: 'Sign-in status' });
  await expect(status).toHaveText('Waiting for the sign-in…');
  const url = await openedUrl(dialog);
  // The fixed port, exactly.
  expect(new URL(url).searchParams.get('redirect_uri')).toBe(`http://127.0.0.1:${fixedPort}/callback/custom`);

  const browserPage = await signInInBrowser(url, 'alice');
  expect(browserPage.finalUrl).toBe(`http://127.0.0.1:${fixedPort}/done`);
  expect(browserPage.text).toContain('Sign-in could not be completed');
  expect(browserPage.text).toContain(`The sign-in to ${PROVIDER} could not be completed, and nothing was linked. Return to Agent Keyring`);
  expect(browserPage.text).not.toContain('Signed in');

  await expect(status).toContainText('Linking failed.');
  await expect(status).toContainText(
    `Could not finish signing in to ${PROVIDER}: the token endpoint at ${failingHost} answered HTTP 500 (a server error). Nothing was linked.`,
  );
  await expect(status).toContainText('This sign-in cannot be resumed: Try again starts a new one in your browser.');
  await expect(status).not.toContainText(/Custom|will try again|Signed in/);
  await expect(dialog.getByRole('button', { name: 'Try again' })).toBeFocused();
  await axeInBothSchemes('link dialog, token exchange failed');

  // Try again is a new sign-in (a new state and code), on the same fixed port.
  await dialog.getByRole('button', { name: 'Try again' }).click();
  await expect(status).toHaveText('Waiting for the sign-in…');
  const second = await openedUrl(dialog);
  expect(second).not.toBe(url);
  expect(new URL(second).searchParams.get('redirect_uri')).toBe(`http://127.0.0.1:${fixedPort}/callback/custom`);
  await dialog.getByRole('button', { name: 'Cancel sign-in' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('No linked accounts yet')).toBeVisible();
});

test('a fixed port another program holds: the sign-in does not start, and the app names the port and the provider', async () => {
  const holder = net.createServer();
  await new Promise<void>((resolve, reject) => holder.once('error', reject).listen(fixedPort, '127.0.0.1', resolve));
  try {
    await page.getByRole('button', { name: 'Link an account…' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Link an account' });
    await dialog.getByLabel('Person').fill('alice');
    await dialog.getByLabel('Provider').selectOption({ label: PROVIDER });
    await dialog.getByRole('button', { name: 'Sign in in the browser' }).click();
    await expect(dialog.getByRole('alert')).toHaveText(
      `Port ${fixedPort}, the fixed port of ${PROVIDER}'s redirect URI, is in use by another program, so the sign-in cannot start. Close that program, or choose another port for ${PROVIDER} (and register its new redirect URI there).`,
    );
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
  } finally {
    await new Promise((resolve) => holder.close(resolve));
  }
});
