import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import keytar from 'keytar';
import { expect, injectFault, startEmulator, startPreview, test } from './fixtures';

// Killing the app (SIGKILL: no shutdown of any kind) in the middle of a sync leaves a database
// that passes integrity_check and still holds the previous inventory.

const KEY = 'sk_e2e_crash_0000000000000000001';

test('killing the preview mid-sync keeps the previous inventory intact', async ({ page }) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-keyring-crash-'));
  const keychainService = `agent-keyring-e2e-${randomUUID()}`;
  const emulator = await startEmulator(['--seed', 'bench:3000', '--key', KEY]);
  let preview = await startPreview(dataDir, keychainService);
  try {
    await page.goto(preview.url);
    await page.getByRole('button', { name: 'Add an ElevenLabs workspace' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add workspace' });
    await dialog.getByLabel('Name').fill('Crash test');
    await dialog.getByLabel('Data residency').selectOption('custom');
    await dialog.getByLabel('API base URL').fill(emulator.url);
    await dialog.getByLabel('API key', { exact: true }).fill(KEY);
    await dialog.getByRole('button', { name: 'Add workspace' }).click();
    await expect(page.getByText('3,000 secrets', { exact: true })).toBeVisible();

    // The next sync has every secret in hand, then waits on the auth connections, and is killed
    // there: halfway, with nothing written yet.
    await injectFault(emulator.url, { delayMs: 2500, pathPrefix: '/v1/workspace/auth-connections' });
    await page.getByRole('button', { name: 'Sync', exact: true }).click();
    const progress = page.getByRole('progressbar', { name: 'Sync progress' });
    await expect(progress).toHaveAttribute('aria-valuetext', /[1-9][\d,]* secrets, now auth connections/);
    await preview.stop('SIGKILL');

    const db = new BetterSqlite3(path.join(dataDir, 'agent-keyring.sqlite'));
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.prepare('SELECT count(*) AS n FROM workspace_secrets WHERE removed_remotely_at IS NULL').get()).toEqual({ n: 3000 });
    expect(db.prepare('SELECT sync_status, secret_count FROM workspaces').get()).toEqual({ sync_status: 'ok', secret_count: 3000 });
    db.close();

    // And the app comes back with it.
    await injectFault(emulator.url, null);
    preview = await startPreview(dataDir, keychainService);
    await page.goto(preview.url);
    await expect(page.getByText('3,000 secrets', { exact: true })).toBeVisible();
  } finally {
    await preview.stop();
    await emulator.stop();
    for (const { account } of await keytar.findCredentials(keychainService)) await keytar.deletePassword(keychainService, account);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
