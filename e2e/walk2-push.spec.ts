import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import keytar from 'keytar';
import { expect, expectNoSeriousA11yViolations, showSection, startEmulator, startPreview, test, type RunningProcess } from './fixtures';
import { addSyncedWorkspace, createInDashboard, createLocalSecret, emulatorWrites, localList, remoteNamed } from './local-secrets-helpers';

// Issue 11, points 1-4 and the plan part of 14, through the UI: a push plan says what it would
// break before it breaks it. One app, one emulator (the demo seed, where TWILIO_AUTH_TOKEN is used
// by 1 agent and 2 phone numbers), the tests in sequence on the state the previous ones left.

const PRODUCTION = 'sk_e2e_walk2_production_00000000001';
const STAGING = 'sk_e2e_walk2_staging_0000000000000002';

test.describe.configure({ mode: 'serial' });

let emulator: RunningProcess;
let preview: RunningProcess;
let page: Page;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-keyring-walk2-push-'));
const keychainService = `agent-keyring-e2e-${randomUUID()}`;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(90_000);
  emulator = await startEmulator(['--seed', 'demo', '--key', PRODUCTION, '--key', STAGING]);
  preview = await startPreview(dataDir, keychainService);
  page = await (await browser.newContext()).newPage();
  await page.goto(preview.url);
  await addSyncedWorkspace(page, 'Production', emulator.url, PRODUCTION, '16 secrets');
  await addSyncedWorkspace(page, 'Staging', emulator.url, STAGING, '16 secrets');
  await showSection(page, 'Local secrets');
});

test.afterAll(async () => {
  await page?.context().close();
  await preview?.stop();
  await emulator?.stop();
  for (const { account } of await keytar.findCredentials(keychainService)) await keytar.deletePassword(keychainService, account);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const planDialog = () => page.getByRole('dialog', { name: 'Push plan' });
const item = (scope: Locator, name: string) => scope.getByRole('listitem').filter({ hasText: name });
/** PATCHes the emulator answered: each one overwrote a remote secret's value. */
const patches = () => emulatorWrites(emulator.url, 'PATCH /v1/convai/secrets/{secret_id}');

async function openPlan(): Promise<Locator> {
  await showSection(page, 'Local secrets');
  await page.getByRole('button', { name: 'Plan push…' }).first().click();
  const plan = planDialog();
  await expect(plan.getByRole('status')).toContainText(/Nothing is sent until you apply|Nothing to push/);
  return plan;
}

test('taking over a dashboard secret in use names its users, keeps focus off Apply, and needs confirming; a left-out item is not sent', async () => {
  // A local secret of a name the dashboard made and agents use, and a new one, both for Production.
  await createLocalSecret(page, { name: 'TWILIO_AUTH_TOKEN', value: 'local-twilio-token-0a9e77', targets: ['Production'] });
  await createLocalSecret(page, { name: 'WALK2_FRESH', value: 'fresh-value-31c5', targets: ['Production'] });
  const before = await remoteNamed(emulator.url, PRODUCTION, 'TWILIO_AUTH_TOKEN');
  const patchesBefore = await patches();

  const plan = await openPlan();
  const production = plan.getByRole('region', { name: 'Production' });
  const twilio = item(production, 'TWILIO_AUTH_TOKEN');
  await expect(twilio).toContainText('the dashboard has a secret of this name: takes it over with the local value');
  await expect(twilio).toContainText('Used by 1 agent and 2 phone numbers (agent “Outbound Sales Caller”, phone number');
  // One Enter must not overwrite a live value: focus is on Cancel, and Apply waits for a confirmation.
  await expect(plan.getByRole('button', { name: 'Cancel' })).toBeFocused();
  const apply = plan.getByRole('button', { name: 'Apply' });
  await expect(apply).toBeDisabled();
  await expect(plan.getByText('Confirm the overwrite of a value in use above, or leave it out.')).toBeVisible();
  const confirm = twilio.getByRole('checkbox', { name: 'Overwrite the value of “TWILIO_AUTH_TOKEN” that 1 agent and 2 phone numbers use' });
  await confirm.check();
  await expect(apply).toBeEnabled();
  await confirm.uncheck();
  await expect(apply).toBeDisabled();

  // The plan dialog passes axe in both colour schemes, confirmation and all.
  await expectNoSeriousA11yViolations(page, 'push plan with an overwrite to confirm (light)');
  await page.emulateMedia({ colorScheme: 'dark' });
  await expectNoSeriousA11yViolations(page, 'push plan with an overwrite to confirm (dark)');
  await page.emulateMedia({ colorScheme: 'light' });

  // Leave the takeover out: only the create is sent, and the result says so.
  await twilio.getByRole('checkbox', { name: 'Include TWILIO_AUTH_TOKEN in Production in this push' }).uncheck();
  await expect(twilio).toContainText('Left out of this push: not sent');
  await expect(plan.getByRole('status')).toHaveText('1 create, 1 update (1 left out). Nothing is sent until you apply.');
  await apply.click();
  await expect(plan.getByRole('status')).toHaveText('Finished: 1 done, 1 left out (not sent, still pending here).', { timeout: 30_000 });
  await expect(twilio).toContainText('Left out: not sent');
  // Focus lands on the result, not on <body>.
  await expect(plan.locator('.plan-status')).toBeFocused();
  expect(await remoteNamed(emulator.url, PRODUCTION, 'WALK2_FRESH')).toHaveLength(1);
  expect(await remoteNamed(emulator.url, PRODUCTION, 'TWILIO_AUTH_TOKEN')).toEqual(before);
  expect(await patches()).toBe(patchesBefore);
  await plan.getByRole('button', { name: 'Close' }).click();
  // Left out is not "did not fully succeed": nothing is offered to retry.
  await expect(page.getByText('The last push did not fully succeed.')).toHaveCount(0);

  // Still pending: the next plan has it again; confirmed, it is sent.
  const again = await openPlan();
  const pending = item(again.getByRole('region', { name: 'Production' }), 'TWILIO_AUTH_TOKEN');
  await pending.getByRole('checkbox', { name: /^Overwrite the value of “TWILIO_AUTH_TOKEN”/ }).check();
  await again.getByRole('button', { name: 'Apply' }).click();
  await expect(again.getByRole('status')).toHaveText('Finished: 1 done.', { timeout: 30_000 });
  await expect(again.locator('.plan-status')).toBeFocused();
  await again.getByRole('button', { name: 'Close' }).click();
  expect(await patches()).toBe(patchesBefore + 1);
  expect(await remoteNamed(emulator.url, PRODUCTION, 'TWILIO_AUTH_TOKEN')).toEqual(before);
});

test('an adopted secret is taken over with the local value, not "the value changed"', async () => {
  await createInDashboard(emulator.url, PRODUCTION, 'WALK2_DASHBOARD_MADE', 'made-in-the-dashboard-1');
  await page
    .getByRole('group', { name: 'Workspaces' })
    .getByRole('button', { name: /Production/ })
    .click();
  await page.getByRole('button', { name: 'Sync', exact: true }).click();
  await showSection(page, 'Secrets');
  await page.getByRole('button', { name: 'This workspace' }).click();
  await page.getByRole('searchbox', { name: 'Search secrets' }).fill('WALK2_DASHBOARD');
  await page.getByRole('listbox', { name: 'Secrets' }).getByRole('option', { name: 'WALK2_DASHBOARD_MADE' }).click();
  await page.getByRole('region', { name: 'Secret details' }).getByRole('button', { name: 'Manage here…' }).click();
  const adopt = page.getByRole('dialog', { name: 'Manage “WALK2_DASHBOARD_MADE” here' });
  await adopt.getByLabel('Value', { exact: true }).fill('made-in-the-dashboard-1');
  await adopt.getByRole('button', { name: 'Manage here' }).click();
  const plan = planDialog();
  const adopted = item(plan.getByRole('region', { name: 'Production' }), 'WALK2_DASHBOARD_MADE');
  await expect(adopted).toContainText('first push since you chose to manage it here: the dashboard secret takes the local value');
  await expect(adopted).not.toContainText('value changed');
  await plan.getByRole('button', { name: 'Apply' }).click();
  await expect(plan.getByRole('status')).toHaveText('Finished: 1 done.', { timeout: 30_000 });
  await plan.getByRole('button', { name: 'Close' }).click();
});

test('a secret deleted in the dashboard since the last push is said to be, and recreated from the local value', async () => {
  const [fresh] = await remoteNamed(emulator.url, PRODUCTION, 'WALK2_FRESH');
  const deleted = await fetch(`${emulator.url}/v1/convai/secrets/${fresh!.secret_id}`, {
    method: 'DELETE',
    headers: { 'xi-api-key': PRODUCTION },
  });
  expect(deleted.status).toBe(204);
  await page.getByRole('button', { name: 'Sync', exact: true }).click();
  await showSection(page, 'Local secrets');
  await expect(localList(page).getByRole('option', { name: 'WALK2_FRESH', exact: true })).toContainText('Production: Missing remotely');
  const plan = await openPlan();
  const recreate = item(plan.getByRole('region', { name: 'Production' }), 'WALK2_FRESH');
  await expect(recreate).toContainText('Recreate');
  await expect(recreate).toContainText('deleted in ElevenLabs since the last push');
  await expect(recreate).not.toContainText('new in this workspace');
  await plan.getByRole('button', { name: 'Apply' }).click();
  await expect(plan.getByRole('status')).toHaveText('Finished: 1 done.', { timeout: 30_000 });
  await plan.getByRole('button', { name: 'Close' }).click();
  expect(await remoteNamed(emulator.url, PRODUCTION, 'WALK2_FRESH')).toHaveLength(1);
});

test('a refused delete names its users by kind, is final, and its message is whole everywhere', async () => {
  await showSection(page, 'Secrets');
  await page.getByRole('searchbox', { name: 'Search secrets' }).fill('TWILIO_AUTH');
  await page.getByRole('listbox', { name: 'Secrets' }).getByRole('option', { name: 'TWILIO_AUTH_TOKEN' }).click();
  await page.getByRole('region', { name: 'Secret details' }).getByRole('button', { name: 'Delete from ElevenLabs…' }).click();
  const remove = page.getByRole('alertdialog', { name: 'Delete “TWILIO_AUTH_TOKEN” from ElevenLabs?' });
  await expect(remove).toContainText('Still used by 1 agent and 2 phone numbers, as of the last sync.');
  await expect(remove).not.toContainText('agents, tools or other resources');
  await expect(remove.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await remove.getByRole('button', { name: 'Delete from ElevenLabs' }).click();
  await expect(remove.getByRole('status')).toHaveText('Finished: 1 refused by ElevenLabs.', { timeout: 30_000 });
  const message =
    'ElevenLabs refused to delete “TWILIO_AUTH_TOKEN”: it is still used by 1 agent and 2 phone numbers (agent “Outbound Sales Caller”,';
  const refused = item(remove, 'TWILIO_AUTH_TOKEN');
  await expect(refused).toContainText('Refused by ElevenLabs');
  await expect(refused.getByRole('alert')).toContainText(message);
  await expect(refused.getByRole('alert')).toContainText(/\)\. Take it out of these first, then delete it\.$/);
  // Nothing to retry: no "try again" here, and no unfinished push later.
  await expect(remove.getByRole('button', { name: /Try the failed|Apply the rest/ })).toHaveCount(0);
  await remove.getByRole('button', { name: 'Close' }).click();
  await showSection(page, 'Local secrets');
  await expect(page.getByText('The last push did not fully succeed.')).toHaveCount(0);
  // Activity has the same whole message.
  await showSection(page, 'Activity');
  await expect(page.getByText(/it is still used by 1 agent and 2 phone numbers .*then delete it\./).first()).toBeVisible();
  expect(await remoteNamed(emulator.url, PRODUCTION, 'TWILIO_AUTH_TOKEN')).toHaveLength(1);
});

test('the push plan is reachable by keyboard: Tab reaches the "left alone" sections, and the plan scrolls', async () => {
  await showSection(page, 'Local secrets');
  await page.keyboard.press('Control+Shift+P');
  const plan = planDialog();
  await expect(plan.getByRole('status')).toContainText('Nothing to push');
  const leftAlone = plan.locator('summary').filter({ hasText: 'left alone' });
  // Tab (inside the focus trap) reaches each group's "left alone" toggle.
  let reached = 0;
  for (let i = 0; i < 25 && reached < (await leftAlone.count()); i += 1) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => document.activeElement?.tagName === 'SUMMARY')) {
      reached += 1;
      await page.keyboard.press('Enter');
    }
  }
  expect(reached).toBe(await leftAlone.count());
  await expect(plan.getByText('not managed here: left alone').first()).toBeVisible();
  // The long plan scrolls from the keyboard: its region takes focus, End goes to its bottom.
  const groups = plan.getByRole('region', { name: 'Planned changes by workspace' });
  await groups.focus();
  await expect(groups).toBeFocused();
  await page.keyboard.press('End');
  await expect.poll(() => groups.evaluate((el) => el.scrollTop)).toBeGreaterThan(0);
  await page.keyboard.press('Escape');
  await expect(plan).toBeHidden();
});

test('removing a workspace names the local secrets that target it, and drops only those targets', async () => {
  await createLocalSecret(page, { name: 'WALK2_BOTH', value: 'both-value-77', targets: ['Production', 'Staging'] });
  await showSection(page, 'Workspaces');
  await page.getByRole('button', { name: 'Remove Staging' }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Remove “Staging”?' });
  await expect(confirm).toContainText(
    '1 local secret targets it: “WALK2_BOTH”. Their values stay on this computer; their targets to “Staging” are dropped',
  );
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await confirm.getByRole('button', { name: 'Remove workspace' }).click();
  await expect(confirm).toBeHidden();
  await showSection(page, 'Local secrets');
  const row = localList(page).getByRole('option', { name: 'WALK2_BOTH', exact: true });
  await expect(row).toContainText('Production');
  await expect(row).not.toContainText('Staging');
});
