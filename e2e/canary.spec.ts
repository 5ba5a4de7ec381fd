import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect, startEmulator, test } from './fixtures';

// Canary keys typed into the real UI must end up in the keychain and nowhere else: not in any
// file under the data folder, not in the preview's output (its logs), not in any message the
// page received, and not in the page itself once the dialog is done.

const canaries = [`sk_canary_${randomUUID().replace(/-/g, '')}`, `sk_canary_${randomUUID().replace(/-/g, '')}`];
const rejected = `sk_canary_${randomUUID().replace(/-/g, '')}`;

test('canary keys stay in the keychain', async ({ page, app }) => {
  const emulator = await startEmulator(['--seed', 'bench:150', ...canaries.flatMap((key) => ['--key', key])]);
  try {
    await app.open(page);
    for (const [i, key] of [rejected, ...canaries].entries()) {
      await page.getByRole('button', { name: 'Add workspace' }).first().click();
      const dialog = page.getByRole('dialog', { name: 'Add workspace' });
      await dialog.getByLabel('Name').fill(`Canary ${i}`);
      await dialog.getByLabel('Data residency').selectOption('custom');
      await dialog.getByLabel('API base URL').fill(emulator.url);
      await dialog.getByLabel('API key', { exact: true }).fill(key);
      await dialog.getByRole('button', { name: 'Add workspace' }).click();
      if (key === rejected) {
        await expect(dialog.getByLabel('API key', { exact: true })).toHaveAccessibleDescription(/did not accept this API key/);
        await dialog.getByRole('button', { name: 'Cancel' }).click();
      } else {
        await expect(dialog).toBeHidden();
        await expect(page.getByText('150 secrets', { exact: true })).toBeVisible();
      }
    }
    await page.getByRole('button', { name: 'Sync all' }).click();
    await page.getByRole('button', { name: 'All workspaces' }).click();
    await expect(page.getByText('300 secrets', { exact: true })).toBeVisible();
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Workspaces' }).click();
    await expect(page.getByRole('list', { name: 'Workspaces' })).toContainText('Canary 2');

    // Positive control: the canaries really went through (two kept, one refused).
    expect(await app.keychainAccounts()).toHaveLength(2);

    const everything = [rejected, ...canaries];
    const files = fs.readdirSync(app.dataDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    expect(files.map((e) => e.name)).toEqual(expect.arrayContaining(['agent-keyring.sqlite', 'main.log']));
    for (const entry of files) {
      const content = fs.readFileSync(path.join(entry.parentPath, entry.name)).toString('latin1');
      for (const canary of everything) expect(content.includes(canary), `${canary} in ${entry.name}`).toBe(false);
    }
    expect(app.ipcFrames.length).toBeGreaterThan(10);
    for (const frame of app.ipcFrames)
      for (const canary of everything) expect(frame.includes(canary), 'canary in an IPC reply').toBe(false);
    for (const canary of everything) expect(app.preview.output().includes(canary), 'canary in the preview output').toBe(false);
    const pageState = await page.evaluate(
      () => document.documentElement.outerHTML + JSON.stringify(sessionStorage) + JSON.stringify(localStorage),
    );
    for (const canary of everything) expect(pageState.includes(canary), 'canary left in the page').toBe(false);
  } finally {
    await emulator.stop();
  }
});
