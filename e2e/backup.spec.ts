import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import keytar from 'keytar';
import type { Page } from '@playwright/test';
import { signInAt } from '../test/support/oidc-login';
import { OIDC_CLIENT_ID } from '../test/support/oidc-server';
import { startProcess } from '../test/support/processes';
import {
  addWorkspace,
  expect,
  expectNoSeriousA11yViolations,
  showSection,
  startEmulator,
  startPreview,
  test,
  type RunningProcess,
} from './fixtures';
import { localDetail, localList, remoteNamed } from './local-secrets-helpers';

// Backup and restore through the UI, as a builder moving to a new computer does it: back up a
// data folder holding a workspace, local secrets (one with a previous value), an auth connection
// kept here and a linked account; restore into a fresh data folder and a fresh keychain (a second
// preview, its own keychain service). The two previews share a folder that stands in for the Save
// and Open dialogs (--backup-dir). Key derivation at the product's 2^18.

test.describe.configure({ mode: 'serial' });

const WORKSPACE_KEY = `sk_e2e_backup_${randomUUID().replace(/-/g, '')}`;
const VALUES = {
  stripe: `canary-stripe-${randomUUID()}`,
  stripeOld: `canary-stripe-old-${randomUUID()}`,
  twilio: `canary-twilio-${randomUUID()}`,
  bearer: `canary-bearer-${randomUUID()}`,
};
const canaries = [...Object.values(VALUES), WORKSPACE_KEY];

let emulator: RunningProcess;
let oidc: RunningProcess;
const backupDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-keyring-e2e-backups-'));
const machines: { dataDir: string; service: string; preview: RunningProcess; frames: string[] }[] = [];
let passphrase = '';

async function startMachine(page: Page) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-keyring-e2e-'));
  const service = `agent-keyring-e2e-${randomUUID()}`;
  const preview = await startPreview(dataDir, service, ['--backup-dir', backupDir]);
  const machine = { dataDir, service, preview, frames: [] as string[] };
  page.on('websocket', (socket) => socket.on('framereceived', (frame) => machine.frames.push(String(frame.payload))));
  machines.push(machine);
  await page.goto(preview.url);
  return machine;
}

/** axe on the screen as it is, in the light and the dark scheme. */
async function axeBothSchemes(page: Page, screen: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await expectNoSeriousA11yViolations(page, `${screen} (${colorScheme})`);
  }
}

test.beforeAll(async () => {
  emulator = await startEmulator(['--seed', 'empty', '--key', WORKSPACE_KEY]);
  oidc = await startProcess(['test/support/oidc-server.ts', '--port', '0'], /listening on (http:\/\/127\.0\.0\.1:\d+)/);
});

test.afterAll(async () => {
  for (const machine of machines) {
    await machine.preview.stop();
    for (const { account } of await keytar.findCredentials(machine.service)) await keytar.deletePassword(machine.service, account);
    fs.rmSync(machine.dataDir, { recursive: true, force: true });
  }
  fs.rmSync(backupDir, { recursive: true, force: true });
  await oidc?.stop();
  await emulator?.stop();
});

test('a backup made in Settings: Review flags values until then, a passphrase shown once, the recovery sheet, verified', async ({
  page,
}) => {
  test.setTimeout(60_000);
  const source = await startMachine(page);
  const added = await addWorkspace(page, { name: 'Production', baseUrl: emulator.url, apiKey: WORKSPACE_KEY });
  await expect(added).toBeHidden();

  // What a builder has on this computer, made through the window's own API (the UI for each is tested in its own spec).
  const { workspaceId, authorizeUrl } = await page.evaluate(
    async ({ values, issuer, clientId }) => {
      type Reply = { ok: true; data: unknown } | { ok: false; error: { message: string } };
      function unwrap<T>(reply: Reply): T {
        if (!reply.ok) throw new Error(reply.error.message);
        return reply.data as T;
      }
      const k = (window as unknown as { keyring: Record<string, Record<string, (request: unknown) => Promise<Reply>>> }).keyring;
      const workspaceId = unwrap<{ workspaces: { id: string }[] }>(await k.workspaces!.list!({})).workspaces[0]!.id;
      const targets = [{ workspaceId, remoteName: null }];
      const stripe = unwrap<{ id: string }>(
        await k.localSecrets!.create!({ name: 'STRIPE_KEY', value: values.stripeOld, note: '', tags: [], targets }),
      );
      unwrap(await k.localSecrets!.rotate!({ id: stripe.id, value: values.stripe }));
      unwrap(await k.localSecrets!.create!({ name: 'TWILIO_TOKEN', value: values.twilio, note: '', tags: [], targets }));
      unwrap(
        await k.keptConnections!.create!({
          definition: { authType: 'bearer_auth', name: 'Catalog bearer', provider: 'catalog', token: values.bearer },
          targets: [],
        }),
      );
      const provider = unwrap<{ id: string }>(
        await k.accounts!.saveProvider!({
          kind: 'custom',
          name: 'Local IdP',
          clientId,
          clientSecret: null,
          authorizeUrl: `${issuer}/auth`,
          tokenUrl: `${issuer}/token`,
          revokeUrl: null,
          issuer,
          scopes: ['openid', 'offline_access'],
          pkce: true,
        }),
      );
      const started = unwrap<{ authorizeUrl: string }>(await k.accounts!.startLink!({ personLabel: 'me', providerId: provider.id }));
      return { workspaceId, authorizeUrl: started.authorizeUrl };
    },
    { values: VALUES, issuer: oidc.url, clientId: OIDC_CLIENT_ID },
  );
  expect(workspaceId).toBeTruthy();
  const browser = await page.context().browser()!.newContext();
  await signInAt(await browser.newPage(), authorizeUrl, { login: 'me' });
  await browser.close();
  await showSection(page, 'Linked accounts');
  await expect(page.getByText('me', { exact: true }).first()).toBeVisible();

  // Review: values only this computer holds, until a verified backup has them.
  await showSection(page, 'Review');
  const notBackedUp = page.getByRole('heading', { name: /^Not in a verified backup/ });
  await expect(notBackedUp).toBeVisible();
  await expect(page.getByText('No verified backup has been made on this computer: only it holds this value.')).toHaveCount(2);
  await axeBothSchemes(page, 'Review with values not backed up');

  await showSection(page, 'Settings');
  const section = page.getByRole('region', { name: 'Backup' });
  await expect(section.getByText('Last verified backup: never')).toBeVisible();
  await section.getByRole('button', { name: 'Generate a passphrase' }).click();
  const shown = section.getByLabel('Passphrase (shown only now)');
  await expect(shown).toHaveValue(/^[a-z]+(-[a-z]+){5,}$/);
  passphrase = await shown.inputValue();
  await axeBothSchemes(page, 'Settings › Backup with a passphrase shown');

  await section.getByRole('button', { name: 'Create backup…' }).click();
  await expect(section.getByRole('status').filter({ hasText: 'Backup made and checked.' })).toBeVisible({ timeout: 20_000 });
  await expect(section.getByText(/^Last verified backup: just now \(\d+ values, .*agent-keyring-backup-.*\.age\)$/)).toBeVisible();

  // The printable sheet holds the passphrase; window.print is stubbed (a headless browser cannot print).
  await page.evaluate(() => {
    (window as unknown as { printed: string[] }).printed = [];
    window.print = () =>
      (window as unknown as { printed: string[] }).printed.push(document.querySelector('.print-sheet')?.textContent ?? '');
  });
  await section.getByRole('button', { name: 'Print recovery sheet' }).click();
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { printed: string[] }).printed))
    .toEqual([expect.stringContaining(`Agent Keyring — backup recovery sheet`)]);
  expect((await page.evaluate(() => (window as unknown as { printed: string[] }).printed))[0]).toContain(passphrase);
  await section.getByRole('button', { name: 'Done (forget the passphrase)' }).click();
  await expect(section.getByLabel('Passphrase (shown only now)')).toHaveCount(0);
  await showSection(page, 'Review');
  await expect(page.getByRole('heading', { level: 1, name: 'Review' })).toBeVisible();
  await expect(notBackedUp).toBeHidden();
  await showSection(page, 'Settings');

  // Verify: the last backup by default, opened and checked with its passphrase.
  await section.getByRole('button', { name: 'Verify backup…' }).click();
  const verify = page.getByRole('dialog', { name: 'Verify a backup' });
  await expect(verify.getByRole('status').first()).toHaveText(/agent-keyring-backup-.*\.age$/);
  await verify.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await verify.getByRole('button', { name: 'Verify' }).click();
  await expect(verify.getByText(/^Verified\. Made .* \d+ values in it, every part checked\.$/)).toBeVisible({ timeout: 20_000 });
  await axeBothSchemes(page, 'Verify a backup');
  await verify.getByRole('button', { name: 'Close' }).click();
  expect(source.frames.length).toBeGreaterThan(0);
});

test('restored on a fresh computer: the plan first, a wrong passphrase refused, every value back', async ({ page }) => {
  test.setTimeout(90_000);
  expect(passphrase).not.toBe('');
  const target = await startMachine(page);
  await expect(page.getByRole('heading', { name: 'Welcome to Agent Keyring' })).toBeVisible();
  await axeBothSchemes(page, 'First run with Restore from a backup');
  await page.getByRole('button', { name: 'Restore from a backup' }).click();
  const dialog = page.getByRole('dialog', { name: 'Restore from a backup' });
  await expect(dialog.getByRole('button', { name: 'Open backup' })).toBeDisabled();
  await dialog.getByRole('button', { name: 'Choose a backup file…' }).click();
  await expect(dialog.getByText(/agent-keyring-backup-.*\.age$/)).toBeVisible();
  await axeBothSchemes(page, 'Restore: choose the file');

  // A wrong passphrase: refused with its own message, nothing written.
  await dialog.getByLabel('Passphrase', { exact: true }).fill('wrong-words-for-this-backup-file-here');
  await dialog.getByRole('button', { name: 'Open backup' }).click();
  await expect(dialog.getByRole('alert')).toHaveText(
    /^Wrong passphrase or recovery key\. This passphrase does not open this backup\. Check it against the recovery sheet/,
    { timeout: 20_000 },
  );
  await axeBothSchemes(page, 'Restore: wrong passphrase');

  await dialog.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await dialog.getByRole('button', { name: 'Open backup' }).click();
  // The plan, before anything is written.
  const plan = dialog.getByRole('region', { name: 'What the restore would do' });
  await expect(plan).toBeVisible({ timeout: 20_000 });
  await expect(dialog.getByRole('status').first()).toContainText(/items to add.*Nothing is written until you restore\./);
  for (const line of [
    /Add\s*Workspace Production\s*1 value/,
    /Add\s*Local secret STRIPE_KEY\s*2 values/,
    /Add\s*Local secret TWILIO_TOKEN/,
  ]) {
    await expect(plan.getByRole('listitem').filter({ hasText: line })).toHaveCount(1);
  }
  await expect(plan.getByRole('listitem').filter({ hasText: 'Linked account' })).toContainText('Needs reconnect');
  expect(await keytar.findCredentials(target.service)).toEqual([]);
  await expect(dialog.getByRole('radio', { name: /^Merge/ })).toBeChecked();
  await expect(dialog.getByRole('radio', { name: /^Replace/ })).toBeDisabled();
  await axeBothSchemes(page, 'Restore: the plan');

  await dialog.getByRole('button', { name: 'Restore', exact: true }).click();
  await expect(dialog.getByText(/^Restored\./)).toBeVisible({ timeout: 20_000 });
  await expect(dialog.getByText('1 linked account needs reconnecting', { exact: false })).toBeVisible();
  await axeBothSchemes(page, 'Restore: done');
  await dialog.getByRole('button', { name: 'Close' }).click();

  // The restored key was re-checked with ElevenLabs (a sync).
  await expect(page.getByRole('group', { name: 'Workspaces' }).getByRole('button', { name: 'Production' })).toContainText(/Synced/, {
    timeout: 20_000,
  });
  await showSection(page, 'Linked accounts');
  await expect(page.getByText('Needs reconnect').first()).toBeVisible();

  // Canaries, before any explicit reveal: no value in any IPC reply, either preview's output or either data folder.
  for (const machine of machines) {
    for (const frame of machine.frames)
      for (const canary of canaries) expect(frame.includes(canary), 'a value in an IPC reply').toBe(false);
    for (const canary of [...canaries, passphrase])
      expect(machine.preview.output().includes(canary), 'a secret in the preview output').toBe(false);
    for (const file of fs.readdirSync(machine.dataDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile())) {
      const content = fs.readFileSync(path.join(file.parentPath, file.name)).toString('latin1');
      for (const canary of [...canaries, passphrase]) expect(content.includes(canary), `a secret in ${file.name}`).toBe(false);
    }
  }

  // Every value is back: the current and the previous, revealed; and pushed to the workspace from here.
  await showSection(page, 'Local secrets');
  await localList(page).getByRole('option', { name: 'STRIPE_KEY', exact: true }).click();
  const detail = localDetail(page);
  await detail.getByRole('button', { name: 'Reveal the value' }).click();
  await expect(detail.getByText(VALUES.stripe, { exact: true })).toBeVisible();
  await detail.getByRole('button', { name: 'Reveal the previous value' }).click();
  await expect(detail.getByText(VALUES.stripeOld, { exact: true })).toBeVisible();
  await detail.getByRole('button', { name: 'Plan push…' }).click();
  const push = page.getByRole('dialog', { name: 'Push plan' });
  await push.getByRole('button', { name: 'Apply' }).click();
  await expect(push.getByRole('status')).toHaveText(/^Finished: 1 done\./, { timeout: 20_000 });
  expect(await remoteNamed(emulator.url, WORKSPACE_KEY, 'STRIPE_KEY')).toHaveLength(1);
});
