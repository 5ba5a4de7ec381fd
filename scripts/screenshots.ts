// Takes the README's screenshots from the browser preview with the demo workspace and a second
// workspace on the emulator: npm run screenshots (writes docs/screenshots/*.png).
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import keytar from 'keytar';
import { chromium, type Page } from '@playwright/test';
import { startEmulatorProcess, startPreviewProcess, type RunningProcess } from '../test/support/processes';

const root = path.resolve(__dirname, '..');
const out = path.join(root, 'docs', 'screenshots');

const children: ChildProcess[] = [];

async function start(run: Promise<RunningProcess>): Promise<string> {
  const started = await run;
  children.push(started.child);
  return started.url;
}

/** Notes from earlier steps would cover the screen: dismiss every one. */
async function dismissToasts(page: Page): Promise<void> {
  const dismiss = page.getByRole('button', { name: 'Dismiss notification' });
  while ((await dismiss.count()) > 0)
    await dismiss
      .first()
      .click({ timeout: 2_000 })
      .catch(() => undefined);
}

async function main(): Promise<void> {
  fs.mkdirSync(out, { recursive: true });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-keyring-shots-'));
  const keychainService = `agent-keyring-screenshots-${randomUUID()}`;
  const key = 'sk_screenshot_staging_00000000001';
  const emulator = await start(startEmulatorProcess(['--seed', 'bench:2400', '--key', key]));
  const preview = await start(startPreviewProcess(dataDir, keychainService));
  const browser = await chromium.launch({
    executablePath: fs.existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-gpu'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1360, height: 820 }, colorScheme: 'dark' });
    await page.goto(preview);
    await page.getByRole('heading', { name: 'Welcome to Agent Keyring' }).waitFor();
    await page.screenshot({ path: path.join(out, 'first-run.png') });

    await page.getByRole('button', { name: 'Try the demo workspace' }).click();
    await page.getByRole('option', { name: 'GOOGLE_CALENDAR_TOKEN' }).click();
    await page.getByRole('region', { name: 'Secret details' }).getByRole('heading', { name: 'Used by' }).waitFor();
    await dismissToasts(page);
    await page.screenshot({ path: path.join(out, 'secrets.png') });

    await page.getByRole('button', { name: 'Add workspace' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add workspace' });
    await dialog.getByLabel('Name').fill('Staging');
    await dialog.getByLabel('Data residency').selectOption('custom');
    await dialog.getByLabel('API base URL').fill(emulator);
    await dialog.getByLabel('API key', { exact: true }).fill(key);
    await page.screenshot({ path: path.join(out, 'add-workspace.png') });
    await dialog.getByRole('button', { name: 'Add workspace' }).click();
    await page.getByText('2,400 secrets', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'All workspaces' }).click();
    await page.getByRole('searchbox', { name: 'Search secrets' }).fill('stripe');
    await page.getByLabel('Usage').selectOption('unused');
    await page.waitForTimeout(300);
    await dismissToasts(page);
    await page.screenshot({ path: path.join(out, 'search-all-workspaces.png') });

    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Auth connections' }).click();
    await page.getByRole('group', { name: 'Workspaces' }).getByRole('button', { name: 'Demo workspace' }).click();
    await page.getByRole('button', { name: 'This workspace' }).click();
    await page.getByRole('list', { name: 'Auth connections' }).waitFor();
    await dismissToasts(page);
    await page.screenshot({ path: path.join(out, 'auth-connections.png') });

    children[0]!.kill();
    await page.getByRole('group', { name: 'Workspaces' }).getByRole('button', { name: 'Staging' }).click();
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Secrets' }).click();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByRole('button', { name: 'Sync', exact: true }).click();
    await page.getByRole('status', { name: 'Data freshness' }).getByText('Offline').waitFor();
    await page.getByRole('listbox', { name: 'Secrets' }).getByRole('option').nth(1).click();
    await page.getByRole('region', { name: 'Secret details' }).getByRole('heading', { name: 'Used by' }).waitFor();
    await dismissToasts(page);
    await page.screenshot({ path: path.join(out, 'offline.png') });

    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Workspaces' }).click();
    await page.getByRole('list', { name: 'Workspaces' }).waitFor();
    await dismissToasts(page);
    await page.screenshot({ path: path.join(out, 'workspaces.png') });
    console.log(`screenshots in ${path.relative(root, out)}`);
  } finally {
    await browser.close();
    for (const child of children) child.kill();
    for (const { account } of await keytar.findCredentials(keychainService)) await keytar.deletePassword(keychainService, account);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
