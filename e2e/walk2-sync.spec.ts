import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Locator, Page } from '@playwright/test';
import keytar from 'keytar';
import {
  addWorkspace,
  expect,
  expectNoSeriousA11yViolations,
  injectFault,
  showSection,
  startEmulator,
  startPreview,
  switcher,
  test,
  type RunningProcess,
} from './fixtures';

// The second newcomer walk, sync and notices (issue 11, points 6, 7, 8, 12 and 17): the demo plus
// "Staging" and "Production" on the emulator, at 1280×800. What the app says about a workspace
// that does not answer or never synced, what Sync acts on, which toast stays, where toasts sit,
// and which views show a workspace's offline banner. One app for all of it.

test.describe.configure({ mode: 'serial' });

const STAGING = 'sk_e2e_walk2_sync_staging_0000000001';
const PRODUCTION = 'sk_e2e_walk2_sync_production_00000002';
const LIMITED = 'sk_e2e_walk2_sync_limited_0000000003';
const LOCAL = 'sk_e2e_walk2_sync_local_00000000000004';
const SECRETS_ROUTE = 'GET /v1/convai/secrets';
let emulator: RunningProcess;
let preview: RunningProcess;
let page: Page;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-keyring-e2e-walk2-sync-'));
const keychainService = `agent-keyring-e2e-${randomUUID()}`;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(90_000);
  [emulator, preview] = await Promise.all([
    startEmulator(['--seed', 'demo', '--key', STAGING, '--key', PRODUCTION, '--key', `${LIMITED}:user_read,workspace_read`]),
    startPreview(dataDir, keychainService),
  ]);
  // A page of its own context, as axe asks.
  page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  // The page's clock runs as usual; the last test moves it on to see "minutes ago" in the sidebar.
  await page.clock.install();
  await page.goto(preview.url);
  await page.getByRole('button', { name: 'Try the demo workspace' }).click();
  await expect(switcher(page).getByRole('button', { name: 'Demo workspace' })).toHaveAccessibleDescription(/Synced/);
  for (const [name, apiKey] of [
    ['Staging', STAGING],
    ['Production', PRODUCTION],
  ] as const) {
    await expect(await addWorkspace(page, { name, baseUrl: emulator.url, apiKey })).toBeHidden();
    await expect(switcher(page).getByRole('button', { name })).toHaveAccessibleDescription(/Synced/);
  }
  await dismissToasts();
});

test.afterAll(async () => {
  await page?.context().close();
  await Promise.all([preview?.stop(), emulator?.stop()]);
  for (const { account } of await keytar.findCredentials(keychainService)) await keytar.deletePassword(keychainService, account);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test.afterEach(async () => injectFault(emulator.url, null));

const toasts = () => page.locator('.toast');
const freshness = () => page.getByRole('status', { name: 'Data freshness' });
const header = () => page.locator('.content-header');
const details = () => page.getByRole('region', { name: 'Secret details' });

async function dismissToasts(): Promise<void> {
  await expect(async () => {
    const dismiss = page.getByRole('button', { name: 'Dismiss notification' });
    if ((await dismiss.count()) > 0) await dismiss.first().click({ timeout: 1_000 });
    expect(await toasts().count()).toBe(0);
  }).toPass({ timeout: 15_000 });
}

/** How many secrets lists the emulator has served (the demo workspace is in-process, not counted). */
async function secretListRequests(): Promise<number> {
  const response = await fetch(`${emulator.url}/_emulator/stats`);
  const stats = (await response.json()) as { byRoute: Record<string, number> };
  return stats.byRoute[SECRETS_ROUTE] ?? 0;
}

/** A loopback port where nothing listens (it was free a moment ago). */
async function refusedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

type Box = { x: number; y: number; width: number; height: number };
const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/**
 * Every control outside the notifications that a notification lies over, by its text: the part
 * of it on screen, that is its box clipped by every scrolling ancestor (a list's rows below its
 * fold are not on screen).
 */
function controlsUnderToasts(): Promise<string[]> {
  return page.evaluate(() => {
    const toastBoxes = Array.from(document.querySelectorAll('.toast')).map((t) => t.getBoundingClientRect());
    const controls = Array.from(document.querySelectorAll('button, a[href], input, select, textarea, [role="option"], [tabindex="0"]'));
    const covered: string[] = [];
    for (const control of controls) {
      if (control.closest('.toasts')) continue;
      const r = control.getBoundingClientRect();
      let [left, top, right, bottom] = [r.left, r.top, r.right, r.bottom];
      for (let a = control.parentElement; a; a = a.parentElement) {
        if (getComputedStyle(a).overflow === 'visible') continue;
        const c = a.getBoundingClientRect();
        [left, top, right, bottom] = [Math.max(left, c.left), Math.max(top, c.top), Math.min(right, c.right), Math.min(bottom, c.bottom)];
      }
      if (right <= left || bottom <= top) continue;
      const hit = toastBoxes.some((t) => t.left < right && left < t.right && t.top < bottom && top < t.bottom);
      if (hit) covered.push((control.getAttribute('aria-label') ?? control.textContent ?? control.tagName).trim().slice(0, 60));
    }
    return covered;
  });
}

async function expectNotCovered(target: Locator, what: string): Promise<void> {
  const targetBox = (await target.boundingBox())!;
  for (const toast of await toasts().all()) {
    expect(overlaps((await toast.boundingBox())!, targetBox), `a toast covers ${what}`).toBe(false);
  }
}

test('Sync acts on what the screen shows: all three workspaces when All workspaces is shown, by button and by Ctrl+R', async () => {
  await showSection(page, 'Secrets');
  await page.getByRole('group', { name: 'Scope' }).getByRole('button', { name: 'All workspaces' }).click();
  await expect(header()).toContainText('All 3 workspaces');
  const syncAll = header().getByRole('button', { name: 'Sync all 3 workspaces' });
  await expect(syncAll).toBeVisible();
  await expect(syncAll).toHaveAttribute('title', /^Sync all 3 workspaces \(Ctrl\+R or Ctrl\+Shift\+R\)$/);
  // No second button that would sync only the active workspace while all of them are listed.
  await expect(header().getByRole('button', { name: 'Sync', exact: true })).toHaveCount(0);

  let before = await secretListRequests();
  await syncAll.click();
  await expect(toasts().filter({ hasText: 'Synced 3 workspaces (no changes).' })).toBeVisible();
  expect(await secretListRequests()).toBe(before + 2);

  before = await secretListRequests();
  await page.keyboard.press('Control+R');
  await expect.poll(secretListRequests).toBe(before + 2);
  await expect(toasts().filter({ hasText: 'Synced 3 workspaces' })).toHaveCount(1);

  // One workspace shown: Sync names it, and Ctrl+R syncs it alone.
  await page.getByRole('group', { name: 'Scope' }).getByRole('button', { name: 'This workspace' }).click();
  const sync = header().getByRole('button', { name: 'Sync', exact: true });
  await expect(sync).toHaveAttribute('title', 'Sync “Production” (Ctrl+R)');
  await expect(sync).toHaveAccessibleDescription('Sync “Production” (Ctrl+R)');
  await dismissToasts();
  before = await secretListRequests();
  await page.keyboard.press('Control+R');
  await expect(toasts().filter({ hasText: 'Synced “Production”: no changes.' })).toBeVisible();
  expect(await secretListRequests()).toBe(before + 1);
  await dismissToasts();
});

test('a failed sync toast gives way to the later success; toasts cover no control, can be dismissed by keyboard, and are announced', async () => {
  await page.getByRole('group', { name: 'Scope' }).getByRole('button', { name: 'All workspaces' }).click();
  await page.getByRole('listbox', { name: 'Secrets' }).getByRole('option').first().click();
  await expect(details().getByRole('heading', { level: 2 })).toBeVisible();

  await injectFault(emulator.url, { status: 429, retryAfter: 60, key: STAGING });
  await injectFault(emulator.url, { status: 429, retryAfter: 60, key: PRODUCTION });
  const syncAll = header().getByRole('button', { name: 'Sync all 3 workspaces' });
  await syncAll.click();
  const failed = page.getByRole('alert').filter({ hasText: '2 failed: Staging (rate limited), Production (rate limited)' });
  await expect(failed).toBeVisible();

  // Where it sits: over none of the Sync buttons, the detail pane, or any other control.
  await expectNotCovered(syncAll, 'the Sync button');
  await expectNotCovered(details(), 'the detail pane');
  expect(await controlsUnderToasts()).toEqual([]);

  // The same sync again, now answered: its success replaces the red toast.
  await injectFault(emulator.url, null);
  await syncAll.click();
  const succeeded = page.getByRole('status', { name: 'Notifications' }).getByText('Synced 3 workspaces (no changes).');
  await expect(succeeded).toBeVisible();
  await expect(failed).toHaveCount(0);
  await expect(page.locator('.toast-error')).toHaveCount(0);
  await expect(toasts()).toHaveCount(1);
  await expectNotCovered(syncAll, 'the Sync button');
  await expectNotCovered(details(), 'the detail pane');

  // Dismissed from the keyboard; focus stays in the app, not on <body>.
  await toasts().getByRole('button', { name: 'Dismiss notification' }).focus();
  await page.keyboard.press('Escape');
  await expect(toasts()).toHaveCount(0);
  expect(await page.evaluate(() => document.activeElement !== document.body && document.activeElement !== null)).toBe(true);
});

test('offline on 127.0.0.1 names the address, never the internet; a never-synced workspace is not up to date; Local secrets shows no workspace banner', async () => {
  // "Limited" may not read secrets: it is added, never synced, and answers.
  const limited = await addWorkspace(page, { name: 'Limited', baseUrl: emulator.url, apiKey: LIMITED });
  await limited.getByRole('button', { name: 'Add anyway' }).click();
  await expect(limited).toBeHidden();

  // "Local" is on a loopback port where nothing listens.
  const port = await refusedPort();
  const local = await addWorkspace(page, { name: 'Local', baseUrl: `http://127.0.0.1:${port}`, apiKey: LOCAL });
  await expect(local).toContainText(`Nothing answers at 127.0.0.1:${port} on this computer (the connection was refused): is the emulator`);
  await expect(local).not.toContainText('internet');
  await local.getByRole('button', { name: 'Save unverified' }).click();
  await expect(local).toBeHidden();
  await expect(switcher(page).getByRole('button', { name: 'Local' })).toHaveAccessibleDescription(/Offline/);

  // All five shown: the offline one is named with its address; each other one says what is known of it.
  await showSection(page, 'Secrets');
  await expect(header()).toContainText('All 5 workspaces');
  await expect(freshness()).toContainText(`One workspace offline — “Local”: nothing answers at 127.0.0.1:${port} on this computer.`);
  await expect(freshness()).toContainText('Is the emulator (or the server meant to be there) running?');
  await expect(freshness()).toContainText('“Limited” has never been synced');
  await expect(freshness()).toContainText(/“Staging” was last synced .+ \(just now\)/);
  await expect(freshness()).not.toContainText(/up to date|internet/i);
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await expectNoSeriousA11yViolations(page, `offline banner, all workspaces, ${colorScheme}`);
  }

  await page.getByRole('group', { name: 'Scope' }).getByRole('button', { name: 'This workspace' }).click();
  await expect(freshness()).toContainText(
    `Offline — “Local”: nothing answers at 127.0.0.1:${port} on this computer. Is the emulator (or the server meant to be there) running? No inventory has been saved yet.`,
  );
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await expectNoSeriousA11yViolations(page, `offline banner, one workspace, ${colorScheme}`);
  }

  // Local secrets belong to this computer: no workspace's banner or problems there, whatever the scope.
  await showSection(page, 'Local secrets');
  await expect(page.getByRole('heading', { level: 1, name: 'Local secrets' })).toBeVisible();
  await expect(header()).toContainText('On this computer');
  await expect(freshness()).toHaveCount(0);
  await expect(page.getByRole('list', { name: 'Workspace problems' })).toHaveCount(0);
  await expect(page.getByRole('main')).not.toContainText(/Offline|nothing answers/);
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await expectNoSeriousA11yViolations(page, `Local secrets while a workspace is offline, ${colorScheme}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await showSection(page, 'Settings');
  await expect(freshness()).toHaveCount(0);
  await showSection(page, 'Secrets');
  await expect(freshness()).toContainText('Offline');
});

test('the sidebar’s status text fits at 1280×800, minutes after a sync', async () => {
  // Five minutes on: "Custom URL · Synced 5 minutes ago" no longer fits the sidebar on one line.
  await page.clock.fastForward('05:00');
  const staging = switcher(page).getByRole('button', { name: 'Staging' });
  await expect(staging).toHaveAccessibleDescription(/Synced 5 min/);
  const metas = switcher(page).locator('.workspace-button-meta');
  expect(await metas.count()).toBeGreaterThanOrEqual(3);
  for (const meta of await metas.all()) {
    const text = await meta.innerText();
    const fits = await meta.evaluate((el) => el.scrollWidth <= el.clientWidth && getComputedStyle(el).textOverflow !== 'ellipsis');
    expect(fits, `"${text}" fits the sidebar`).toBe(true);
    // Nothing cut: the words on screen are the whole status.
    expect(text).toMatch(/^(Demo|Custom URL) · (Synced .+|Offline|Cannot read secrets|Never synced)$/);
  }
  // The time in full is in the button's tooltip.
  await expect(staging).toHaveAttribute('title', /Synced 5 minutes ago \(/);
});
