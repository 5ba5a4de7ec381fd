import { expect, injectFault, startEmulator, test, type RunningProcess } from './fixtures';
import type { Page } from '@playwright/test';

// Every way the API can fail reaches the user as a clear message naming what went wrong.

const VALID_KEY = 'sk_e2e_valid_000000000000000001';
const NO_SECRETS_KEY = 'sk_e2e_no_secrets_00000000000002';
let emulator: RunningProcess;

test.beforeAll(async () => {
  emulator = await startEmulator(['--seed', 'demo', '--key', VALID_KEY, '--key', `${NO_SECRETS_KEY}:user_read,workspace_read`]);
});
test.afterAll(async () => emulator.stop());
test.afterEach(async () => injectFault(emulator.url, null));

async function openAddDialog(page: Page, name: string, baseUrl: string, apiKey: string) {
  await page.getByRole('button', { name: 'Add an ElevenLabs workspace' }).or(page.getByRole('button', { name: 'Add workspace' })).first().click();
  const dialog = page.getByRole('dialog', { name: 'Add workspace' });
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByLabel('Data residency').selectOption('custom');
  await dialog.getByLabel('API base URL').fill(baseUrl);
  await dialog.getByLabel('API key', { exact: true }).fill(apiKey);
  await dialog.getByRole('button', { name: 'Add workspace' }).click();
  return dialog;
}

test('an invalid key and an unreachable host are explained in the add dialog', async ({ page, app }) => {
  await app.open(page);
  const dialog = await openAddDialog(page, 'Typo', emulator.url, 'sk_e2e_not_a_real_key_0000000');
  await expect(dialog.getByRole('alert')).toContainText('did not accept this API key (invalid_api_key)');
  await expect(dialog.getByLabel('API key', { exact: true })).toHaveAttribute('aria-invalid', 'true');

  await dialog.getByLabel('API base URL').fill('http://127.0.0.1:9');
  await dialog.getByLabel('API key', { exact: true }).fill(VALID_KEY);
  await dialog.getByRole('button', { name: 'Add workspace' }).click();
  await expect(dialog).toContainText("Could not reach 127.0.0.1:9. Check your internet connection or the workspace's address.");
  await dialog.getByRole('button', { name: 'Save unverified' }).click();
  await expect(dialog).toBeHidden();
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Workspaces' }).click();
  await expect(page.getByRole('list', { name: 'Workspaces' })).toContainText('Unverified');
  expect(await app.keychainAccounts()).toHaveLength(1);
});

test('a key lacking a permission, 429, 500 and a timeout each get a clear message', async ({ page, app }) => {
  await app.open(page);
  const alerts = page.getByRole('alert');

  // Valid key without convai_read: kept (the key is fine), but syncing secrets says what it lacks.
  await openAddDialog(page, 'Limited', emulator.url, NO_SECRETS_KEY);
  await expect(alerts.filter({ hasText: 'lacks the convai_read permission' })).toBeVisible();

  await openAddDialog(page, 'Production', emulator.url, VALID_KEY);
  await expect(page.getByRole('status', { name: 'Data freshness' })).toContainText('Synced');
  const sync = page.getByRole('button', { name: 'Sync', exact: true });

  await injectFault(emulator.url, { status: 429, retryAfter: 1 });
  await sync.click();
  await expect(alerts.filter({ hasText: 'ElevenLabs is rate-limiting this key (rate_limit_exceeded). Try again in 1 s.' })).toBeVisible();

  await injectFault(emulator.url, null);
  await injectFault(emulator.url, { status: 500 });
  await sync.click();
  await expect(alerts.filter({ hasText: /ElevenLabs had a server error \(HTTP 500 from 127\.0\.0\.1:\d+\)\. Try again later\./ })).toBeVisible();

  await injectFault(emulator.url, null);
  await injectFault(emulator.url, { delayMs: 8000 });
  await sync.click();
  await expect(alerts.filter({ hasText: /127\.0\.0\.1:\d+ did not answer in time/ })).toBeVisible();

  // The cached inventory is untouched by all of it.
  await injectFault(emulator.url, null);
  await expect(page.getByRole('listbox', { name: 'Secrets' }).getByRole('option', { name: 'GOOGLE_CALENDAR_TOKEN' })).toBeVisible();
});
