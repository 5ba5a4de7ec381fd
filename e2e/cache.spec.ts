import { appCommandNames, appCommands } from '../src/shared/commands';
import { addWorkspace, expect, injectFault, startEmulator, switcher, test, type RunningProcess } from './fixtures';

// The renderer's server state comes from one query cache that main's events keep current, and
// its keys from the one command table the menu uses too.

const KEY = 'sk_e2e_cache_staging_0000000000001';
const SLOW_KEY = 'sk_e2e_cache_slow_000000000000002';
let emulator: RunningProcess;

test.beforeAll(async () => {
  emulator = await startEmulator(['--seed', 'bench:300', '--key', KEY, '--key', SLOW_KEY]);
});
test.afterAll(async () => emulator.stop());
test.afterEach(async () => injectFault(emulator.url, null));

test('a sync keeps the list on screen, then main’s events refresh it without a reload', async ({ page, app }) => {
  await app.open(page);
  const dialog = await addWorkspace(page, { name: 'Staging', baseUrl: emulator.url, apiKey: KEY });
  await expect(dialog).toBeHidden();
  const count = page.locator('.result-count');
  await expect(count).toHaveText('300 secrets');
  // Unused secrets only: one of them can be deleted in ElevenLabs.
  await page.getByLabel('Usage').selectOption('unused');
  await expect(count).not.toHaveText('300 secrets');
  await expect(count).toHaveText(/^\d+ secrets$/);
  const unused = Number((await count.innerText()).replace(/\D/g, ''));
  const rows = page.getByRole('listbox', { name: 'Secrets' }).getByRole('option');
  const first = (await rows.first().innerText()).split('\n')[0]!;

  // The first one goes away in ElevenLabs; the next sync is slow at its end.
  await rows.first().click();
  const secretId = await page.getByRole('region', { name: 'Secret details' }).locator('.fact-with-action .mono').innerText();
  const deleted = await fetch(`${emulator.url}/v1/convai/secrets/${secretId}`, { method: 'DELETE', headers: { 'xi-api-key': KEY } });
  expect(deleted.status, await deleted.text()).toBeLessThan(300);
  await injectFault(emulator.url, { delayMs: 2_000, pathPrefix: '/v1/workspace/auth-connections', count: 1 });

  await page.getByRole('button', { name: 'Sync', exact: true }).click();
  await expect(page.getByRole('progressbar', { name: 'Sync progress' })).toBeVisible();
  // While it runs, the saved inventory stays listed.
  await expect(rows.first()).toHaveText(new RegExp(`^${first}`));
  await expect(count).toHaveText(`${unused} secrets`);

  // Done: the list is read again by itself.
  await expect(count).toHaveText(`${unused - 1} secrets`);
  await expect(rows.first()).not.toHaveText(new RegExp(`^${first}`));
  await page.getByLabel('Presence').selectOption('removed');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(first);
});

test('the shortcuts dialog and the keys come from the shared command table', async ({ page, app }) => {
  await app.open(page);
  await page.getByRole('button', { name: 'Try the demo workspace' }).click();
  await expect(page.getByRole('listbox', { name: 'Secrets' }).getByRole('option').first()).toBeVisible();

  await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
  const table = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  for (const name of appCommandNames) {
    const { combo, description } = appCommands[name];
    const row = table.locator('.shortcut-row', { hasText: description });
    await expect(row).toHaveCount(1);
    await expect(row.locator('kbd')).toHaveText(combo.replace('Mod', 'Ctrl'));
  }
  await expect(table).toContainText('Switch to workspace 1 to 9');
  await page.keyboard.press('Escape');

  const heading = page.getByRole('heading', { level: 1 });
  const press = (combo: string) => page.keyboard.press(combo.replace('Mod', 'Control'));
  await press(appCommands['show-connections'].combo);
  await expect(heading).toHaveText('Auth connections');
  await press(appCommands['show-workspaces'].combo);
  await expect(heading).toHaveText('Workspaces');
  await press(appCommands['show-secrets'].combo);
  await expect(heading).toHaveText('Secrets');
  await press(appCommands['focus-search'].combo);
  await expect(page.getByRole('searchbox', { name: 'Search secrets' })).toBeFocused();
  await press(appCommands['sync-shown'].combo);
  await expect(page.locator('.toast', { hasText: 'Synced “Demo workspace”: no changes.' })).toBeVisible();
  await press(appCommands['add-workspace'].combo);
  await expect(page.getByRole('dialog', { name: 'Add workspace' })).toBeVisible();
});

test('closing the add dialog while the key is checked cancels the check and keeps nothing', async ({ page, app }) => {
  await app.open(page);
  await injectFault(emulator.url, { delayMs: 2_500, key: SLOW_KEY });
  const dialog = await addWorkspace(page, { name: 'Slow', baseUrl: emulator.url, apiKey: SLOW_KEY });
  await expect(dialog.getByRole('button', { name: 'Checking key…' })).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  // Main answered the cancel, and the check it stopped kept nothing.
  await expect.poll(() => app.ipcFrames.some((frame) => frame.includes('"cancelled":1'))).toBe(true);
  await page.waitForTimeout(3_000);
  await expect(switcher(page).getByRole('button')).toHaveCount(0);
  expect(await app.keychainAccounts()).toHaveLength(0);
});

test('a list of 100,000 secrets reads only the pages on screen, and jumps to its end at once', async ({ page, app }) => {
  test.setTimeout(240_000);
  const big = await startEmulator(['--seed', 'bench:100000', '--key', KEY]);
  try {
    await app.open(page);
    const dialog = await addWorkspace(page, { name: 'Big', baseUrl: big.url, apiKey: KEY });
    await expect(dialog).toBeHidden();
    await expect(page.getByText('100,000 secrets', { exact: true })).toBeVisible({ timeout: 180_000 });
    const list = page.getByRole('listbox', { name: 'Secrets' });
    // Only a screenful of rows exists in the page.
    expect(await list.getByRole('option').count()).toBeLessThan(60);

    await list.focus();
    await page.keyboard.press('End');
    const last = list.locator('[aria-posinset="100000"]');
    await expect(last).toHaveAttribute('aria-selected', 'true');
    await expect(last.locator('.secret-name')).toHaveText(/\w/, { timeout: 3_000 });
    await page.keyboard.press('Enter');
    await expect(page.getByRole('region', { name: 'Secret details' }).getByRole('heading', { level: 2 })).toHaveText(
      await last.locator('.secret-name').innerText(),
    );

    // A search over all of them answers while typing.
    await page.getByRole('searchbox', { name: 'Search secrets' }).fill('stripe webhook');
    await expect(page.locator('.result-count')).toHaveText(/^[\d,]+ secrets?$/, { timeout: 3_000 });
    await expect(page.locator('.result-count')).not.toHaveText('100,000 secrets');
    // The answer starts at the top, though the list was scrolled to the end of the last one.
    await expect(list.locator('[aria-posinset="1"]')).toBeInViewport();
  } finally {
    await big.stop();
  }
});
