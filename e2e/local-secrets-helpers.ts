import { createHash } from 'node:crypto';
import { expect, type Locator, type Page } from '@playwright/test';
import { addWorkspace, showSection, type AppFixture } from './fixtures';

// Helpers for the local secrets specs: the emulator's HTTP API (as the dashboard would use it),
// the preview's clipboard probe, and the steps several specs take through the UI.

export interface RemoteSecret {
  secret_id: string;
  name: string;
}

/** The workspace's secrets as ElevenLabs lists them (names and ids; the API never returns values). */
export async function remoteSecrets(emulatorUrl: string, key: string): Promise<RemoteSecret[]> {
  const response = await fetch(`${emulatorUrl}/v1/convai/secrets`, { headers: { 'xi-api-key': key } });
  expect(response.ok).toBe(true);
  return ((await response.json()) as { secrets: RemoteSecret[] }).secrets;
}

export async function remoteNamed(emulatorUrl: string, key: string, name: string): Promise<RemoteSecret[]> {
  return (await remoteSecrets(emulatorUrl, key)).filter((secret) => secret.name === name);
}

/** Makes a secret the way the dashboard would: straight through the API with the workspace's key. */
export async function createInDashboard(emulatorUrl: string, key: string, name: string, value: string): Promise<string> {
  const response = await fetch(`${emulatorUrl}/v1/convai/secrets`, {
    method: 'POST',
    headers: { 'xi-api-key': key, 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'new', name, value }),
  });
  expect(response.ok).toBe(true);
  return ((await response.json()) as { secret_id: string }).secret_id;
}

/** Write requests the emulator answered, by route ("PATCH /v1/convai/secrets/{secret_id}"). */
export async function emulatorWrites(emulatorUrl: string, route: string): Promise<number> {
  const response = await fetch(`${emulatorUrl}/_emulator/stats`);
  return ((await response.json()) as { byRoute: Record<string, number> }).byRoute[route] ?? 0;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The SHA-256 of what the preview's clipboard holds (null when empty), never the text. */
export async function clipboardHash(app: AppFixture): Promise<string | null> {
  const url = new URL(app.preview.url);
  const token = new URLSearchParams(url.hash.slice(1)).get('token') ?? '';
  const response = await fetch(`${url.origin}/__preview/clipboard`, { headers: { 'x-preview-token': token } });
  expect(response.ok).toBe(true);
  return ((await response.json()) as { sha256: string | null }).sha256;
}

/** Adds a workspace on the emulator and waits for its first sync. */
export async function addSyncedWorkspace(page: Page, name: string, baseUrl: string, apiKey: string, secrets: string): Promise<void> {
  const dialog = await addWorkspace(page, { name, baseUrl, apiKey });
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('group', { name: 'Workspaces' }).getByRole('button', { name })).toContainText(/Synced/);
  await expect(page.getByText(secrets, { exact: true })).toBeVisible();
}

export function localList(page: Page): Locator {
  return page.getByRole('listbox', { name: 'Local secrets' });
}

export function localDetail(page: Page): Locator {
  return page.getByRole('region', { name: 'Local secret details' });
}

/** Creates a local secret through its dialog, targeting the named workspaces. */
export async function createLocalSecret(
  page: Page,
  { name, value, tags, targets }: { name: string; value: string; tags?: string; targets: string[] },
): Promise<void> {
  await page.getByRole('button', { name: 'New local secret' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'New local secret' });
  await dialog.getByLabel('Name', { exact: true }).fill(name);
  await dialog.getByLabel('Value', { exact: true }).fill(value);
  if (tags) await dialog.getByLabel('Tags').fill(tags);
  for (const target of targets) await dialog.getByRole('checkbox', { name: target }).check();
  await dialog.getByRole('button', { name: 'Save local secret' }).click();
  await expect(dialog).toBeHidden();
  await expect(localList(page).getByRole('option', { name, exact: true })).toBeVisible();
}

/** Applies the push plan dialog on screen and waits until it says how it ended. */
export async function applyPlan(dialog: Locator, expected: string | RegExp): Promise<void> {
  await dialog.getByRole('button', { name: /^(Apply|Delete from ElevenLabs|Apply the rest|Try the failed)/ }).click();
  await expect(dialog.getByRole('status')).toHaveText(expected, { timeout: 30_000 });
}

export async function setSettings(page: Page, values: { clipboard?: number; reveal?: number }): Promise<void> {
  await showSection(page, 'Settings');
  if (values.clipboard !== undefined) await page.getByLabel('Clear the clipboard after (seconds)').fill(String(values.clipboard));
  if (values.reveal !== undefined) await page.getByLabel('Hide a revealed value after (seconds)').fill(String(values.reveal));
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('status', { name: 'Notifications' })).toContainText('Settings saved.');
}
