import type { Locator, Page } from '@playwright/test';
import {
  addWorkspace,
  expect,
  injectFault,
  showSection,
  startEmulator,
  switcher,
  test,
  type AppFixture,
  type RunningProcess,
} from './fixtures';

// What a newcomer ran into in their first hour, one test per finding (Part B of the issue).
// Each test fails on the renderer as it was before the fix.

const KEYS = {
  staging: 'sk_e2e_newcomer_staging_00000000001',
  second: 'sk_e2e_newcomer_second_000000000002',
  third: 'sk_e2e_newcomer_third_0000000000003',
  removal: 'sk_e2e_newcomer_removal_00000000004',
  noSecrets: 'sk_e2e_newcomer_no_secrets_000000005',
  noWorkspaceRead: 'sk_e2e_newcomer_no_ws_read_00000006',
};
const SECRETS_PER_WORKSPACE = 250;
let emulator: RunningProcess;

test.beforeAll(async () => {
  emulator = await startEmulator([
    '--seed',
    `bench:${SECRETS_PER_WORKSPACE}`,
    '--key',
    KEYS.staging,
    '--key',
    KEYS.second,
    '--key',
    KEYS.third,
    '--key',
    KEYS.removal,
    '--key',
    `${KEYS.noSecrets}:user_read,workspace_read`,
    '--key',
    `${KEYS.noWorkspaceRead}:convai_read,user_read`,
  ]);
});
test.afterAll(async () => emulator.stop());
test.afterEach(async () => injectFault(emulator.url, null));

async function openDemo(page: Page, app: AppFixture): Promise<void> {
  await app.open(page);
  await page.getByRole('button', { name: 'Try the demo workspace' }).click();
  await expect(secretsList(page).getByRole('option', { name: 'GOOGLE_CALENDAR_TOKEN' })).toBeVisible();
}

/** Adds a workspace on the emulator and waits until its first sync is in. */
async function addSynced(page: Page, name: string, apiKey: string): Promise<void> {
  const dialog = await addWorkspace(page, { name, baseUrl: emulator.url, apiKey });
  await expect(dialog).toBeHidden();
  await expect(page.getByText(`${SECRETS_PER_WORKSPACE} secrets`, { exact: true })).toBeVisible();
}

const secretsList = (page: Page) => page.getByRole('listbox', { name: 'Secrets' });
const details = (page: Page) => page.getByRole('region', { name: 'Secret details' });
const freshness = (page: Page) => page.getByRole('status', { name: 'Data freshness' });
const problems = (page: Page) => page.getByRole('list', { name: 'Workspace problems' });
const toasts = (page: Page) => page.locator('.toast');

async function dismissToasts(page: Page): Promise<void> {
  // Notes may expire on their own meanwhile: take whichever is first until none is left.
  await expect(async () => {
    const dismiss = page.getByRole('button', { name: 'Dismiss notification' });
    if ((await dismiss.count()) > 0) await dismiss.first().click({ timeout: 1_000 });
    expect(await toasts(page).count()).toBe(0);
  }).toPass({ timeout: 15_000 });
}

// ---- B1: button colours on hover ------------------------------------------------------------

type Rgba = [number, number, number, number];

function parseColour(css: string): Rgba {
  const rgb = /rgba?\(([^)]+)\)/.exec(css);
  if (rgb) {
    const [r = 0, g = 0, b = 0, a = 1] = rgb[1]!
      .split(/[\s,/]+/)
      .filter(Boolean)
      .map(Number);
    return [r, g, b, a];
  }
  const srgb = /color\(srgb ([^)]+)\)/.exec(css);
  if (srgb) {
    const [r = 0, g = 0, b = 0, a = 1] = srgb[1]!
      .split(/[\s/]+/)
      .filter(Boolean)
      .map(Number);
    return [r * 255, g * 255, b * 255, a];
  }
  throw new Error(`unexpected colour ${css}`);
}

function luminance([r, g, b]: Rgba): number {
  const channel = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

function contrast(a: Rgba, b: Rgba): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** Hovers a button and checks its text still reads against its own background, light and dark. */
async function expectReadableOnHover(page: Page, button: Locator, name: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await button.hover();
    const { background, color } = await button.evaluate((el) => {
      const hovered = getComputedStyle(el);
      return { background: hovered.backgroundColor, color: hovered.color };
    });
    const bg = parseColour(background);
    const fg = parseColour(color);
    expect(bg[3], `${name} (${colorScheme}) has an opaque background on hover`).toBe(1);
    expect(contrast(fg, bg), `${name} (${colorScheme}) on hover: ${color} on ${background}`).toBeGreaterThanOrEqual(4.5);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.mouse.move(0, 0);
}

test('B1: primary and danger buttons keep their colours and contrast on hover', async ({ page, app }) => {
  await app.open(page);
  await expectReadableOnHover(page, page.getByRole('button', { name: 'Try the demo workspace' }), 'Try the demo workspace');

  // A workspace whose first sync fails stays never synced: "Sync now" and "Sync this workspace".
  await injectFault(emulator.url, { status: 500, key: KEYS.staging, pathPrefix: '/v1/convai/secrets', skip: 1 });
  const dialog = await addWorkspace(page, { name: 'Staging', baseUrl: emulator.url, apiKey: KEYS.staging });
  await expect(dialog).toBeHidden();
  await expect(problems(page)).toContainText('server error');
  await dismissToasts(page);
  await expectReadableOnHover(page, page.getByRole('button', { name: 'Sync now' }), 'Sync now');
  await expectReadableOnHover(page, page.getByRole('button', { name: 'Sync this workspace' }), 'Sync this workspace');
  await expectReadableOnHover(page, page.getByRole('button', { name: 'Sync', exact: true }), 'Sync');

  await page.getByRole('button', { name: 'Add workspace' }).click();
  const add = page.getByRole('dialog', { name: 'Add workspace' });
  await expectReadableOnHover(page, add.getByRole('button', { name: 'Add workspace' }), 'Add workspace (dialog)');
  await add.getByRole('button', { name: 'Cancel' }).click();

  await showSection(page, 'Workspaces');
  await expectReadableOnHover(page, page.getByRole('button', { name: 'Remove Staging' }), 'Remove (card)');
  await page.getByRole('button', { name: 'Remove Staging' }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Remove “Staging”?' });
  await expectReadableOnHover(page, confirm.getByRole('button', { name: 'Remove workspace' }), 'Remove workspace');
});

// ---- B2: a key that cannot list secrets ------------------------------------------------------

test('B2: a key that cannot list secrets is asked about, then explained in the header, not in a toast', async ({ page, app }) => {
  await openDemo(page, app);
  const dialog = await addWorkspace(page, { name: 'Limited', baseUrl: emulator.url, apiKey: KEYS.noSecrets });
  await expect(dialog.getByRole('alert')).toContainText('it lacks the convai_read permission');
  await expect(dialog).toContainText('It lacks: convai_read.');
  expect(await app.keychainAccounts()).toHaveLength(1);
  await dialog.getByRole('button', { name: 'Add anyway' }).click();
  await expect(dialog).toBeHidden();

  await expect(switcher(page).getByRole('button', { name: 'Limited' })).toHaveAttribute('aria-current', 'true');
  await expect(problems(page)).toHaveText(/This key cannot read secrets \(it lacks convai_read\): replace the key to sync\./);
  await expect(switcher(page).getByRole('button', { name: 'Limited' })).toHaveAccessibleDescription(/Cannot read secrets/);
  // No sync was started just to fail, so no error toast.
  await expect(page.locator('.toast-error')).toHaveCount(0);
  // The Sync button stays; the header says why it cannot work, and offers the fix.
  await expect(page.getByRole('button', { name: 'Sync', exact: true })).toBeEnabled();
  await problems(page).getByRole('button', { name: 'Replace key' }).click();
  await expect(page.getByRole('dialog', { name: 'Replace API key' })).toContainText('A new key for “Limited”');
});

// ---- B3: auth connections a key may not read -------------------------------------------------

test('B3: auth connections a key cannot read are called unreadable, and counted in All workspaces', async ({ page, app }) => {
  await openDemo(page, app);
  await addSynced(page, 'No workspace_read', KEYS.noWorkspaceRead);
  await showSection(page, 'Auth connections');
  const view = page.locator('.connections-view');
  await expect(view).toContainText('This key cannot read auth connections (it lacks workspace_read).');
  await expect(view).not.toContainText('No auth connections in this workspace');

  await page.getByRole('button', { name: 'All workspaces' }).click();
  await expect(view.getByText(/^6 auth connections, 1 workspace unreadable$/)).toBeVisible();
  const unreadable = page.getByRole('list', { name: 'Workspaces whose auth connections are unknown' });
  await expect(unreadable).toContainText('“No workspace_read”: its key cannot read auth connections (it lacks workspace_read)');
  await expect(page.getByRole('list', { name: 'Auth connections' }).locator('li.connection')).toHaveCount(6);
});

// ---- B4: the open secret follows the workspace -----------------------------------------------

test('B4: switching workspace (shortcut, click, or adding one) closes the other workspace’s secret', async ({ page, app }) => {
  await openDemo(page, app);
  await addSynced(page, 'Staging', KEYS.staging);
  const empty = details(page).getByText('Select a secret to see who uses it.');

  const openCalendarToken = async () => {
    await switcher(page).getByRole('button', { name: 'Demo workspace' }).click();
    await secretsList(page).getByRole('option', { name: 'GOOGLE_CALENDAR_TOKEN' }).click();
    await expect(details(page).getByRole('heading', { name: 'GOOGLE_CALENDAR_TOKEN' })).toBeVisible();
  };

  await openCalendarToken();
  await page.keyboard.press('Control+2');
  await expect(switcher(page).getByRole('button', { name: 'Staging' })).toHaveAttribute('aria-current', 'true');
  await expect(empty).toBeVisible();
  await expect(secretsList(page).getByRole('option', { selected: true })).toHaveCount(0);

  await openCalendarToken();
  await switcher(page).getByRole('button', { name: 'Staging' }).click();
  await expect(empty).toBeVisible();

  await openCalendarToken();
  await addSynced(page, 'Second', KEYS.second);
  await expect(switcher(page).getByRole('button', { name: 'Second' })).toHaveAttribute('aria-current', 'true');
  await expect(empty).toBeVisible();

  // Back in the demo, nothing from before is reopened either.
  await page.keyboard.press('Control+1');
  await expect(empty).toBeVisible();
});

// ---- B5: one source of truth for "offline" ---------------------------------------------------

test('B5: offline is each workspace’s own reachability, and a good sync clears it', async ({ page, app }) => {
  await openDemo(page, app);
  await addSynced(page, 'Staging', KEYS.staging);
  await expect(page.getByText(/Network connected|No network/)).toHaveCount(0);

  await injectFault(emulator.url, { delayMs: 6000, key: KEYS.staging });
  await page.getByRole('button', { name: 'Sync', exact: true }).click();
  await expect(freshness(page)).toContainText(/Offline — “Staging” did not answer at http:\/\/127\.0\.0\.1:\d+/);
  await expect(switcher(page).getByRole('button', { name: 'Staging' })).toHaveAccessibleDescription(/Offline/);
  // The demo answered: it is not offline, whatever Staging does.
  await expect(switcher(page).getByRole('button', { name: 'Demo workspace' })).toHaveAccessibleDescription(/Synced/);

  await injectFault(emulator.url, null);
  await freshness(page).getByRole('button', { name: 'Try again' }).click();
  await expect(freshness(page)).toHaveText(/^Synced just now/);
  await expect(page.getByText(/Offline|Nothing can be synced/)).toHaveCount(0);
  await expect(switcher(page).getByRole('button', { name: 'Staging' })).toHaveAccessibleDescription(/Synced just now/);
});

// ---- B6: notifications -----------------------------------------------------------------------

test('B6: sync all ends in one summary; notes expire, errors stay on their workspace and never pile up', async ({ page, app }) => {
  await openDemo(page, app);
  await addSynced(page, 'Staging', KEYS.staging);
  await addSynced(page, 'Second', KEYS.second);
  await addSynced(page, 'Third', KEYS.third);
  await dismissToasts(page);

  // Third fails at once (rate limited for longer than the app waits); the others sync.
  await injectFault(emulator.url, { status: 429, retryAfter: 60, key: KEYS.third });
  await page.getByRole('button', { name: 'Sync all' }).click();
  await expect(toasts(page)).toHaveCount(1);
  await expect(toasts(page)).toHaveText(/Synced 3 workspaces \(no changes\); 1 failed: Third \(rate limited\)\./);
  await expect(switcher(page).getByRole('button', { name: 'Third' })).toHaveAccessibleDescription(/Sync failed/);
  await switcher(page).getByRole('button', { name: 'Third' }).click();
  await expect(problems(page)).toContainText('Last sync failed');

  // A success note goes by itself (about 6 s).
  await dismissToasts(page);
  await switcher(page).getByRole('button', { name: 'Staging' }).click();
  await page.getByRole('button', { name: 'Sync', exact: true }).click();
  const note = toasts(page).filter({ hasText: 'Synced “Staging”: no changes.' });
  await expect(note).toBeVisible();
  await expect(note).toBeHidden({ timeout: 10_000 });

  // Three workspaces fail one by one: an error each.
  await injectFault(emulator.url, { status: 429, retryAfter: 60, key: KEYS.staging });
  await injectFault(emulator.url, { status: 429, retryAfter: 60, key: KEYS.second });
  for (const name of ['Staging', 'Second', 'Third']) {
    await switcher(page).getByRole('button', { name }).click();
    await page.getByRole('button', { name: 'Sync', exact: true }).click();
    await expect(toasts(page).filter({ hasText: `Sync of “${name}” failed` })).toBeVisible();
  }
  await expect(page.locator('.toast-error')).toHaveCount(3);
  // Sync all is a newer outcome for all three: its one summary replaces them rather than piling
  // up (the cap of three errors about different things is in stores/ui.test.ts).
  await page.getByRole('button', { name: 'Sync all' }).click();
  await expect(toasts(page).filter({ hasText: '3 failed' })).toBeVisible();
  await expect(page.locator('.toast-error')).toHaveCount(1);
});

// ---- B7: rate limits and retries -------------------------------------------------------------

test('B7: a retry counts down live, and a rate-limited workspace offers Retry after a countdown', async ({ page, app }) => {
  await openDemo(page, app);
  await addSynced(page, 'Staging', KEYS.staging);

  await injectFault(emulator.url, { status: 429, retryAfter: 5, count: 1, key: KEYS.staging });
  await page.getByRole('button', { name: 'Sync', exact: true }).click();
  const waiting = page.locator('.sync-text');
  await expect(waiting).toHaveText(/Staging: Waiting for ElevenLabs \(rate limited\), retrying in [45] s/);
  await expect(waiting).toHaveText(/retrying in [12] s/);
  await expect(page.getByText('rate_limit_exceeded')).toHaveCount(0);
  await expect(freshness(page)).toHaveText(/^Synced just now/);

  await injectFault(emulator.url, { status: 429, retryAfter: 30, count: 1, key: KEYS.staging });
  await page.getByRole('button', { name: 'Sync', exact: true }).click();
  await expect(problems(page)).toContainText('ElevenLabs is limiting how many requests this key may make (rate limited).');
  await expect(problems(page)).toContainText(/You can try again in (30|29|28) s\./);
  await expect(problems(page)).toContainText(/You can try again in (2[0-7]) s\./, { timeout: 5_000 });
  await expect(page.getByText('rate_limit_exceeded')).toHaveCount(0);
  await problems(page).getByRole('button', { name: 'Retry' }).click();
  await expect(problems(page)).toHaveCount(0);
  await expect(freshness(page)).toHaveText(/^Synced just now/);
});

// ---- B8: expiring OAuth connections ----------------------------------------------------------

test('B8: an OAuth connection past its expiry says Expired, and one about to expire says so', async ({ page, app }) => {
  // The demo's Google Calendar connection expires on 2026-09-30 12:00 UTC.
  const calendar = () =>
    page.getByRole('list', { name: 'Auth connections' }).getByRole('listitem').filter({ hasText: 'Google Calendar (Avery)' });
  await page.clock.setFixedTime(new Date('2026-10-15T12:00:00Z'));
  await openDemo(page, app);
  await showSection(page, 'Auth connections');
  await expect(calendar().locator('.status-pill')).toHaveText('✕ Expired');
  await expect(calendar()).toContainText('Its token expired');
  await expect(calendar()).not.toContainText('Active');

  await page.clock.setFixedTime(new Date('2026-09-27T12:00:00Z'));
  await page.reload();
  await showSection(page, 'Auth connections');
  await expect(calendar().locator('.status-pill')).toHaveText('▲ Expires soon');

  await page.clock.setFixedTime(new Date('2026-08-01T12:00:00Z'));
  await page.reload();
  await showSection(page, 'Auth connections');
  await expect(calendar().locator('.status-pill')).toHaveText('● Active');
});

// ---- B9: a refused key -----------------------------------------------------------------------

test('B9: a refused key is explained once and kept, masked, with Show and Hide', async ({ page, app }) => {
  await app.open(page);
  const typo = 'sk_e2e_newcomer_typo_0000000000009';
  const dialog = await addWorkspace(page, { name: 'Typo', baseUrl: emulator.url, apiKey: typo });
  const keyField = dialog.getByLabel('API key', { exact: true });
  await expect(keyField).toHaveAccessibleDescription(/did not accept this API key/);
  await expect(dialog.getByText(/did not accept this API key/)).toHaveCount(1);
  await expect(dialog.getByRole('alert')).toHaveCount(0);
  await expect(keyField).toHaveValue(typo);
  await expect(keyField).toBeFocused();
  await expect(keyField).toHaveAttribute('type', 'password');

  await dialog.getByRole('button', { name: 'Show key' }).click();
  await expect(keyField).toHaveAttribute('type', 'text');
  await dialog.getByRole('button', { name: 'Hide key' }).click();
  await expect(keyField).toHaveAttribute('type', 'password');
  await expect(dialog.getByRole('button', { name: 'Show key' })).toBeVisible();

  // Fixing the typo in place clears the error and works.
  await keyField.fill(KEYS.staging);
  await expect(dialog.getByText(/did not accept this API key/)).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Add workspace' }).click();
  await expect(dialog).toBeHidden();
});

// ---- B10: a search does not follow you into another workspace --------------------------------

test('B10: the search is reset when the workspace changes', async ({ page, app }) => {
  await openDemo(page, app);
  const search = page.getByRole('searchbox', { name: 'Search secrets' });
  await search.fill('calendar');
  await expect(page.getByText('1 secret', { exact: true })).toBeVisible();

  await addSynced(page, 'Staging', KEYS.staging);
  await expect(search).toHaveValue('');

  await search.fill('token');
  await expect(page.locator('.result-count')).not.toHaveText(`${SECRETS_PER_WORKSPACE} secrets`);
  await page.keyboard.press('Control+1');
  await expect(search).toHaveValue('');
  await expect(page.getByText('16 secrets', { exact: true })).toBeVisible();

  // Typed but not yet searched when switching: dropped too.
  await search.pressSequentially('zen');
  await switcher(page).getByRole('button', { name: 'Staging' }).click();
  await expect(search).toHaveValue('');
  await expect(page.getByText(`${SECRETS_PER_WORKSPACE} secrets`, { exact: true })).toBeVisible();

  // Across all workspaces the list does not depend on the active one: the search stays.
  await page.getByRole('button', { name: 'All workspaces' }).click();
  await search.fill('calendar');
  await expect(page.locator('.result-count')).not.toHaveText(`${SECRETS_PER_WORKSPACE + 16} secrets`);
  await page.keyboard.press('Control+1');
  await expect(switcher(page).getByRole('button', { name: 'Demo workspace' })).toHaveAttribute('aria-current', 'true');
  await expect(search).toHaveValue('calendar');
});

// ---- B11: wording ----------------------------------------------------------------------------

test('B11: one workspace is “All workspaces”; access badges are explained; unseen agents say so', async ({ page, app }) => {
  await openDemo(page, app);
  await page.getByRole('button', { name: 'All workspaces' }).click();
  await expect(page.locator('.content-context')).toHaveText('All workspaces');

  await secretsList(page).getByRole('option', { name: 'GOOGLE_CALENDAR_TOKEN' }).click();
  const badge = details(page).locator('.badge', { hasText: 'Editor' }).first();
  await expect(badge).toHaveAttribute('title', 'Editor: your key’s user may view and change it');
  await expect(details(page).locator('.access-legend')).toContainText('Badges show your key’s access:');
  await expect(details(page).locator('.access-legend')).toContainText('Editor: your key’s user may view and change it');

  const usedBy = page.getByRole('combobox', { name: 'Used by' });
  await usedBy.click();
  await expect(
    page
      .getByRole('listbox', { name: 'Used by' })
      .getByRole('option', { name: /^Agent you cannot access \(agent_\w{4}…\)/ })
      .first(),
  ).toBeVisible();
  await expect(page.getByRole('listbox', { name: 'Used by' }).getByRole('option', { name: /^agent_/ })).toHaveCount(0);
});

test('B11: sync notes say what this sync changed; empty filters give advice that fits', async ({ page, app }) => {
  await openDemo(page, app);
  await addSynced(page, 'Removal', KEYS.removal);
  await dismissToasts(page);

  // Delete one unused secret in "ElevenLabs".
  const list = (await (
    await fetch(`${emulator.url}/v1/convai/secrets?page_size=100`, { headers: { 'xi-api-key': KEYS.removal } })
  ).json()) as { secrets: { secret_id: string; used_by: Record<string, unknown[] | boolean> }[] };
  const unused = list.secrets.find((s) => Object.values(s.used_by).every((v) => !Array.isArray(v) || v.length === 0))!;
  const deleted = await fetch(`${emulator.url}/v1/convai/secrets/${unused.secret_id}`, {
    method: 'DELETE',
    headers: { 'xi-api-key': KEYS.removal },
  });
  expect(deleted.ok).toBe(true);

  const sync = page.getByRole('button', { name: 'Sync', exact: true });
  await sync.click();
  await expect(toasts(page)).toHaveText(/Synced “Removal”: 1 removed remotely\./);
  await dismissToasts(page);
  await sync.click();
  await expect(toasts(page)).toHaveText(/Synced “Removal”: no changes\./);

  // Removed remotely, in a workspace where nothing was: not "try another name".
  await page.keyboard.press('Control+1');
  await page.getByLabel('Presence').selectOption('removed');
  const overlay = page.locator('.list-overlay');
  await expect(overlay).toContainText('No secret has been removed remotely in “Demo workspace”');
  await expect(overlay).not.toContainText('another name');
  await page.getByLabel('Presence').selectOption('present');
  await page.getByLabel('Usage').selectOption('used');
  await page.getByRole('searchbox', { name: 'Search secrets' }).fill('nothing like it');
  await expect(overlay).toContainText('Try another part of the name');
});

test('B11: a name already in use is flagged when adding or renaming', async ({ page, app }) => {
  await openDemo(page, app);
  await page.getByRole('button', { name: 'Add workspace' }).click();
  const add = page.getByRole('dialog', { name: 'Add workspace' });
  await add.getByLabel('Name').fill('demo workspace ');
  await expect(add.getByLabel('Name')).toHaveAccessibleDescription(
    'Another workspace is already called “Demo workspace”. A different name tells them apart in the sidebar and in lists.',
  );
  await add.getByLabel('Name').fill('Staging');
  await expect(add.getByText(/already called/)).toHaveCount(0);
  await add.getByLabel('Data residency').selectOption('custom');
  await add.getByLabel('API base URL').fill(emulator.url);
  await add.getByLabel('API key', { exact: true }).fill(KEYS.staging);
  await add.getByRole('button', { name: 'Add workspace' }).click();
  await expect(add).toBeHidden();

  await showSection(page, 'Workspaces');
  await page.getByRole('button', { name: 'Rename Staging' }).click();
  const rename = page.getByRole('dialog', { name: 'Rename workspace' });
  await rename.getByLabel('Name').fill('Demo Workspace');
  await expect(rename).toContainText('Another workspace is already called “Demo workspace”.');
  await rename.getByLabel('Name').fill('Staging');
  await expect(rename.getByText(/already called/)).toHaveCount(0);
});

// ---- B12: scale ------------------------------------------------------------------------------

test('B12: search folds _, -, spaces and case like main does, and marks what matched', async ({ page, app }) => {
  await app.open(page);
  await addSynced(page, 'Staging', KEYS.staging);
  const search = page.getByRole('searchbox', { name: 'Search secrets' });
  const count = page.locator('.result-count');

  const all = `${SECRETS_PER_WORKSPACE} secrets`;
  await search.fill('api key');
  await expect(count).not.toHaveText(all);
  await expect(count).toHaveText(/^\d+ secrets?$/);
  const spaced = await count.innerText();
  for (const variant of ['API_KEY', 'Api-Key', 'api  key']) {
    await search.fill('');
    await expect(count).toHaveText(all);
    await search.fill(variant);
    await expect(count).toHaveText(spaced);
  }
  const names = await secretsList(page).getByRole('option').locator('.secret-name').allInnerTexts();
  expect(names.length).toBeGreaterThan(0);
  for (const name of names) expect(name.toLowerCase().replace(/[\s_-]+/g, ' ')).toContain('api key');
  const marks = await secretsList(page).locator('mark').allInnerTexts();
  expect(marks.length).toBeGreaterThan(0);
  for (const mark of marks) expect(mark.toLowerCase().replace(/[\s_-]+/g, ' ')).toBe('api key');
});

test('B12: Used by is a searchable combobox with agents, tools, phone numbers and MCP servers', async ({ page, app }) => {
  await openDemo(page, app);
  const usedBy = page.getByRole('combobox', { name: 'Used by' });
  const options = page.getByRole('listbox', { name: 'Used by' });

  await usedBy.click();
  await expect(usedBy).toHaveAttribute('aria-expanded', 'true');
  await expect(
    options.getByRole('group', { name: 'Phone numbers' }).getByRole('option', { name: /Front desk main line \(\+14155550123\)/ }),
  ).toBeVisible();
  await expect(options.getByRole('group', { name: 'MCP servers' }).getByRole('option', { name: /Internal Docs MCP/ })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(usedBy).toHaveAttribute('aria-expanded', 'false');

  // Keyboard only: type, move, choose.
  await usedBy.focus();
  await page.keyboard.type('front');
  await expect(options.getByRole('option')).toHaveCount(2); // the agent and the phone line
  await expect(usedBy).not.toHaveAttribute('aria-activedescendant', /./);
  await page.keyboard.press('ArrowDown');
  await expect(usedBy).toHaveAttribute('aria-activedescendant', /option-0$/);
  await page.keyboard.press('Enter');
  await expect(usedBy).toHaveValue('Front Desk Receptionist');
  await expect(page.getByText('3 secrets', { exact: true })).toBeVisible();

  await usedBy.fill('line');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(usedBy).toHaveValue('Front desk main line (+14155550123)');
  await expect(page.getByText('1 secret', { exact: true })).toBeVisible();
  await expect(secretsList(page).getByRole('option', { name: 'TWILIO_AUTH_TOKEN' })).toBeVisible();

  await page.getByRole('button', { name: 'Show secrets used by anyone' }).click();
  await expect(page.getByText('16 secrets', { exact: true })).toBeVisible();
});

test('B12: compact rows fit 20 or more secrets at 1280×800, and the choice is kept', async ({ page, app }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await app.open(page);
  await addSynced(page, 'Staging', KEYS.staging);
  const fullyVisibleRows = () =>
    secretsList(page).evaluate((list) => {
      const box = list.getBoundingClientRect();
      return Array.from(list.querySelectorAll('[role="option"]')).filter((row) => {
        const r = row.getBoundingClientRect();
        return r.top >= box.top - 0.5 && r.bottom <= box.bottom + 0.5;
      }).length;
    });
  expect(await fullyVisibleRows()).toBeLessThan(12);
  await page.getByRole('button', { name: 'Compact rows' }).click();
  await expect(page.getByRole('button', { name: 'Compact rows' })).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(fullyVisibleRows).toBeGreaterThanOrEqual(20);
  await page.reload();
  await expect(page.getByRole('button', { name: 'Compact rows' })).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(fullyVisibleRows).toBeGreaterThanOrEqual(20);
});

// ---- B13: the secret detail ------------------------------------------------------------------

test('B13: the detail says values are never returned, offers no dead dashboard link, and copies names and ids', async ({
  page,
  app,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openDemo(page, app);
  await secretsList(page).getByRole('option', { name: 'TWILIO_AUTH_TOKEN' }).click();
  const pane = details(page);
  await expect(pane).toContainText('ElevenLabs never returns a secret’s value; Agent Keyring shows who uses it.');

  // The demo's ids mean nothing on elevenlabs.io (issue 11): it says so instead of linking there.
  await expect(pane).toContainText('The demo workspace lives in Agent Keyring: it has no ElevenLabs dashboard.');
  await expect(pane.getByText('Outbound Sales Caller', { exact: true })).toBeVisible();
  await expect(pane.getByText('Front desk main line', { exact: true })).toBeVisible();
  await expect(pane.getByRole('link')).toHaveCount(0);
  await secretsList(page).getByRole('option', { name: 'GOOGLE_CALENDAR_TOKEN' }).click();
  await expect(pane.getByText('book_appointment', { exact: true })).toBeVisible();
  await expect(pane.getByRole('link')).toHaveCount(0);

  const secretId = await pane.locator('.fact-with-action .mono').innerText();
  await pane.getByRole('button', { name: 'Copy secret ID' }).click();
  await expect(pane.getByRole('button', { name: 'Copied secret ID' })).toHaveText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secretId);
  await pane.getByRole('button', { name: 'Copy secret name' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('GOOGLE_CALENDAR_TOKEN');
  await pane.getByRole('button', { name: 'Copy ID of book_appointment' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toMatch(/^tool_\w+$/);
});
