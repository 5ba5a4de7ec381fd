import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import keytar from 'keytar';
import type { Locator, Page } from '@playwright/test';
import os from 'node:os';
import { OIDC_MACHINE_CLIENTS, startOidcServer } from '../test/support/oidc-server';
import { expect, expectNoSeriousA11yViolations, showSection, startEmulator, test } from './fixtures';
import { addSyncedWorkspace } from './local-secrets-helpers';

// Connections kept here, through the Auth connections view: made (one by keyboard alone),
// checked against a real OAuth server, edited, adopted from the dashboard, copied to another
// workspace and deleted, with canaries in their sensitive fields that must reach the keychain
// and nothing else the page or the data folder holds; then Review finds a connection revoked in
// the dashboard and the certificate ending soon, and leads to each. One app for the whole walk.

const KEY_STAGING = 'sk_e2e_conn_staging_000000000000001';
const KEY_PRODUCTION = 'sk_e2e_conn_production_00000000001';
const core = () => randomBytes(16).toString('hex');
const cores: Record<string, string> = { bearer: core(), basic: core(), client: core(), adopted: core(), passphrase: core() };
const canaries = {
  bearer: `tok_${cores.bearer}`,
  basic: `pw ${cores.basic} !`,
  client: `secret-${cores.client}`,
  adopted: `catalog_${cores.adopted}`,
  passphrase: `open ${cores.passphrase}`,
};
const SCOPES = ['api:read', 'api:write'];

function kept(page: Page): Locator {
  return page.getByRole('list', { name: 'Connections kept here' });
}
function card(page: Page, name: string): Locator {
  return kept(page)
    .getByRole('listitem')
    .filter({ has: page.getByRole('heading', { name, exact: true }) });
}

test('connections kept here: made, checked, edited, adopted, copied and deleted, their secrets only in the keychain', async ({
  page,
  app,
}) => {
  test.setTimeout(120_000);
  const emulator = await startEmulator(['--seed', 'demo', '--key', KEY_STAGING, '--key', KEY_PRODUCTION]);
  // The OAuth client's secret is the canary: the check only passes if it reached the server intact.
  const oidc = await startOidcServer({ machine: { secret: canaries.client, scopes: SCOPES } });
  try {
    await app.open(page);
    await addSyncedWorkspace(page, 'Production', emulator.url, KEY_PRODUCTION, '16 secrets');
    await addSyncedWorkspace(page, 'Staging', emulator.url, KEY_STAGING, '16 secrets');
    await showSection(page, 'Auth connections');
    await expect(page.getByText('None yet.', { exact: false })).toBeVisible();

    await test.step('a bearer connection, by keyboard alone', async () => {
      await page.getByRole('button', { name: 'New connection…' }).focus();
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog', { name: 'New auth connection' });
      await expect(dialog.getByLabel('Type')).toBeFocused();
      // OAuth2 client credentials, Custom header, Basic auth, Bearer token.
      for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
      await expect(dialog.getByLabel('Type')).toHaveValue('bearer_auth');
      await page.keyboard.press('Tab');
      await expect(dialog.getByLabel('Name (required)', { exact: true })).toBeFocused();
      await page.keyboard.type('Docs bearer');
      await page.keyboard.press('Tab');
      await page.keyboard.type('docs');
      await page.keyboard.press('Tab');
      await expect(dialog.getByLabel('Token (required)')).toBeFocused();
      await expect(dialog.getByLabel('Token (required)')).toHaveAttribute('type', 'password');
      await page.keyboard.type(canaries.bearer);
      await page.keyboard.press('Tab'); // Show token
      await page.keyboard.press('Tab');
      await expect(dialog.getByRole('checkbox', { name: 'Production' })).toBeFocused();
      await page.keyboard.press('Space');
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Enter');
      await expect(dialog).toBeHidden();
      await expect(card(page, 'Docs bearer')).toContainText('Production: Not pushed yet');
      await expect(card(page, 'Docs bearer')).toContainText('Kept in the keychainToken');
    });

    await test.step('a basic connection: each wrong field named, nothing saved, then saved', async () => {
      await page.getByRole('button', { name: 'New connection…' }).click();
      const dialog = page.getByRole('dialog', { name: 'New auth connection' });
      await dialog.getByLabel('Type').selectOption('basic_auth');
      await dialog.getByLabel('Name (required)', { exact: true }).fill('Billing basic');
      await dialog.getByLabel('User name (required)').fill('svc:billing');
      await dialog.getByRole('button', { name: 'Save connection' }).click();
      await expect(dialog.getByText('Provider must not be empty.')).toBeVisible();
      await expect(dialog.getByText(/^User name may not contain ':'/)).toBeVisible();
      await expect(dialog.getByText('Password must not be empty.')).toBeVisible();
      await expect(dialog.getByLabel('Password (required)')).toHaveAttribute('aria-invalid', 'true');
      await expectNoSeriousA11yViolations(page, 'new connection dialog with errors');
      await dialog.getByLabel('Provider (required)').fill('billing');
      await dialog.getByLabel('User name (required)').fill('svc');
      await dialog.getByLabel('Password (required)').fill(canaries.basic);
      await dialog.getByRole('checkbox', { name: 'Staging' }).check();
      await dialog.getByRole('button', { name: 'Save connection' }).click();
      await expect(dialog).toBeHidden();
      await expect(card(page, 'Billing basic')).toContainText('Staging: Not pushed yet');
    });

    await test.step('OAuth2 client credentials against a local oidc-provider, then checked', async () => {
      await page.getByRole('button', { name: 'New connection…' }).click();
      const dialog = page.getByRole('dialog', { name: 'New auth connection' });
      await dialog.getByLabel('Type').selectOption('oauth2_client_credentials');
      await dialog.getByLabel('Name (required)', { exact: true }).fill('Machine');
      await dialog.getByLabel('Provider (required)').fill('oidc');
      await dialog.getByLabel('Client ID (required)').fill(OIDC_MACHINE_CLIENTS.post);
      await dialog.getByLabel('Token URL (required)').fill(`${oidc.issuer}/token`);
      await dialog.getByLabel('Client secret (required)').fill(canaries.client);
      await dialog.getByLabel('Scopes').fill(SCOPES.join('\n'));
      await dialog.getByRole('button', { name: 'Save connection' }).click();
      await expect(dialog).toBeHidden();

      await card(page, 'Machine').getByRole('button', { name: 'Check Machine' }).click();
      const check = page.getByRole('dialog', { name: 'Check “Machine”' });
      await check.getByRole('button', { name: 'Run check' }).click();
      const report = check.getByRole('region', { name: 'Check report' });
      await expect(report).toContainText('Passed');
      await expect(report).toContainText('expires in 3600 s, scopes granted: api:read api:write');
      await expect(report.getByRole('listitem').first()).toBeVisible();
      await expectNoSeriousA11yViolations(page, 'check dialog with its report');
      await check.getByRole('button', { name: 'Close' }).click();
      await expect(check).toBeHidden();
    });

    await test.step('mTLS from PEM files: the public facts shown, the check run', async () => {
      // A CA and a client certificate expiring in 20 days, its key encrypted with the passphrase.
      const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'connections-pem-'));
      const openssl = (...args: string[]) =>
        execFileSync('openssl', args, { cwd: folder, stdio: 'pipe', env: { ...process.env, PASS: canaries.passphrase } });
      const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'];
      openssl(
        'req',
        '-x509',
        ...ec,
        '-nodes',
        '-keyout',
        'ca.key',
        '-out',
        'ca.crt',
        '-subj',
        '/CN=Connections Test CA/O=Tests',
        '-days',
        '3650',
      );
      openssl('req', ...ec, '-keyout', 'client.key', '-passout', 'env:PASS', '-out', 'client.csr', '-subj', '/CN=agent-client/O=Tests');
      openssl(
        'x509',
        '-req',
        '-in',
        'client.csr',
        '-CA',
        'ca.crt',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-out',
        'client.crt',
        '-days',
        '20',
      );
      // A line from the middle of each PEM: found anywhere, the key or certificate leaked.
      cores.key = fs.readFileSync(path.join(folder, 'client.key'), 'utf8').split('\n')[2] ?? '';
      cores.certificate = fs.readFileSync(path.join(folder, 'client.crt'), 'utf8').split('\n')[2] ?? '';
      expect(cores.key.length).toBeGreaterThan(40);

      await page.getByRole('button', { name: 'New connection…' }).click();
      const dialog = page.getByRole('dialog', { name: 'New auth connection' });
      await dialog.getByLabel('Type').selectOption('mtls');
      await dialog.getByLabel('Name (required)', { exact: true }).fill('Partner mTLS');
      await dialog.getByLabel('Provider (required)').fill('partner');
      const readFile = async (button: string, file: string) => {
        const chooser = page.waitForEvent('filechooser');
        await dialog.getByRole('button', { name: button }).click();
        await (await chooser).setFiles(path.join(folder, file));
      };
      await readFile('Read client certificate from a file…', 'client.crt');
      await expect(dialog.getByText('Read from client.crt.')).toBeVisible();
      await readFile('Read client key from a file…', 'client.key');
      await readFile('Read CA certificate from a file…', 'ca.crt');
      await expect(dialog.getByText('Read from ca.crt.')).toBeVisible();
      await dialog.getByLabel('Key passphrase').fill(canaries.passphrase);
      await dialog.getByRole('button', { name: 'Save connection' }).click();
      await expect(dialog).toBeHidden();
      fs.rmSync(folder, { recursive: true, force: true });
      const mtls = card(page, 'Partner mTLS');
      await expect(mtls).toContainText('CN=agent-client');
      await expect(mtls).toContainText(/Certificate expiresIn 19 days/);
      await expect(mtls).toContainText('Client certificate, Client key, CA certificate, Key passphrase');

      await mtls.getByRole('button', { name: 'Check Partner mTLS' }).click();
      const check = page.getByRole('dialog', { name: 'Check “Partner mTLS”' });
      await expect(check.getByLabel('URL to try it on (optional)')).toBeVisible();
      await check.getByRole('button', { name: 'Run check' }).click();
      const report = check.getByRole('region', { name: 'Check report' });
      await expect(report).toContainText('Passed with warnings');
      await expect(report).toContainText('The certificate expires in 19 days');
      await check.getByRole('button', { name: 'Close' }).click();
    });

    await test.step('edited: a public field changed, the password left as it was', async () => {
      await card(page, 'Billing basic').getByRole('button', { name: 'Edit Billing basic' }).click();
      const dialog = page.getByRole('dialog', { name: 'Edit “Billing basic”' });
      await expect(dialog.getByLabel('Provider (required)')).toHaveValue('billing');
      // Never pre-filled, and the help says empty keeps it.
      await expect(dialog.getByLabel('Password', { exact: true })).toHaveValue('');
      await expect(dialog.getByText(/leave empty to keep it unchanged/)).toBeVisible();
      await dialog.getByLabel('Provider (required)').fill('billing-v2');
      await dialog.getByRole('button', { name: 'Save changes' }).click();
      await expect(dialog).toBeHidden();
      await expect(card(page, 'Billing basic')).toContainText('Basic auth · billing-v2');
      await expect(card(page, 'Billing basic')).toContainText('Kept in the keychainPassword');
    });

    await test.step('a dashboard connection adopted by giving its token', async () => {
      const remote = page.getByRole('list', { name: 'Auth connections' });
      await remote.getByRole('button', { name: 'Keep Product Catalog gateway here…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Keep “Product Catalog gateway” here' });
      await expect(dialog.getByLabel('Name (required)', { exact: true })).toHaveValue('Product Catalog gateway');
      await dialog.getByLabel('Token (required)').fill(canaries.adopted);
      await dialog.getByRole('button', { name: 'Keep it here' }).click();
      await expect(dialog).toBeHidden();
      // Its push plan is offered at once; not applied here (connections-push.spec.ts applies one).
      const plan = page.getByRole('dialog', { name: 'Push plan' });
      await expect(plan.getByRole('status').first()).toHaveText('1 update. Nothing is sent until you apply.');
      await plan.getByRole('button', { name: 'Cancel' }).click();
      await expect(plan).toBeHidden();
      await expect(card(page, 'Product Catalog gateway')).toContainText('Staging: Not pushed yet');
      await expect(remote.getByText('Kept here as “Product Catalog gateway”.')).toBeVisible();
    });

    await test.step('copied from Staging to Production', async () => {
      await card(page, 'Billing basic').getByRole('button', { name: 'Copy Billing basic to another workspace' }).click();
      const dialog = page.getByRole('dialog', { name: 'Copy “Billing basic” to another workspace' });
      await expect(dialog.getByLabel('From', { exact: true })).toHaveText('Staging');
      await expect(dialog.getByLabel('To', { exact: true })).toHaveText('Production');
      await expectNoSeriousA11yViolations(page, 'copy dialog');
      await dialog.getByRole('button', { name: 'Copy and review the push…' }).click();
      await expect(dialog).toBeHidden();
      // The plan for the workspace it was copied to follows; cancelled, nothing is sent.
      const plan = page.getByRole('dialog', { name: 'Push plan' });
      await expect(plan.getByRole('status').first()).toHaveText('1 create. Nothing is sent until you apply.');
      await plan.getByRole('button', { name: 'Cancel' }).click();
      await expect(plan).toBeHidden();
      await expect(card(page, 'Billing basic')).toContainText('Production: Not pushed yet');
      await expect(card(page, 'Billing basic')).toContainText('Staging: Not pushed yet');
    });

    await test.step('deleted after a confirmation that says what goes', async () => {
      await card(page, 'Docs bearer').getByRole('button', { name: 'Delete Docs bearer' }).click();
      const dialog = page.getByRole('alertdialog', { name: 'Delete “Docs bearer” here?' });
      await expect(dialog).toContainText('its sensitive part (Token) are removed from this computer and its keychain');
      await expect(dialog).toContainText('It has not been pushed to any workspace.');
      await expectNoSeriousA11yViolations(page, 'delete confirmation');
      await dialog.getByRole('button', { name: 'Delete “Docs bearer”' }).click();
      await expect(dialog).toBeHidden();
      await expect(card(page, 'Docs bearer')).toHaveCount(0);
    });

    await test.step('axe on the list and the new connection dialog, both schemes', async () => {
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme });
        await expectNoSeriousA11yViolations(page, `auth connections with kept ones, ${colorScheme}`);
        await page.getByRole('button', { name: 'New connection…' }).click();
        const dialog = page.getByRole('dialog', { name: 'New auth connection' });
        await dialog.getByLabel('Type').selectOption('mtls');
        await expect(dialog.getByRole('button', { name: 'Read client certificate from a file…' })).toBeVisible();
        await expectNoSeriousA11yViolations(page, `new mTLS connection dialog, ${colorScheme}`);
        await dialog.getByRole('button', { name: 'Cancel' }).click();
        await expect(dialog).toBeHidden();
      }
    });

    await test.step('the canaries are in the keychain and nowhere else', async () => {
      const stored = (await keytar.findCredentials(app.keychainService)).map((c) => c.password).join('\n');
      // The deleted bearer's token left the keychain with it.
      for (const what of ['basic', 'client', 'adopted', 'passphrase', 'key', 'certificate'])
        expect(stored.includes(cores[what] ?? '-'), `${what} in the keychain`).toBe(true);
      expect(stored.includes(cores.bearer ?? '-'), 'deleted bearer token gone').toBe(false);
      const leaks = (text: string) =>
        Object.entries(cores)
          .filter(([, unique]) => text.includes(unique))
          .map(([what]) => what);
      expect(leaks(await page.content()), 'canaries in the page').toEqual([]);
      const inputs = await page.locator('input, textarea').evaluateAll((els) => els.map((el) => (el as HTMLInputElement).value).join('\n'));
      expect(leaks(inputs), 'canaries in the inputs').toEqual([]);
      // Positive control: the replies about kept connections were captured.
      expect(app.ipcFrames.some((frame) => frame.includes('billing-v2'))).toBe(true);
      expect(leaks(app.ipcFrames.join('\n')), 'canaries in IPC replies and events').toEqual([]);
      const files = fs.readdirSync(app.dataDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
      expect(files.map((e) => e.name)).toContain('agent-keyring.sqlite');
      for (const entry of files) {
        const content = fs.readFileSync(path.join(entry.parentPath, entry.name)).toString('latin1');
        expect(leaks(content), `canaries in ${entry.name}`).toEqual([]);
      }
      expect(leaks(app.preview.output()), 'canaries in the preview output').toEqual([]);
    });

    await test.step('Review: a connection revoked in the dashboard, and the certificate ending soon, each with a way to it', async () => {
      // The dashboard revokes a connection: the emulator's control endpoint sets its status.
      const listed = await fetch(`${emulator.url}/v1/workspace/auth-connections`, { headers: { 'xi-api-key': KEY_PRODUCTION } });
      const { auth_connections: remote } = (await listed.json()) as { auth_connections: { id: string; name: string }[] };
      const forecast = remote.find((c) => c.name === 'Weather forecast header');
      expect(forecast).toBeDefined();
      const revoked = await fetch(`${emulator.url}/_emulator/auth-connection-status`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          key: KEY_PRODUCTION,
          authConnectionId: forecast!.id,
          status: 'revoked',
          statusDetail: 'Revoked by an admin.',
        }),
      });
      expect(revoked.ok).toBe(true);
      await showSection(page, 'Review');
      await page.getByRole('button', { name: /^Sync all/ }).click();

      const failing = page.getByRole('region', { name: /^Auth connections that fail/ });
      const item = failing.getByRole('listitem').filter({ hasText: 'Weather forecast header' });
      await expect(item).toContainText('It was revoked (status revoked): ElevenLabs said “Revoked by an admin.”');
      await expect(item).toContainText('Production');
      // Not revoked in Staging, where it is still active.
      await expect(item).toHaveCount(1);
      const ending = page
        .getByRole('region', { name: /^Certificates ending soon/ })
        .getByRole('listitem')
        .filter({ hasText: 'Partner mTLS' });
      await expect(ending).toContainText(/Its client certificate \(CN=agent-client, O=Tests\) expires on \d{4}-\d\d-\d\d, in 19 days\./);
      await expectNoSeriousA11yViolations(page, 'review with auth connection items');

      await item.getByRole('button', { name: 'Show in Auth connections Weather forecast header' }).click();
      await expect(page.getByRole('searchbox', { name: 'Search auth connections' })).toHaveValue('Weather forecast header');
      const synced = page.getByRole('list', { name: 'Auth connections' }).getByRole('listitem').filter({ hasText: 'Revoked by an admin.' });
      await expect(synced).toHaveCount(1);
      await expect(synced).toContainText('Revoked');
      await expect(synced).toContainText('Production');

      // The certificate: Edit from Review opens its dialog, where an optional part kept can be removed.
      await showSection(page, 'Review');
      await page.getByRole('button', { name: 'Edit Partner mTLS' }).click();
      const edit = page.getByRole('dialog', { name: 'Edit “Partner mTLS”' });
      await edit.getByRole('checkbox', { name: 'Remove CA certificate' }).check();
      await expect(edit.getByLabel('CA certificate', { exact: true })).toBeDisabled();
      await expect(edit.getByText('Removed from the keychain when you save.', { exact: false })).toBeVisible();
      await expectNoSeriousA11yViolations(page, 'edit dialog removing a part');
      await edit.getByRole('button', { name: 'Save changes' }).click();
      await expect(edit).toBeHidden();
      await expect(card(page, 'Partner mTLS')).toContainText('Client certificate, Client key, Key passphrase');
      expect((await app.keychainAccounts()).filter((a) => a.startsWith('connection-ca-certificate/'))).toEqual([]);
    });
  } finally {
    await oidc.close();
    await emulator.stop();
  }
});
