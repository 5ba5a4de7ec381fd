import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import keytar from 'keytar';
import { expect, injectFault, showSection, startEmulator, startPreview, test, type RunningProcess } from './fixtures';
import {
  addSyncedWorkspace,
  applyPlan,
  clipboardHash,
  createInDashboard,
  createLocalSecret,
  emulatorWrites,
  localDetail,
  localList,
  remoteNamed,
  setSettings,
  sha256,
} from './local-secrets-helpers';

// Issue 7 through the UI, in Chromium against the emulator (one process, a key per workspace),
// the real keychain and SQLite: keep values here, push them to two workspaces through a plan.

const PRODUCTION = 'sk_e2e_local_production_0000000001';
const STAGING = 'sk_e2e_local_staging_000000000000002';
/** A workspace of its own for the rate-limit test (the journey leaves its secrets in the others). */
const LIMITED = 'sk_e2e_local_limited_000000000000003';
const CRASHED = 'sk_e2e_local_crashed_000000000000004';
const PATCH = 'PATCH /v1/convai/secrets/{secret_id}';
let emulator: RunningProcess;

test.beforeAll(async () => {
  emulator = await startEmulator(['--seed', 'demo', '--key', PRODUCTION, '--key', STAGING, '--key', LIMITED, '--key', CRASHED]);
});
test.afterAll(async () => emulator.stop());
test.afterEach(async () => injectFault(emulator.url, null));

test('local secrets: create, plan, apply to two workspaces, change, rename, rotate, restore, copy, adopt, delete, import', async ({
  page,
  app,
}) => {
  test.setTimeout(300_000);
  const first = 'first-value-9b1f07c3';
  const second = 'second-value-51e2aa90';
  await app.open(page);
  await addSyncedWorkspace(page, 'Production', emulator.url, PRODUCTION, '16 secrets');
  await addSyncedWorkspace(page, 'Staging', emulator.url, STAGING, '16 secrets');
  // Short timeouts, so the test can watch them end.
  await setSettings(page, { clipboard: 5, reveal: 5 });

  // Create: a value kept here, targeting both workspaces; a second one targeting Production only.
  await page.keyboard.press('Control+Shift+L');
  await expect(page.getByRole('heading', { name: 'Local secrets', level: 1 })).toBeVisible();
  await createLocalSecret(page, { name: 'E2E_PAYMENTS_TOKEN', value: first, tags: 'billing', targets: ['Production', 'Staging'] });
  await createLocalSecret(page, { name: 'E2E_OTHER_TOKEN', value: 'other-value-0c4d', targets: ['Production'] });
  const row = localList(page).getByRole('option', { name: 'E2E_PAYMENTS_TOKEN', exact: true });
  await expect(row).toContainText('Production: Not pushed yet');
  await expect(row).toContainText('Staging: Not pushed yet');

  // The plan, per workspace, before anything is sent.
  await page.keyboard.press('Control+Shift+P');
  const plan = page.getByRole('dialog', { name: 'Push plan' });
  await expect(plan.getByRole('status')).toHaveText('3 creates. Nothing is sent until you apply.');
  const production = plan.getByRole('region', { name: 'Production' });
  const staging = plan.getByRole('region', { name: 'Staging' });
  await expect(production.getByRole('listitem').filter({ hasText: 'E2E_PAYMENTS_TOKEN' })).toContainText('Create');
  await expect(production.getByRole('listitem').filter({ hasText: 'E2E_OTHER_TOKEN' })).toContainText('Create');
  await expect(staging.getByRole('listitem').filter({ hasText: 'E2E_PAYMENTS_TOKEN' })).toContainText('Create');
  await expect(staging.getByRole('listitem')).toHaveCount(1);
  // Everything else in the workspaces is listed as left alone, not deleted.
  await expect(production.getByText('16 remote-only secrets: left alone')).toBeVisible();
  expect(await remoteNamed(emulator.url, PRODUCTION, 'E2E_PAYMENTS_TOKEN')).toEqual([]);
  await applyPlan(plan, 'Finished: 3 done.');
  await expect(production.getByRole('listitem').filter({ hasText: 'E2E_PAYMENTS_TOKEN' })).toContainText('Done');
  await plan.getByRole('button', { name: 'Close' }).click();
  await expect(row).toContainText('Production: In sync');
  await expect(row).toContainText('Staging: In sync');

  // After the re-sync, both remote secrets are in the inventory.
  await showSection(page, 'Secrets');
  await page.getByRole('button', { name: 'All workspaces' }).click();
  await page.getByRole('searchbox', { name: 'Search secrets' }).fill('E2E_PAYMENTS');
  const secrets = page.getByRole('listbox', { name: 'Secrets' });
  await expect(secrets.getByRole('option', { name: 'E2E_PAYMENTS_TOKEN' })).toHaveCount(2);
  await expect(secrets).toContainText('Production');
  await expect(secrets).toContainText('Staging');
  expect(await remoteNamed(emulator.url, PRODUCTION, 'E2E_PAYMENTS_TOKEN')).toHaveLength(1);
  expect(await remoteNamed(emulator.url, STAGING, 'E2E_PAYMENTS_TOKEN')).toHaveLength(1);

  // A new value (a rotation): an update is planned for it only, in both workspaces.
  await showSection(page, 'Local secrets');
  await row.click();
  const detail = localDetail(page);
  await detail.getByRole('button', { name: 'Rotate…' }).click();
  const rotate = page.getByRole('dialog', { name: 'Rotate “E2E_PAYMENTS_TOKEN”' });
  await rotate.getByLabel('New value').fill(second);
  await rotate.getByRole('button', { name: 'Rotate', exact: true }).click();
  await expect(rotate).toBeHidden();
  await expect(row).toContainText('Production: Value changed');
  await page.getByRole('button', { name: 'Plan push…' }).first().click();
  await expect(plan.getByRole('status')).toHaveText('2 updates. Nothing is sent until you apply.');
  for (const group of [production, staging]) {
    await expect(group.getByRole('listitem')).toHaveCount(1);
    await expect(group.getByRole('listitem')).toContainText('E2E_PAYMENTS_TOKEN');
    await expect(group.getByRole('listitem')).toContainText('the value changed');
  }
  await expect(production.getByText('1 unchanged secret, 16 remote-only secrets: left alone')).toBeVisible();
  const patchesBefore = await emulatorWrites(emulator.url, PATCH);
  await applyPlan(plan, 'Finished: 2 done.');
  expect(await emulatorWrites(emulator.url, PATCH)).toBe(patchesBefore + 2);
  await plan.getByRole('button', { name: 'Close' }).click();

  // Reveal: each version on request, hidden again after the (shortened) time.
  await detail.getByRole('button', { name: 'Reveal the value' }).click();
  await expect(detail.getByText(second, { exact: true })).toBeVisible();
  await detail.getByRole('button', { name: 'Reveal the previous value' }).click();
  await expect(detail.getByText(first, { exact: true })).toBeVisible();
  await expect(detail.getByText(second, { exact: true })).toBeHidden({ timeout: 10_000 });
  await expect(detail.getByText(first, { exact: true })).toBeHidden({ timeout: 10_000 });

  // Restore the previous value: it is the current one again.
  await detail.getByRole('button', { name: 'Restore previous…' }).click();
  const restore = page.getByRole('alertdialog', { name: 'Restore the previous value of “E2E_PAYMENTS_TOKEN”?' });
  await expect(restore.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await restore.getByRole('button', { name: 'Restore previous value' }).click();
  await expect(restore).toBeHidden();
  await detail.getByRole('button', { name: 'Reveal the value' }).click();
  await expect(detail.getByText(first, { exact: true })).toBeVisible();
  await detail.getByRole('button', { name: 'Hide the value' }).click();
  await expect(detail.getByText(first, { exact: true })).toBeHidden();

  // Rename: the next push renames it in both workspaces (sending the restored value with it).
  await detail.getByRole('button', { name: 'Edit…' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit “E2E_PAYMENTS_TOKEN”' });
  await edit.getByLabel('Name', { exact: true }).fill('E2E_PAYMENTS_TOKEN_V2');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(edit).toBeHidden();
  const renamedRow = localList(page).getByRole('option', { name: 'E2E_PAYMENTS_TOKEN_V2' });
  await expect(renamedRow).toContainText('Production: Value changed');
  await detail.getByRole('button', { name: 'Plan push…' }).click();
  for (const group of [production, staging]) {
    await expect(group.getByRole('listitem')).toHaveCount(1);
    await expect(group.getByRole('listitem')).toContainText('E2E_PAYMENTS_TOKEN → to E2E_PAYMENTS_TOKEN_V2');
    await expect(group.getByRole('listitem')).toContainText('renamed from “E2E_PAYMENTS_TOKEN”');
  }
  await applyPlan(plan, 'Finished: 2 done.');
  await plan.getByRole('button', { name: 'Close' }).click();
  for (const key of [PRODUCTION, STAGING]) {
    expect(await remoteNamed(emulator.url, key, 'E2E_PAYMENTS_TOKEN')).toEqual([]);
    expect(await remoteNamed(emulator.url, key, 'E2E_PAYMENTS_TOKEN_V2')).toHaveLength(1);
  }
  await expect(renamedRow).toContainText('Production: In sync');

  // Copy: main writes the clipboard (the page never gets the value) and clears it after 5 s.
  await detail.getByRole('button', { name: 'Copy the value' }).click();
  await expect(detail.getByText(/Clipboard clears in \d s/)).toBeVisible();
  await expect.poll(() => clipboardHash(app)).toBe(sha256(first));
  await expect.poll(() => clipboardHash(app), { timeout: 12_000 }).toBeNull();

  // Adopt a remote secret made in the dashboard: one remote secret, now managed here.
  await createInDashboard(emulator.url, PRODUCTION, 'DASHBOARD_MADE_KEY', 'made-in-the-dashboard');
  await page.getByRole('group', { name: 'Workspaces' }).getByRole('button', { name: 'Production' }).click();
  await page.getByRole('button', { name: 'Sync', exact: true }).click();
  await showSection(page, 'Secrets');
  await page.getByRole('button', { name: 'This workspace' }).click();
  await page.getByRole('searchbox', { name: 'Search secrets' }).fill('DASHBOARD_MADE');
  await secrets.getByRole('option', { name: 'DASHBOARD_MADE_KEY' }).click();
  const remoteDetail = page.getByRole('region', { name: 'Secret details' });
  await remoteDetail.getByRole('button', { name: 'Manage here…' }).click();
  const adopt = page.getByRole('dialog', { name: 'Manage “DASHBOARD_MADE_KEY” here' });
  await adopt.getByLabel('Value', { exact: true }).fill('adopted-value-77aa');
  await adopt.getByRole('button', { name: 'Manage here' }).click();
  // Adopting leads to its plan: an update of the existing remote secret, not a second one.
  await expect(production.getByRole('listitem')).toHaveCount(1);
  await expect(production.getByRole('listitem')).toContainText('Update');
  await expect(production.getByRole('listitem')).toContainText('DASHBOARD_MADE_KEY');
  await applyPlan(plan, 'Finished: 1 done.');
  await plan.getByRole('button', { name: 'Close' }).click();
  await expect(remoteDetail).toContainText('Its value is kept here, as the local secret DASHBOARD_MADE_KEY');
  expect(await remoteNamed(emulator.url, PRODUCTION, 'DASHBOARD_MADE_KEY')).toHaveLength(1);

  // Delete a secret agents use: who uses it first, then ElevenLabs' refusal, and it stays.
  await page.getByRole('searchbox', { name: 'Search secrets' }).fill('GOOGLE_CALENDAR');
  await secrets.getByRole('option', { name: 'GOOGLE_CALENDAR_TOKEN' }).click();
  await remoteDetail.getByRole('button', { name: 'Delete from ElevenLabs…' }).click();
  const remove = page.getByRole('alertdialog', { name: 'Delete “GOOGLE_CALENDAR_TOKEN” from ElevenLabs?' });
  await expect(remove.getByRole('button', { name: 'Cancel' })).toBeFocused();
  const users = remove.getByRole('list', { name: 'Used by' });
  await expect(users).toContainText('Appointment Scheduler');
  await expect(users).toContainText('check_calendar_availability');
  // Refused (final, not a failure to retry), in the app's words: who uses it, by kind and by name.
  await applyPlan(remove, 'Finished: 1 refused by ElevenLabs.');
  const refused = remove.getByRole('listitem').filter({ hasText: 'GOOGLE_CALENDAR_TOKEN' });
  await expect(refused).toContainText('Refused by ElevenLabs');
  await expect(refused.getByRole('alert')).toContainText(
    /refused to delete “GOOGLE_CALENDAR_TOKEN”: it is still used by 2 agents and 2 tools \(agent “Appointment Scheduler”/,
  );
  await remove.getByRole('button', { name: 'Close' }).click();
  expect(await remoteNamed(emulator.url, PRODUCTION, 'GOOGLE_CALENDAR_TOKEN')).toHaveLength(1);

  // Import a .env file with a bad line: shown with its line number and problem, not dropped.
  await showSection(page, 'Local secrets');
  await page.getByRole('button', { name: 'Import .env…' }).click();
  const importer = page.getByRole('dialog', { name: 'Import a .env file' });
  const envFile = ['# from the old server', 'IMPORTED_KEY=imported-value-123', '1BAD=nope', 'E2E_OTHER_TOKEN="changed-from-env"', ''].join(
    '\n',
  );
  await importer.getByLabel('Choose a file').setInputFiles({ name: 'old.env', mimeType: 'text/plain', buffer: Buffer.from(envFile) });
  await expect(importer.getByText('Read from “old.env”.')).toBeVisible();
  await importer.getByRole('button', { name: 'Preview' }).click();
  const lines = importer.getByRole('table', { name: 'Lines of the .env file' });
  const bad = lines.getByRole('row').filter({ hasText: '1BAD' });
  await expect(bad.getByRole('cell').nth(1)).toHaveText('3');
  await expect(bad).toContainText("Invalid: name must start with a letter or '_'");
  await expect(bad.getByRole('checkbox')).toBeDisabled();
  await expect(lines.getByRole('row').filter({ hasText: 'IMPORTED_KEY' })).toContainText('New');
  await expect(lines.getByRole('row').filter({ hasText: 'E2E_OTHER_TOKEN' })).toContainText('Changed value');
  await importer.getByRole('button', { name: 'Import 2 secrets' }).click();
  await expect(importer.getByRole('status')).toHaveText(
    'Imported: 1 new local secret and 1 new value for an existing one (the previous value kept).',
  );
  await expect(importer.getByRole('list', { name: '1 line not imported:' }).getByRole('listitem')).toHaveText([
    /^Line 3 1BAD: name must start with a letter or '_'/,
  ]);
  await importer.getByRole('button', { name: 'Done' }).click();
  await expect(localList(page).getByRole('option', { name: 'IMPORTED_KEY' })).toBeVisible();
  await expect(localList(page).getByRole('option', { name: 'E2E_OTHER_TOKEN' })).toContainText('Production: Value changed');
});

test('a rate limit is waited out and shown while a plan is applied', async ({ page, app }) => {
  await app.open(page);
  await addSyncedWorkspace(page, 'Limited', emulator.url, LIMITED, '16 secrets');
  await showSection(page, 'Local secrets');
  await createLocalSecret(page, { name: 'E2E_RATE_LIMITED', value: 'limited-value-42', targets: ['Limited'] });
  await injectFault(emulator.url, { status: 429, retryAfter: 3, method: 'POST', pathPrefix: '/v1/convai/secrets', key: LIMITED, count: 1 });
  await page.getByRole('button', { name: 'Plan push…' }).first().click();
  const plan = page.getByRole('dialog', { name: 'Push plan' });
  await plan.getByRole('button', { name: 'Apply' }).click();
  const status = plan.getByRole('status');
  await expect(status).toHaveText(/^Rate limited by ElevenLabs: retrying in [1-3] s/);
  await expect(plan.getByRole('progressbar', { name: 'Push progress' })).toHaveAttribute('aria-valuetext', /Rate limited/);
  await expect(status).toHaveText('Finished: 1 done.', { timeout: 20_000 });
  expect(await remoteNamed(emulator.url, LIMITED, 'E2E_RATE_LIMITED')).toHaveLength(1);
});

test('a push killed halfway says so after a restart, and finishing it leaves no duplicate', async ({ page }) => {
  test.setTimeout(150_000);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-keyring-push-crash-'));
  const keychainService = `agent-keyring-e2e-${randomUUID()}`;
  let preview = await startPreview(dataDir, keychainService);
  try {
    await page.goto(preview.url);
    await addSyncedWorkspace(page, 'Crashed', emulator.url, CRASHED, '16 secrets');
    await showSection(page, 'Local secrets');
    await createLocalSecret(page, { name: 'E2E_CRASH_A', value: 'crash-value-a-1', targets: ['Crashed'] });
    await createLocalSecret(page, { name: 'E2E_CRASH_B', value: 'crash-value-b-2', targets: ['Crashed'] });

    // The first create lands at once; the second is held by ElevenLabs while the app is killed.
    await injectFault(emulator.url, { delayMs: 8000, method: 'POST', key: CRASHED, skip: 1, count: 1 });
    await page.getByRole('button', { name: 'Plan push…' }).first().click();
    const plan = page.getByRole('dialog', { name: 'Push plan' });
    await plan.getByRole('button', { name: 'Apply' }).click();
    await expect(plan.getByRole('status')).toHaveText('Sending 2 of 2…');
    await preview.stop('SIGKILL');
    await injectFault(emulator.url, null);

    // After the restart the plan says truthfully what may have happened, and can be finished.
    preview = await startPreview(dataDir, keychainService);
    await page.goto(preview.url);
    await showSection(page, 'Local secrets');
    const notice = page.getByRole('status').filter({ hasText: 'The last push was interrupted.' });
    await expect(notice).toBeVisible();
    await notice.getByRole('button', { name: 'Review and finish…' }).click();
    const resume = page.getByRole('dialog', { name: 'Finish the last push' });
    const group = resume.getByRole('region', { name: 'Crashed' });
    await expect(group.getByRole('listitem')).toHaveCount(2);
    await expect(group.getByRole('listitem').filter({ hasText: 'E2E_CRASH_A' })).toContainText('May have been applied');
    await applyPlan(resume, 'Finished: 2 done.');
    expect(await remoteNamed(emulator.url, CRASHED, 'E2E_CRASH_A')).toHaveLength(1);
    expect(await remoteNamed(emulator.url, CRASHED, 'E2E_CRASH_B')).toHaveLength(1);
    await resume.getByRole('button', { name: 'Close' }).click();
    await expect(notice).toBeHidden();
    await expect(localList(page).getByRole('option', { name: 'E2E_CRASH_B' })).toContainText('Crashed: In sync');
  } finally {
    await preview.stop();
    for (const { account } of await keytar.findCredentials(keychainService)) await keytar.deletePassword(keychainService, account);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
