import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Page } from '@playwright/test';
import keytar from 'keytar';
import {
  addWorkspace,
  expect,
  expectNoSeriousA11yViolations,
  showSection,
  startEmulator,
  startPreview,
  test,
  type RunningProcess,
} from './fixtures';

// Issue 11, the second newcomer walk, for Review, dashboard links, auth connections, Activity and
// the theme: one preview with the demo and a workspace on the emulator, the steps in sequence.

test.describe.configure({ mode: 'serial' });

const STAGING_KEY = 'sk_e2e_walk2_views_staging_0000001';
const TEMP_KEY = 'sk_e2e_walk2_views_temporary_000002';
const SECRETS = 12;

let emulator: RunningProcess;
let preview: RunningProcess;
let dataDir: string;
let keychainService: string;
let page: Page;

test.beforeAll(async ({ browser }) => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-keyring-e2e-walk2-'));
  keychainService = `agent-keyring-e2e-${randomUUID()}`;
  [emulator, preview] = await Promise.all([
    startEmulator(['--seed', `bench:${SECRETS}`, '--key', STAGING_KEY, '--key', TEMP_KEY]),
    startPreview(dataDir, keychainService),
  ]);
  // A context of its own (axe needs one), with the window size.
  page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await page.goto(preview.url);
  await page.getByRole('button', { name: 'Try the demo workspace' }).click();
  await expect(page.getByRole('listbox', { name: 'Secrets' }).getByRole('option', { name: 'GOOGLE_CALENDAR_TOKEN' })).toBeVisible();
  await expect(await addWorkspace(page, { name: 'Staging', baseUrl: emulator.url, apiKey: STAGING_KEY })).toBeHidden();
  await expect(page.getByText(`${SECRETS} secrets`, { exact: true })).toBeVisible();
});

test.afterAll(async () => {
  await page?.context().close();
  await Promise.all([preview?.stop(), emulator?.stop()]);
  for (const { account } of await keytar.findCredentials(keychainService)) await keytar.deletePassword(keychainService, account);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** axe on the view in the light and the dark scheme (the theme setting is "system" here, so it follows). */
async function axeBothSchemes(screen: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await expectNoSeriousA11yViolations(page, `${screen}, ${colorScheme}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

const toastMessages = () => page.locator('.toast .toast-message');

test('Review leaves the demo out by default; ticking it compares it, and the findings say what was compared', async () => {
  await showSection(page, 'Review');
  const choices = page.getByRole('group', { name: 'Review these workspaces' });
  await expect(choices.getByRole('checkbox', { name: 'Demo workspace' })).not.toBeChecked();
  await expect(choices.getByRole('checkbox', { name: 'Staging' })).toBeChecked();
  const missing = page.getByRole('heading', { name: /^Missing in some workspaces/ });
  await expect(missing).toBeHidden();
  await expect(page.getByText('Missing in Demo workspace')).toHaveCount(0);
  await expect(page.getByText('Names are compared between two or more synced workspaces: tick another to compare.')).toBeVisible();

  await choices.getByRole('checkbox', { name: 'Demo workspace' }).check();
  await expect(missing).toBeVisible();
  await expect(page.getByText(/^Compared Demo workspace, Staging: in Demo workspace, missing in Staging\./).first()).toBeVisible();
  await page
    .getByRole('region', { name: /^Missing in some workspaces/ })
    .getByRole('button', { name: /^Show all \d+$/ })
    .click();
  await expect(page.getByText('Missing in Demo workspace').first()).toBeVisible();
  await expect(page.getByText(/^Compared Demo workspace, Staging: in Staging, missing in Demo workspace\./).first()).toBeVisible();
  await axeBothSchemes('review, demo compared');

  // Back to the default: the demo's findings go again, and the choice is kept by main.
  await choices.getByRole('checkbox', { name: 'Demo workspace' }).uncheck();
  await expect(missing).toBeHidden();
  await page.reload();
  await showSection(page, 'Review');
  await expect(page.getByRole('checkbox', { name: 'Demo workspace' })).not.toBeChecked();
});

test('a custom-URL workspace offers no elevenlabs.io link; auth connections say they are managed in the dashboard', async () => {
  await showSection(page, 'Secrets');
  await page
    .getByRole('group', { name: 'Workspaces' })
    .getByRole('button', { name: /Staging/ })
    .click();
  const list = page.getByRole('listbox', { name: 'Secrets' });
  await list.getByRole('option').first().click();
  const pane = page.getByRole('region', { name: 'Secret details' });
  await expect(pane.getByText('This workspace is on a custom URL: it has no ElevenLabs dashboard to open.')).toBeVisible();
  await expect(page.locator('a[href*="elevenlabs.io"]')).toHaveCount(0);

  // The demo's cards: one header note for all of them, no card claims to be the only read-only one.
  await page
    .getByRole('group', { name: 'Workspaces' })
    .getByRole('button', { name: /Demo workspace/ })
    .click();
  await showSection(page, 'Auth connections');
  const cards = page
    .getByRole('list', { name: 'Auth connections' })
    .getByRole('listitem')
    .filter({ has: page.getByRole('heading') });
  await expect(cards.first()).toBeVisible();
  await expect(page.getByText('the workspaces’ auth connections as last synced', { exact: false })).toBeVisible();
  await expect(page.getByText('Read-only', { exact: true })).toHaveCount(0);
  // A card whose credential is refused says how to mend it, and that the demo has no dashboard.
  const invalid = cards.filter({ hasText: 'Credential invalid' }).first();
  await expect(invalid).toContainText('Sign it in again where it was made.');
  await expect(invalid).toContainText('The demo workspace lives in Agent Keyring: it has no ElevenLabs dashboard.');
  // Card titles are level 2, under the view's level-1 heading (axe heading-order).
  await expect(invalid.getByRole('heading', { level: 2 })).toBeVisible();
  await expect(page.locator('a[href*="elevenlabs.io"]')).toHaveCount(0);
  await axeBothSchemes('auth connections');
});

test('the theme applies at once, survives a reload from the settings kept by main, and Settings is clean in both', async () => {
  await showSection(page, 'Settings');
  const theme = page.getByRole('group', { name: 'Theme' });
  await expect(theme.getByRole('radio', { name: 'Same as the system' })).toBeChecked();
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const light = await background();

  await theme.getByRole('radio', { name: 'Dark' }).check();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect.poll(background).not.toBe(light);
  const dark = await background();
  await expectNoSeriousA11yViolations(page, 'settings, dark theme chosen');

  // Reloaded without the page's own copy: the theme comes from SQLite.
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect.poll(background).toBe(dark);
  await showSection(page, 'Settings');
  await expect(page.getByRole('radio', { name: 'Dark' })).toBeChecked();

  // An explicit choice wins over the system's scheme.
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.getByRole('radio', { name: 'Light' }).check();
  await expect.poll(background).toBe(light);
  await expectNoSeriousA11yViolations(page, 'settings, light theme chosen on a dark system');
  await page.getByRole('radio', { name: 'Same as the system' }).check();
  await expect.poll(background).toBe(dark);
  await page.emulateMedia({ colorScheme: 'light' });
  await expect.poll(background).toBe(light);
  await axeBothSchemes('settings');
});

test('Activity records workspaces, syncs, settings and exports (with where the file went), and scrolls by keyboard', async () => {
  // A workspace added, renamed and removed.
  await expect(await addWorkspace(page, { name: 'Temporary', baseUrl: emulator.url, apiKey: TEMP_KEY })).toBeHidden();
  await expect(page.getByText(`${SECRETS} secrets`, { exact: true })).toBeVisible();
  await showSection(page, 'Workspaces');
  await page.getByRole('button', { name: 'Rename Temporary' }).click();
  const rename = page.getByRole('dialog', { name: 'Rename workspace' });
  await rename.getByLabel('Name').fill('Short-lived');
  await rename.getByRole('button', { name: 'Save' }).click();
  await expect(rename).toBeHidden();
  await page.getByRole('button', { name: 'Remove Short-lived' }).click();
  await page.getByRole('alertdialog', { name: 'Remove “Short-lived”?' }).getByRole('button', { name: 'Remove workspace' }).click();
  await expect(page.getByRole('button', { name: 'Remove Short-lived' })).toBeHidden();

  await showSection(page, 'Activity');
  const table = page.getByRole('table', { name: 'Activity, newest first' });
  const row = (action: string, name: string) => table.getByRole('row').filter({ hasText: action }).filter({ hasText: name });
  await expect(row('Added workspace', 'Temporary')).toBeVisible();
  await expect(row('Renamed workspace', 'Short-lived')).toContainText('Renamed from “Temporary”.');
  await expect(row('Removed workspace', 'Short-lived')).toBeVisible();
  await expect(row('Sync', 'Staging').first()).toContainText(`${SECRETS} secrets and`);
  await expect(row('Changed settings', 'Theme: system → dark')).toBeVisible();
  await expect(row('Changed settings', 'Theme: dark → light')).toBeVisible();
  await expect(row('Changed settings', 'Workspaces Review compares').first()).toBeVisible();
  await expect(page.getByText('sk_e2e_walk2')).toHaveCount(0);

  // The export says where it went, in the toast and in the log, and the file is there.
  await page.getByRole('button', { name: 'Export activity as CSV' }).click();
  const saved = toastMessages().filter({ hasText: /^Saved “agent-keyring-activity-[\d-]+\.csv” to \// });
  await expect(saved).toBeVisible();
  const savedTo = /to (\/.+\.csv)/.exec((await saved.innerText()).trim())?.[1] ?? '';
  expect(savedTo.startsWith(path.join(dataDir, 'exports'))).toBe(true);
  expect(fs.readFileSync(savedTo, 'utf8')).toContain('workspace_remove');
  await expect(row('Exported', 'agent-keyring-activity').first()).toContainText(`saved to ${savedTo}`);

  // The table scrolls from the keyboard: focus it, End, and the last row is in view.
  await page.setViewportSize({ width: 1280, height: 560 });
  const region = page.getByRole('region', { name: 'Activity entries' });
  const lastRow = table.getByRole('row').last();
  await expect.poll(() => region.evaluate((el) => el.scrollHeight > el.clientHeight)).toBe(true);
  await expect(lastRow).not.toBeInViewport();
  await region.focus();
  await expect(region).toBeFocused();
  await page.keyboard.press('PageDown');
  await page.keyboard.press('End');
  await expect(lastRow).toBeInViewport();
  await axeBothSchemes('activity');
  await page.setViewportSize({ width: 1280, height: 800 });
});
