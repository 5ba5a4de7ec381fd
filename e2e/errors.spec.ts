import { addWorkspace, expect, injectFault, startEmulator, test, type RunningProcess } from './fixtures';
import { refusedPort } from '../test/support/refused-port';

// Every way the API can fail reaches the user as a clear message naming what went wrong, and
// stays on the workspace (its header) rather than only in a passing notification.

const VALID_KEY = 'sk_e2e_valid_000000000000000001';
const NO_SECRETS_KEY = 'sk_e2e_no_secrets_00000000000002';
let emulator: RunningProcess;

test.beforeAll(async () => {
  emulator = await startEmulator(['--seed', 'demo', '--key', VALID_KEY, '--key', `${NO_SECRETS_KEY}:user_read,workspace_read`]);
});
test.afterAll(async () => emulator.stop());
test.afterEach(async () => injectFault(emulator.url, null));

test('an invalid key and an unreachable host are explained in the add dialog', async ({ page, app }) => {
  await app.open(page);
  const dialog = await addWorkspace(page, { name: 'Typo', baseUrl: emulator.url, apiKey: 'sk_e2e_not_a_real_key_0000000' });
  const keyField = dialog.getByLabel('API key', { exact: true });
  await expect(keyField).toHaveAccessibleDescription(/did not accept this API key \(invalid_api_key\)/);
  await expect(keyField).toHaveAttribute('aria-invalid', 'true');

  const port = await refusedPort();
  await dialog.getByLabel('API base URL').fill(`http://127.0.0.1:${port}`);
  await keyField.fill(VALID_KEY);
  await dialog.getByRole('button', { name: 'Add workspace' }).click();
  await expect(dialog).toContainText(
    `Nothing answers at 127.0.0.1:${port} on this computer (the connection was refused): is the emulator (or the server meant to be there) running?`,
  );
  await expect(dialog).not.toContainText('internet');
  await dialog.getByRole('button', { name: 'Save unverified' }).click();
  await expect(dialog).toBeHidden();
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Workspaces' }).click();
  await expect(page.getByRole('list', { name: 'Workspaces' })).toContainText('Unverified');
  expect(await app.keychainAccounts()).toHaveLength(1);
});

test('a key lacking a permission, 429, 500 and a timeout each get a clear message', async ({ page, app }) => {
  await app.open(page);
  const problems = page.getByRole('list', { name: 'Workspace problems' });

  // Valid key without convai_read: the dialog asks first, then the header says what it lacks.
  const dialog = await addWorkspace(page, { name: 'Limited', baseUrl: emulator.url, apiKey: NO_SECRETS_KEY });
  await expect(dialog.getByRole('alert')).toContainText('it lacks the convai_read permission');
  await dialog.getByRole('button', { name: 'Add anyway' }).click();
  await expect(dialog).toBeHidden();
  await expect(problems).toContainText('This key cannot read secrets (it lacks convai_read): replace the key to sync.');

  await addWorkspace(page, { name: 'Production', baseUrl: emulator.url, apiKey: VALID_KEY });
  await expect(page.getByRole('status', { name: 'Data freshness' })).toContainText('Synced');
  const sync = page.getByRole('button', { name: 'Sync', exact: true });

  await injectFault(emulator.url, { status: 429, retryAfter: 1 });
  await sync.click();
  await expect(problems).toContainText('ElevenLabs is limiting how many requests this key may make (rate limited).');
  await expect(page.getByText('rate_limit_exceeded')).toHaveCount(0);

  await injectFault(emulator.url, null);
  await injectFault(emulator.url, { status: 500 });
  await sync.click();
  await expect(problems).toContainText(/ElevenLabs had a server error \(HTTP 500 from 127\.0\.0\.1:\d+\)\. Try again later\./);

  await injectFault(emulator.url, null);
  await injectFault(emulator.url, { delayMs: 8000 });
  await sync.click();
  await expect(page.getByRole('status', { name: 'Data freshness' })).toContainText(/Offline — “Production” did not answer/);

  // The cached inventory is untouched by all of it.
  await injectFault(emulator.url, null);
  await expect(page.getByRole('listbox', { name: 'Secrets' }).getByRole('option', { name: 'GOOGLE_CALENDAR_TOKEN' })).toBeVisible();
});
