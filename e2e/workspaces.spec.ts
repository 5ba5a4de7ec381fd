import { expect, startEmulator, test } from './fixtures';

// Managing workspaces from the Workspaces view: rename, replace a key (a bad one first), and
// the active choice kept by main across a reload.

const FIRST_KEY = 'sk_e2e_manage_first_0000000000001';
const SECOND_KEY = 'sk_e2e_manage_second_000000000002';

test('rename, replace a key, and keep the active workspace across a reload', async ({ page, app }) => {
  const emulator = await startEmulator(['--seed', 'bench:120', '--key', FIRST_KEY, '--key', SECOND_KEY]);
  try {
    await app.open(page);
    await page.getByRole('button', { name: 'Add an ElevenLabs workspace' }).click();
    const add = page.getByRole('dialog', { name: 'Add workspace' });
    await add.getByLabel('Name').fill('Prod');
    await add.getByLabel('Data residency').selectOption('custom');
    await add.getByLabel('API base URL').fill(emulator.url);
    await add.getByLabel('API key', { exact: true }).fill(FIRST_KEY);
    await add.getByRole('button', { name: 'Add workspace' }).click();
    await expect(page.getByText('120 secrets', { exact: true })).toBeVisible();
    const [firstEntry] = await app.keychainAccounts();

    await page.keyboard.press('Control+Shift+W');
    await page.getByRole('button', { name: 'Rename Prod' }).click();
    const rename = page.getByRole('dialog', { name: 'Rename workspace' });
    await rename.getByLabel('Name').fill('Production EU');
    await rename.getByRole('button', { name: 'Save' }).click();
    const workspaces = page.getByRole('group', { name: 'Workspaces' });
    await expect(workspaces.getByRole('button', { name: 'Production EU' })).toBeVisible();

    await page.getByRole('button', { name: 'Replace key of Production EU' }).click();
    const replace = page.getByRole('dialog', { name: 'Replace API key' });
    await replace.getByLabel('API key', { exact: true }).fill('sk_e2e_revoked_key_000000000000');
    await replace.getByRole('button', { name: 'Replace key' }).click();
    await expect(replace.getByLabel('API key', { exact: true })).toHaveAccessibleDescription(/did not accept this API key/);
    expect(await app.keychainAccounts()).toEqual([firstEntry]);

    // The second key reaches another ElevenLabs workspace: the app asks first.
    await replace.getByLabel('API key', { exact: true }).fill(SECOND_KEY);
    await replace.getByRole('button', { name: 'Replace key' }).click();
    await expect(replace.getByRole('alert')).toContainText('reaches a different ElevenLabs workspace');
    await replace.getByRole('button', { name: 'Replace anyway' }).click();
    await expect(replace).toBeHidden();
    const accounts = await app.keychainAccounts();
    expect(accounts).toHaveLength(1);
    expect(accounts[0]).not.toBe(firstEntry);

    await page.reload();
    await expect(workspaces.getByRole('button', { name: 'Production EU' })).toHaveAttribute('aria-current', 'true');
  } finally {
    await emulator.stop();
  }
});

test('the add dialog checks the request’s own schema: errors named by label, the first invalid field focused', async ({ page, app }) => {
  await app.open(page);
  await page.getByRole('button', { name: 'Add an ElevenLabs workspace' }).click();
  const add = page.getByRole('dialog', { name: 'Add workspace' });
  const name = add.getByLabel('Name');
  const key = add.getByLabel('API key', { exact: true });

  await add.getByRole('button', { name: 'Add workspace' }).click();
  await expect(name).toHaveAccessibleDescription('Name must not be empty.');
  await expect(key).toHaveAccessibleDescription(/^API key must not be empty\./);
  await expect(name).toBeFocused();

  await name.fill('Emulator');
  await add.getByLabel('Data residency').selectOption('custom');
  await key.fill('sk_e2e_form_check_0000000000000001');
  await add.getByRole('button', { name: 'Add workspace' }).click();
  const baseUrl = add.getByLabel('API base URL');
  await expect(baseUrl).toHaveAccessibleDescription(/^API base URL is required for a custom URL\./);
  await expect(baseUrl).toBeFocused();

  await baseUrl.fill('http://example.com');
  await add.getByRole('button', { name: 'Add workspace' }).click();
  await expect(baseUrl).toHaveAccessibleDescription(
    /^API base URL must use https \(plain http is only allowed for 127\.0\.0\.1 or localhost\)\./,
  );
  await expect(baseUrl).toBeFocused();
  // Nothing reached main: no key was kept.
  expect(await app.keychainAccounts()).toHaveLength(0);
});
