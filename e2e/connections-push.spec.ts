import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect, expectNoSeriousA11yViolations, showSection, startEmulator, test } from './fixtures';
import { addSyncedWorkspace, sha256 } from './local-secrets-helpers';

// Connections kept here, pushed through the one plan dialog: one of each of the seven types made
// here (one by keyboard alone) and pushed to two workspaces, where the emulator must hold the
// exact sensitive values typed (it keeps their SHA-256); updated in place, replaced while a tool
// uses the old one, adopted from the dashboard, copied staging → production, and refused
// deletion of one in use. One app and one emulator for the whole walk.

const KEY_STAGING = 'sk_e2e_connpush_staging_0000000001';
const KEY_PRODUCTION = 'sk_e2e_connpush_production_00000001';
const keys = { Staging: KEY_STAGING, Production: KEY_PRODUCTION } as const;
type Workspace = keyof typeof keys;
const WORKSPACES: Workspace[] = ['Staging', 'Production'];

/** The unique part of each sensitive value: found anywhere but the keychain and the emulator, it leaked. */
const cores: Record<string, string> = {};
const canary = (what: string, shape: (core: string) => string) => {
  cores[what] = randomBytes(12).toString('hex');
  return shape(cores[what]);
};

// A self-signed client certificate and its key, and an RSA key for private key JWT (RS256).
const pemFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'connections-push-pem-'));
execFileSync(
  'openssl',
  ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'client.key', '-out', 'client.crt'].concat([
    '-subj',
    '/CN=connections-push-client',
    '-days',
    '90',
  ]),
  { cwd: pemFolder, stdio: 'pipe' },
);
const clientCertificate = fs.readFileSync(path.join(pemFolder, 'client.crt'), 'utf8');
const clientKey = fs.readFileSync(path.join(pemFolder, 'client.key'), 'utf8');
fs.rmSync(pemFolder, { recursive: true, force: true });
const rsaKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
// A line from the middle of each PEM stands for it.
cores.certificate = clientCertificate.split('\n')[2] ?? '';
cores.clientKey = clientKey.split('\n')[2] ?? '';
cores.rsaKey = rsaKey.split('\n')[5] ?? '';

/** What each connection is made with here, and the sensitive values ElevenLabs must receive (API field names). */
interface Made {
  name: string;
  authType: string;
  fields: [label: string, value: string][];
  select?: [label: string, value: string][];
  sent: Record<string, string>;
}

const made: Made[] = [
  {
    name: 'E2E OAuth client',
    authType: 'oauth2_client_credentials',
    fields: [
      ['Provider (required)', 'example-auth'],
      ['Client ID (required)', 'agent-client'],
      ['Token URL (required)', 'https://auth.example.com/oauth/token'],
      ['Scopes', 'api:read\napi:write'],
    ],
    sent: { client_secret: canary('clientSecret', (c) => `cs-${c}`) },
  },
  {
    name: 'E2E JWT exchange',
    authType: 'oauth2_jwt',
    fields: [
      ['Provider (required)', 'jwt-auth'],
      ['Issuer (iss) (required)', 'agent-keyring'],
      ['Audience (aud) (required)', 'https://auth.example.com'],
      ['Subject (sub) (required)', 'svc-agent'],
      ['Token URL (required)', 'https://auth.example.com/jwt/token'],
    ],
    sent: { secret_key: canary('jwtSecret', (c) => `hs-shared ${c}`) },
  },
  {
    name: 'E2E signed JWT',
    authType: 'private_key_jwt',
    fields: [
      ['Provider (required)', 'signed'],
      ['Issuer (iss) (required)', 'agent-keyring'],
      ['Audience (aud) (required)', 'https://api.example.com'],
      ['Subject (sub) (required)', 'svc-agent'],
    ],
    select: [['Signing algorithm', 'RS256']],
    sent: { secret_key: rsaKey },
  },
  {
    name: 'E2E basic',
    authType: 'basic_auth',
    fields: [
      ['Provider (required)', 'billing'],
      ['User name (required)', 'svc-billing'],
    ],
    sent: { password: canary('password', (c) => `pw ${c} !`) },
  },
  {
    name: 'E2E header',
    authType: 'custom_header_auth',
    fields: [
      ['Provider (required)', 'weather'],
      ['Header name (required)', 'X-Api-Key'],
    ],
    sent: { token: canary('headerToken', (c) => `hdr_${c}`) },
  },
  {
    name: 'E2E mTLS',
    authType: 'mtls',
    fields: [['Provider (required)', 'partner']],
    sent: { client_certificate: clientCertificate, client_key: clientKey },
  },
];
// Made by keyboard alone, below.
const bearer: Made = {
  name: 'E2E bearer',
  authType: 'bearer_auth',
  fields: [],
  sent: { token: canary('bearerToken', (c) => `tok_${c}`) },
};
const all = [...made, bearer];

/** The label of each sensitive field, by its API name. */
const sensitiveLabels: Record<string, string> = {
  client_secret: 'Client secret',
  secret_key: 'Signing key',
  password: 'Password',
  token: 'Token',
  client_certificate: 'Client certificate',
  client_key: 'Client key',
};

interface RemoteConnection {
  id: string;
  name: string;
  auth_type: string;
  used_by: { tools: { id: string; name?: string }[] };
}

/** The workspace's auth connections as ElevenLabs lists them. */
async function remoteConnections(emulatorUrl: string, workspace: Workspace): Promise<RemoteConnection[]> {
  const response = await fetch(`${emulatorUrl}/v1/workspace/auth-connections`, { headers: { 'xi-api-key': keys[workspace] } });
  expect(response.ok).toBe(true);
  return ((await response.json()) as { auth_connections: RemoteConnection[] }).auth_connections;
}

async function remoteNamed(emulatorUrl: string, workspace: Workspace, name: string): Promise<RemoteConnection[]> {
  return (await remoteConnections(emulatorUrl, workspace)).filter((c) => c.name === name);
}

/** The SHA-256 of each write-only field ElevenLabs received for the connection (never the values). */
async function receivedDigests(emulatorUrl: string, workspace: Workspace, id: string): Promise<Record<string, string>> {
  const response = await fetch(`${emulatorUrl}/_emulator/auth-connection-credentials`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ key: keys[workspace], authConnectionId: id }),
  });
  expect(response.ok).toBe(true);
  return ((await response.json()) as { sha256: Record<string, string> }).sha256;
}

/** Finds the connection in both workspaces, once, of its type, holding exactly the values sent. */
async function expectReceived(emulatorUrl: string, connection: Pick<Made, 'name' | 'authType' | 'sent'>, workspaces = WORKSPACES) {
  for (const workspace of workspaces) {
    const found = await remoteNamed(emulatorUrl, workspace, connection.name);
    expect(
      found.map((c) => c.auth_type),
      `${connection.name} in ${workspace}`,
    ).toEqual([connection.authType]);
    const digests = await receivedDigests(emulatorUrl, workspace, found[0]!.id);
    for (const [field, value] of Object.entries(connection.sent)) {
      expect(digests[field], `${field} of ${connection.name} in ${workspace}`).toBe(sha256(value));
    }
  }
}

function kept(page: Page): Locator {
  return page.getByRole('list', { name: 'Connections kept here' });
}
function keptCard(page: Page, name: string): Locator {
  return kept(page)
    .getByRole('listitem')
    .filter({ has: page.getByRole('heading', { name, exact: true }) });
}
function remoteCard(page: Page, name: string): Locator {
  return page
    .getByRole('list', { name: 'Auth connections' })
    .getByRole('listitem')
    .filter({ has: page.getByRole('heading', { name, exact: true }) });
}
function planDialog(page: Page): Locator {
  return page.getByRole('dialog', { name: 'Push plan' });
}
/** A workspace's part of the plan. */
function planGroup(plan: Locator, workspace: Workspace): Locator {
  return plan.getByRole('region', { name: 'Planned changes by workspace' }).getByRole('region', { name: workspace, exact: true });
}
function planItem(group: Locator, name: string): Locator {
  return group.getByRole('listitem').filter({ hasText: new RegExp(`(Create|Update|Replace|Delete)Auth connection${name}(?! v2)`) });
}

async function applyAndFinish(plan: Locator, result: string): Promise<void> {
  await plan.getByRole('button', { name: 'Apply', exact: true }).click();
  await expect(plan.getByRole('status').filter({ hasText: /^Finished:/ })).toHaveText(`Finished: ${result}.`, { timeout: 20_000 });
}

test('connections kept here go through the plan: pushed, updated, replaced, adopted, copied, and refused deletion in use', async ({
  page,
  app,
}) => {
  test.setTimeout(150_000);
  const emulator = await startEmulator(['--seed', 'demo', '--key', KEY_STAGING, '--key', KEY_PRODUCTION]);
  try {
    await app.open(page);
    await addSyncedWorkspace(page, 'Production', emulator.url, KEY_PRODUCTION, '16 secrets');
    await addSyncedWorkspace(page, 'Staging', emulator.url, KEY_STAGING, '16 secrets');
    await showSection(page, 'Auth connections');
    // Nothing kept here yet: no "push all" that would mean every local secret as well.
    await expect(page.getByRole('button', { name: 'Push all connections…' })).toHaveCount(0);

    await test.step('a bearer connection made and pushed to both workspaces by keyboard alone', async () => {
      await page.getByRole('button', { name: 'New connection…' }).focus();
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog', { name: 'New auth connection' });
      await expect(dialog.getByLabel('Type')).toBeFocused();
      // OAuth2 client credentials, Custom header, Basic auth, Bearer token.
      for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
      await expect(dialog.getByLabel('Type')).toHaveValue('bearer_auth');
      await page.keyboard.press('Tab');
      await page.keyboard.type(bearer.name);
      await page.keyboard.press('Tab');
      await page.keyboard.type('docs');
      await page.keyboard.press('Tab');
      await expect(dialog.getByLabel('Token (required)')).toBeFocused();
      await page.keyboard.type(bearer.sent.token!);
      await page.keyboard.press('Tab'); // Show token
      await page.keyboard.press('Tab');
      await expect(dialog.getByRole('checkbox', { name: 'Production' })).toBeFocused();
      await page.keyboard.press('Space');
      await page.keyboard.press('Tab'); // its name in Production (empty: its own)
      await page.keyboard.press('Tab');
      await expect(dialog.getByRole('checkbox', { name: 'Staging' })).toBeFocused();
      await page.keyboard.press('Space');
      await page.keyboard.press('Tab');
      await expect(dialog.getByLabel('Name in Staging')).toBeFocused();
      await page.keyboard.press('Enter');
      await expect(dialog).toBeHidden();
      const card = keptCard(page, bearer.name);
      await expect(card).toContainText('Production: Not pushed yet');
      await expect(card).toContainText('Staging: Not pushed yet');

      await card.getByRole('button', { name: `Push ${bearer.name}…` }).focus();
      await page.keyboard.press('Enter');
      const plan = planDialog(page);
      await expect(plan.getByRole('status').first()).toHaveText('2 creates. Nothing is sent until you apply.');
      for (const workspace of WORKSPACES) {
        await expect(planItem(planGroup(plan, workspace), bearer.name)).toContainText(
          'not in this workspace as of the last sync: creates the auth connection',
        );
      }
      // Creates alone: the plan's safe choice is Apply, and Enter applies it.
      await expect(plan.getByRole('button', { name: 'Apply', exact: true })).toBeFocused();
      await page.keyboard.press('Enter');
      await expect(plan.getByRole('status').filter({ hasText: /^Finished:/ })).toHaveText('Finished: 2 done.', { timeout: 20_000 });
      await page.keyboard.press('Escape');
      await expect(plan).toBeHidden();
      await expect(card).toContainText('Staging: In sync');
      await expectReceived(emulator.url, bearer);
    });

    await test.step('the six other types made here, each targeting both workspaces', async () => {
      for (const connection of made) {
        await page.getByRole('button', { name: 'New connection…' }).click();
        const dialog = page.getByRole('dialog', { name: 'New auth connection' });
        await dialog.getByLabel('Type').selectOption(connection.authType);
        await dialog.getByLabel('Name (required)', { exact: true }).fill(connection.name);
        for (const [label, value] of connection.fields) await dialog.getByLabel(label, { exact: true }).fill(value);
        for (const [label, value] of connection.select ?? []) await dialog.getByLabel(label, { exact: true }).selectOption(value);
        for (const [field, value] of Object.entries(connection.sent)) {
          await dialog.getByLabel(`${sensitiveLabels[field]} (required)`, { exact: true }).fill(value);
        }
        for (const workspace of WORKSPACES) await dialog.getByRole('checkbox', { name: workspace }).check();
        await dialog.getByRole('button', { name: 'Save connection' }).click();
        await expect(dialog).toBeHidden();
        await expect(keptCard(page, connection.name)).toContainText('Staging: Not pushed yet');
      }
    });

    await test.step('"Push all connections…": a plan of connections only, applied, each found with the exact values typed', async () => {
      await page.getByRole('button', { name: 'Push all connections…' }).click();
      const plan = planDialog(page);
      // Six connections × two workspaces; the bearer is in sync; no local secret, no remote-only connection.
      await expect(plan.getByRole('status').first()).toHaveText('12 creates. Nothing is sent until you apply.');
      for (const workspace of WORKSPACES) {
        const group = planGroup(plan, workspace);
        for (const connection of made) await expect(planItem(group, connection.name)).toBeVisible();
        await expect(group.getByText('1 unchanged auth connection: left alone')).toBeVisible();
      }
      await expectNoSeriousA11yViolations(page, 'push plan of connections, light');
      await applyAndFinish(plan, '12 done');
      await plan.getByRole('button', { name: 'Close' }).click();
      await expect(plan).toBeHidden();
      for (const connection of made) await expectReceived(emulator.url, connection);
    });

    const updated: Made[] = [];
    await test.step('one of each updatable type given a new secret part: planned as updates, sent in place', async () => {
      const ids = async () => Object.fromEntries((await remoteConnections(emulator.url, 'Staging')).map((c) => [c.name, c.id]));
      const before = await ids();
      for (const [name, field] of [
        ['E2E OAuth client', 'client_secret'],
        ['E2E JWT exchange', 'secret_key'],
        ['E2E basic', 'password'],
        ['E2E bearer', 'token'],
      ] as const) {
        const connection = all.find((c) => c.name === name)!;
        const value = canary(`${field}-new-${name}`, (c) => `new ${c}`);
        await keptCard(page, name)
          .getByRole('button', { name: `Edit ${name}` })
          .click();
        const dialog = page.getByRole('dialog', { name: `Edit “${name}”` });
        await dialog.getByLabel(sensitiveLabels[field]!, { exact: true }).fill(value);
        await dialog.getByRole('button', { name: 'Save changes' }).click();
        await expect(dialog).toBeHidden();
        await expect(keptCard(page, name)).toContainText('Staging: Changed here since the last push');
        updated.push({ ...connection, sent: { [field]: value } });
      }
      await page.getByRole('button', { name: 'Push all connections…' }).click();
      const plan = planDialog(page);
      await expect(plan.getByRole('status').first()).toHaveText('8 updates. Nothing is sent until you apply.');
      for (const workspace of WORKSPACES) {
        for (const connection of updated) {
          await expect(planItem(planGroup(plan, workspace), connection.name)).toContainText(
            /UpdateAuth connection.*its secret parts changed since the last push$/,
          );
        }
      }
      await applyAndFinish(plan, '8 done');
      await plan.getByRole('button', { name: 'Close' }).click();
      for (const connection of updated) await expectReceived(emulator.url, connection);
      // In place: the same connections, not new ones.
      expect(await ids()).toEqual(before);
    });

    await test.step('a rename is a replace: it names the tool using the old one, waits for a confirmation, and keeps the old one', async () => {
      const [old] = await remoteNamed(emulator.url, 'Staging', 'E2E basic');
      // A tool in Staging starts using the connection (in the dashboard); a sync brings it here.
      const attach = await fetch(`${emulator.url}/_emulator/auth-connection-users`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ key: KEY_STAGING, authConnectionId: old!.id, kind: 'tool', name: 'billing_lookup' }),
      });
      expect(attach.ok).toBe(true);
      await page.getByRole('button', { name: 'Sync', exact: true }).click();
      await expect(remoteCard(page, 'E2E basic')).toContainText('Tool billing_lookup');

      await keptCard(page, 'E2E basic').getByRole('button', { name: 'Edit E2E basic' }).click();
      const dialog = page.getByRole('dialog', { name: 'Edit “E2E basic”' });
      await dialog.getByLabel('Name (required)', { exact: true }).fill('E2E basic v2');
      await dialog.getByRole('button', { name: 'Save changes' }).click();
      await expect(dialog).toBeHidden();

      await keptCard(page, 'E2E basic v2').getByRole('button', { name: 'Push E2E basic v2…' }).click();
      const plan = planDialog(page);
      await expect(plan.getByRole('status').first()).toHaveText('2 replaces. Nothing is sent until you apply.');
      const staging = planGroup(plan, 'Staging').getByRole('listitem').filter({ hasText: 'E2E basic v2' });
      await expect(staging).toContainText('Replace');
      await expect(staging).toContainText('renamed from “E2E basic”. ElevenLabs cannot make this change in place');
      await expect(staging).toContainText(
        'The old connection is used by 1 tool (tool “billing_lookup”): they keep using it (it is not deleted) until you point them at the new one in the dashboard.',
      );
      const production = planGroup(plan, 'Production').getByRole('listitem').filter({ hasText: 'E2E basic v2' });
      await expect(production).toContainText(
        'Nothing uses the old connection, as of the last sync: it is deleted once the new one is made.',
      );
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme });
        await expectNoSeriousA11yViolations(page, `push plan with replaces awaiting confirmation, ${colorScheme}`);
      }
      await page.emulateMedia({ colorScheme: 'light' });

      // Blocked until each replace is confirmed or left out.
      const apply = plan.getByRole('button', { name: 'Apply', exact: true });
      await expect(apply).toBeDisabled();
      await expect(apply).toHaveAccessibleDescription('Confirm each of the 2 replaces above, or leave them out.');
      await staging
        .getByRole('checkbox', { name: 'Replace “E2E basic v2” with a new connection, knowing 1 tool must be re-pointed' })
        .check();
      await expect(apply).toBeDisabled();
      await expect(apply).toHaveAccessibleDescription('Confirm the replace above, or leave it out.');
      await production.getByRole('checkbox', { name: 'Include E2E basic v2 in Production in this push' }).uncheck();
      await expect(production).toContainText('Left out of this push');
      await expect(plan.getByRole('status').first()).toHaveText('2 replaces (1 left out). Nothing is sent until you apply.');
      await applyAndFinish(plan, '1 done, 1 left out (not sent, still pending here)');
      await plan.getByRole('button', { name: 'Close' }).click();

      // Staging: the new one holds the password kept here; the old one stays for the tool that uses it.
      const stagingNow = await remoteConnections(emulator.url, 'Staging');
      const stillOld = stagingNow.find((c) => c.id === old!.id);
      expect(stillOld?.name).toBe('E2E basic');
      expect(stillOld?.used_by.tools.map((t) => t.name)).toEqual(['billing_lookup']);
      const basic = updated.find((c) => c.name === 'E2E basic')!;
      await expectReceived(emulator.url, { ...basic, name: 'E2E basic v2' }, ['Staging']);
      // Production was left out: untouched, and still pending here.
      expect((await remoteNamed(emulator.url, 'Production', 'E2E basic')).length).toBe(1);
      expect(await remoteNamed(emulator.url, 'Production', 'E2E basic v2')).toEqual([]);
      await expect(keptCard(page, 'E2E basic v2')).toContainText('Staging: In sync');
    });

    const adopted = {
      name: 'Dashboard webhook',
      authType: 'bearer_auth',
      sent: { token: canary('adopted', (c) => `whk_${c}`) },
    };
    await test.step('a dashboard connection adopted: its plan follows, and its push gives it the token kept here', async () => {
      const response = await fetch(`${emulator.url}/v1/workspace/auth-connections`, {
        method: 'POST',
        headers: { 'xi-api-key': KEY_STAGING, 'content-type': 'application/json' },
        body: JSON.stringify({ auth_type: 'bearer_auth', name: adopted.name, provider: 'hooks', token: 'typed-in-the-dashboard' }),
      });
      expect(response.ok).toBe(true);
      await page.getByRole('button', { name: 'Sync', exact: true }).click();
      await remoteCard(page, adopted.name)
        .getByRole('button', { name: `Keep ${adopted.name} here…` })
        .click();
      const dialog = page.getByRole('dialog', { name: `Keep “${adopted.name}” here` });
      await dialog.getByLabel('Token (required)').fill(adopted.sent.token);
      await dialog.getByRole('button', { name: 'Keep it here' }).click();
      await expect(dialog).toBeHidden();

      const plan = planDialog(page);
      await expect(plan.getByRole('status').first()).toHaveText('1 update. Nothing is sent until you apply.');
      await expect(planItem(planGroup(plan, 'Staging'), adopted.name)).toContainText('first push since you adopted it');
      await expect(planGroup(plan, 'Production')).toHaveCount(0);
      await applyAndFinish(plan, '1 done');
      await plan.getByRole('button', { name: 'Close' }).click();
      await expectReceived(emulator.url, adopted, ['Staging']);
    });

    await test.step('copied staging → production in one step, through its plan', async () => {
      await keptCard(page, adopted.name)
        .getByRole('button', { name: `Copy ${adopted.name} to another workspace` })
        .click();
      const dialog = page.getByRole('dialog', { name: `Copy “${adopted.name}” to another workspace` });
      await expect(dialog.getByLabel('From', { exact: true })).toHaveText('Staging');
      await expect(dialog.getByLabel('To', { exact: true })).toHaveText('Production');
      await dialog.getByRole('button', { name: 'Copy and review the push…' }).click();
      await expect(dialog).toBeHidden();

      // Only the workspace it was copied to.
      const plan = planDialog(page);
      await expect(plan.getByRole('status').first()).toHaveText('1 create. Nothing is sent until you apply.');
      await expect(planItem(planGroup(plan, 'Production'), adopted.name)).toBeVisible();
      await expect(planGroup(plan, 'Staging')).toHaveCount(0);
      await applyAndFinish(plan, '1 done');
      await plan.getByRole('button', { name: 'Close' }).click();
      await expectReceived(emulator.url, adopted);
      await expect(keptCard(page, adopted.name)).toContainText('Production: In sync');
    });

    await test.step('a delete of a connection in use: the plan says who uses it, ElevenLabs refuses, the app says why', async () => {
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme });
        await expectNoSeriousA11yViolations(page, `auth connections with push and delete actions, ${colorScheme}`);
      }
      await remoteCard(page, 'E2E basic').getByRole('button', { name: 'Delete E2E basic from ElevenLabs…' }).click();
      const dialog = page.getByRole('alertdialog', { name: 'Delete “E2E basic” from ElevenLabs?' });
      await expect(dialog).toContainText('Still used by 1 tool, as of the last sync.');
      await expect(dialog.getByRole('list', { name: 'Used by' })).toHaveText('Tool billing_lookup');
      await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme });
        await expectNoSeriousA11yViolations(page, `delete plan of an auth connection in use, ${colorScheme}`);
      }
      await page.emulateMedia({ colorScheme: 'light' });
      await dialog.getByRole('button', { name: 'Delete from ElevenLabs' }).click();
      await expect(dialog.getByText('Refused by ElevenLabs', { exact: true })).toBeVisible({ timeout: 20_000 });
      await expect(dialog.getByRole('alert')).toHaveText(
        'ElevenLabs refused to delete the auth connection “E2E basic”: it is still used by 1 tool (tool “billing_lookup”). Point these at another connection first, then delete it.',
      );
      await dialog.getByRole('button', { name: 'Close' }).click();
      expect((await remoteNamed(emulator.url, 'Staging', 'E2E basic')).length).toBe(1);
    });

    await test.step('the sensitive values typed never reached the preview output, an IPC reply or the page', async () => {
      const leaks = (text: string) =>
        Object.entries(cores)
          .filter(([, unique]) => unique.length > 0 && text.includes(unique))
          .map(([what]) => what);
      expect(Object.keys(cores).length).toBeGreaterThanOrEqual(12);
      // Positive control: the preview did print, and the replies about these connections were captured.
      expect(app.preview.output().length).toBeGreaterThan(0);
      expect(app.ipcFrames.some((frame) => frame.includes('E2E basic v2'))).toBe(true);
      expect(leaks(app.preview.output()), 'canaries in the preview output').toEqual([]);
      expect(leaks(app.ipcFrames.join('\n')), 'canaries in IPC replies and events').toEqual([]);
      expect(leaks(await page.content()), 'canaries in the page').toEqual([]);
    });
  } finally {
    await emulator.stop();
  }
});
