import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { buildCli } from '../scripts/build-cli';
import { startAkr, runAkr } from '../test/support/akr-process';
import { expect, expectNoSeriousA11yViolations, showSection, test } from './fixtures';

// Settings › Command line with akr against the preview (issue 15): a terminal pairs (the page and
// the terminal show the same words), asks for the demo workspace's key (the page names the command,
// the folder, the workspace and the names), is allowed, revoked and unpaired; axe in both schemes.

test.describe.configure({ mode: 'serial' });

let akr: string;
let scratch: string;

test.beforeAll(async () => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-keyring-e2e-akr-'));
  akr = await buildCli(path.join(scratch, 'akr.js'));
});

test.afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

function cliSection(page: Page) {
  return page.getByRole('region', { name: 'Command line' });
}

test('a terminal pairs, is allowed the demo key, revoked and unpaired, all from Settings › Command line', async ({ page, app }) => {
  const env = {
    PATH: process.env['PATH'],
    HOME: scratch,
    AKR_SOCKET_DIR: path.join(app.dataDir, 'akr'),
    AKR_CONFIG_DIR: path.join(scratch, 'config'),
  };
  await app.open(page);
  await page.getByRole('button', { name: 'Try the demo workspace' }).click();
  await expect(page.getByRole('group', { name: 'Workspaces' }).getByRole('button', { name: 'Demo workspace' })).toBeVisible();
  await showSection(page, 'Settings');
  const section = cliSection(page);
  await expect(section.getByRole('status')).toContainText('Listening for akr');
  await expect(section.getByText('None yet.')).toBeVisible();

  // Pairing: the same five words on both sides.
  const pairing = startAkr(akr, ['pair', '--label', 'e2e terminal'], { env });
  const printed = await pairing.waitFor(/\n {4}([a-z]+(?: [a-z]+){4})\n/);
  const requests = section.getByRole('region', { name: 'Requests from terminals' });
  await expect(requests).toContainText('Terminal “e2e terminal” asks to pair');
  await expect(requests).toContainText(printed);
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await expectNoSeriousA11yViolations(page, `Settings › Command line with a pairing request, ${colorScheme}`);
  }
  await requests.getByRole('button', { name: 'Pair' }).click();
  expect((await pairing.done).code).toBe(0);
  await expect(section.getByRole('button', { name: 'Unpair e2e terminal' })).toBeVisible();

  // An access request names what it is for; allowed, the command gets the key.
  const run = startAkr(
    akr,
    ['run', '-w', 'Demo workspace', '--', process.execPath, '-e', 'process.exit(process.env.ELEVENLABS_API_KEY ? 0 : 9)'],
    { env },
  );
  await expect(requests).toContainText('asks for Demo workspace: workspace key');
  await expect(requests).toContainText(process.execPath);
  await expectNoSeriousA11yViolations(page, 'Settings › Command line with an access request');
  await requests.getByRole('button', { name: 'Allow' }).click();
  expect((await run.done).code).toBe(0);

  const revoke = section.getByRole('button', { name: /^Revoke the grant for / });
  await expect(revoke).toBeVisible();
  await revoke.click();
  await expect(section.getByText('No terminal holds a grant now.')).toBeVisible();

  // Unpairing is confirmed, naming what it breaks; afterwards the terminal's key opens nothing.
  await section.getByRole('button', { name: 'Unpair e2e terminal' }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Unpair “e2e terminal”?' });
  await expect(confirm).toContainText('stops working until it is paired again');
  await expectNoSeriousA11yViolations(page, 'the Unpair confirmation');
  await confirm.getByRole('button', { name: 'Unpair' }).click();
  await expect(section.getByText('None yet.')).toBeVisible();
  const refused = await runAkr(akr, ['workspaces'], { env });
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain('did not accept this terminal');
});
