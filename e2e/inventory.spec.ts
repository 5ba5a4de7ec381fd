import { expect, startEmulator, test, type RunningProcess } from './fixtures';

// The journey of the foundation issue, in a real Chromium against the real domain (keychain,
// SQLite, SDK) through the browser preview, with a second workspace on the standalone emulator.

const STAGING_KEY = 'sk_e2e_staging_000000000000000001';
let staging: RunningProcess | undefined;

test.afterEach(async () => {
  await staging?.stop();
  staging = undefined;
});

test('two workspaces: add, switch, sync, search, filter, dependants, offline review, remove', async ({ page, app }) => {
  staging = await startEmulator(['--seed', 'bench:250', '--key', STAGING_KEY]);
  await app.open(page);

  // First run offers the demo, which needs no ElevenLabs account.
  await expect(page.getByRole('heading', { name: 'Welcome to Agent Keyring' })).toBeVisible();
  await page.getByRole('button', { name: 'Try the demo workspace' }).click();
  const workspaces = page.getByRole('group', { name: 'Workspaces' });
  await expect(workspaces.getByRole('button', { name: 'Demo workspace' })).toHaveAttribute('aria-current', 'true');
  const secrets = page.getByRole('listbox', { name: 'Secrets' });
  await expect(secrets.getByRole('option', { name: 'GOOGLE_CALENDAR_TOKEN' })).toBeVisible();

  // A second workspace with its own key, on another API host.
  await page.getByRole('button', { name: 'Add workspace' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add workspace' });
  await dialog.getByLabel('Name').fill('Staging');
  await dialog.getByLabel('Data residency').selectOption('custom');
  await dialog.getByLabel('API base URL').fill(staging.url);
  await dialog.getByLabel('API key', { exact: true }).fill(STAGING_KEY);
  await dialog.getByRole('button', { name: 'Add workspace' }).click();
  await expect(dialog).toBeHidden();
  await expect(workspaces.getByRole('button', { name: 'Staging' })).toHaveAttribute('aria-current', 'true');

  // Synced automatically: 250 secrets arrive over three pages of 100.
  await expect(page.getByText('250 secrets', { exact: true })).toBeVisible();
  expect(await app.keychainAccounts()).toHaveLength(2);

  // Switch by shortcut and by click; the list follows.
  await page.keyboard.press('Control+1');
  await expect(workspaces.getByRole('button', { name: 'Demo workspace' })).toHaveAttribute('aria-current', 'true');
  await expect(secrets.getByRole('option', { name: 'GOOGLE_CALENDAR_TOKEN' })).toBeVisible();
  await workspaces.getByRole('button', { name: 'Staging' }).click();
  await expect(page.getByText('250 secrets', { exact: true })).toBeVisible();

  // Search by any part of the name.
  const resultCount = async () => Number((await page.getByText(/^[\d,]+ secrets?$/).innerText()).replace(/\D/g, ''));
  const firstName = (await secrets.getByRole('option').first().innerText()).split('\n')[0]!;
  const fragment = firstName.slice(3, 9).toLowerCase();
  await page.getByRole('searchbox', { name: 'Search secrets' }).fill(fragment);
  await expect.poll(resultCount).toBeLessThan(250);
  const found = await secrets.getByRole('option').allInnerTexts();
  expect(found.length).toBeGreaterThan(0);
  for (const text of found) expect(text.split('\n')[0]!.toLowerCase()).toContain(fragment);

  // Unused secrets only.
  await page.getByRole('searchbox', { name: 'Search secrets' }).fill('');
  await page.getByLabel('Usage').selectOption('unused');
  await expect.poll(resultCount).toBeLessThan(250);
  expect(await resultCount()).toBeGreaterThan(0);
  for (const text of await secrets.getByRole('option').allInnerTexts()) expect(text).toContain('Unused');

  // A used secret's dependants.
  await page.getByLabel('Usage').selectOption('used');
  await secrets.getByRole('option').first().click();
  const details = page.getByRole('region', { name: 'Secret details' });
  await expect(details.getByRole('heading', { name: 'Used by' })).toBeVisible();
  await expect(details.getByRole('heading', { name: /^(Agents|Tools|Phone numbers|MCP servers) \(\d+\)$/ }).first()).toBeVisible();

  // The API goes away: review goes on from SQLite under the offline banner.
  await staging.stop();
  await page.getByLabel('Usage').selectOption('any');
  await page.getByRole('button', { name: 'Sync', exact: true }).click();
  const freshness = page.getByRole('status', { name: 'Data freshness' });
  await expect(freshness).toContainText('Offline');
  await expect(page.getByText('250 secrets', { exact: true })).toBeVisible();
  await page.getByRole('searchbox', { name: 'Search secrets' }).fill(fragment);
  await expect(secrets.getByRole('option').first()).toBeVisible();
  await secrets.getByRole('option').first().click();
  await expect(details.getByRole('heading', { level: 2 })).toBeVisible();

  // Remove the workspace: confirmed first, then its keychain entry is gone.
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Workspaces' }).click();
  await page.getByRole('button', { name: 'Remove Staging' }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Remove “Staging”?' });
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await confirm.getByRole('button', { name: 'Remove workspace' }).click();
  await expect(workspaces.getByRole('button', { name: 'Staging' })).toHaveCount(0);
  await expect.poll(() => app.keychainAccounts()).toHaveLength(1);
  await expect(workspaces.getByRole('button', { name: 'Demo workspace' })).toHaveAttribute('aria-current', 'true');
});
