// Takes the README's screenshots from the browser preview with the demo workspace and a second
// workspace on the emulator: npm run screenshots (writes docs/screenshots/*.png).
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import keytar from 'keytar';
import { chromium, type Page } from '@playwright/test';
import { signInAt } from '../test/support/oidc-login';
import { OIDC_CLIENT_ID } from '../test/support/oidc-server';
import { startEmulatorProcess, startPreviewProcess, startProcess, type RunningProcess } from '../test/support/processes';

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

    // Local secrets: values kept here, pushed through a plan. Three are made and pushed, then one
    // is rotated, one added and one takes over a remote secret of its name made in the dashboard.
    const sections = page.getByRole('navigation', { name: 'Sections' });
    await sections.getByRole('button', { name: 'Local secrets' }).click();
    const newLocalSecret = async (name: string, value: string, tags: string, targets: string[]) => {
      await page.getByRole('button', { name: 'New local secret' }).first().click();
      const create = page.getByRole('dialog', { name: 'New local secret' });
      await create.getByLabel('Name', { exact: true }).fill(name);
      await create.getByLabel('Value', { exact: true }).fill(value);
      await create.getByLabel('Tags').fill(tags);
      for (const target of targets) await create.getByRole('checkbox', { name: target }).check();
      await create.getByRole('button', { name: 'Save local secret' }).click();
      await create.waitFor({ state: 'hidden' });
    };
    await newLocalSecret('STRIPE_API_KEY', `sk_live_${randomUUID()}`, 'billing', ['Demo workspace', 'Staging']);
    await newLocalSecret('OPENAI_API_KEY', `sk-proj-${randomUUID()}`, 'llm', ['Demo workspace']);
    await newLocalSecret('POSTMARK_SERVER_TOKEN', randomUUID(), 'email', ['Staging']);
    await page.keyboard.press('Control+Shift+P');
    const plan = page.getByRole('dialog', { name: 'Push plan' });
    await plan.getByRole('button', { name: 'Apply' }).click();
    await plan.getByText(/^Finished/).waitFor({ timeout: 60_000 });
    await plan.getByRole('button', { name: 'Close' }).click();
    const localSecrets = page.getByRole('listbox', { name: 'Local secrets' });
    await localSecrets.getByRole('option', { name: 'STRIPE_API_KEY' }).click();
    const detail = page.getByRole('region', { name: 'Local secret details' });
    await detail.getByRole('button', { name: 'Rotate…' }).click();
    await page.getByRole('dialog').getByLabel('New value').fill(`sk_live_${randomUUID()}`);
    await page.getByRole('dialog').getByRole('button', { name: 'Rotate', exact: true }).click();
    await newLocalSecret('SENDGRID_API_KEY', `SG.${randomUUID()}`, 'email', ['Demo workspace']);
    await localSecrets.getByRole('option', { name: 'STRIPE_API_KEY' }).click();
    await detail.getByText('Previous value', { exact: true }).waitFor();
    await dismissToasts(page);
    await page.screenshot({ path: path.join(out, 'local-secrets.png') });

    await page.keyboard.press('Control+Shift+P');
    await plan.getByText('Nothing is sent until you apply.', { exact: false }).waitFor();
    await dismissToasts(page);
    await page.screenshot({ path: path.join(out, 'push-plan.png') });
    await plan.getByRole('button', { name: 'Cancel' }).click();

    await sections.getByRole('button', { name: 'Review' }).click();
    await page.getByRole('heading', { name: /Changed since the last push/ }).waitFor();
    await dismissToasts(page);
    await page.screenshot({ path: path.join(out, 'review.png') });

    // Linked accounts: a local OpenID provider stands in for Google; alice and "me" sign in
    // through a second page (the system browser), and alice's token feeds a workspace secret.
    const oidc = await start(startProcess(['test/support/oidc-server.ts', '--port', '0'], /listening on (http:\/\/127\.0\.0\.1:\d+)/));
    await page.keyboard.press('Control+Shift+K');
    await page
      .getByRole('button', { name: /^Add (a )?provider…$/ })
      .first()
      .click();
    const provider = page.getByRole('dialog', { name: 'Add a provider' });
    await provider.getByLabel('Provider').selectOption('custom');
    await provider.getByLabel('Name').fill('Company SSO');
    await provider.getByLabel('Client ID').fill(OIDC_CLIENT_ID);
    await provider.getByLabel('Authorize URL').fill(`${oidc}/auth`);
    await provider.getByLabel('Token URL').fill(`${oidc}/token`);
    await provider.getByLabel('Revocation URL').fill(`${oidc}/token/revocation`);
    await provider.getByLabel('Issuer').fill(oidc);
    await provider.getByLabel('Scopes').fill('openid offline_access');
    await provider.getByRole('button', { name: 'Add provider' }).click();
    await provider.waitFor({ state: 'hidden' });
    for (const person of ['alice', 'me']) {
      await page.getByRole('button', { name: 'Link an account…' }).first().click();
      const link = page.getByRole('dialog', { name: 'Link an account' });
      await link.getByLabel('Person').fill(person);
      await link.getByLabel('Provider').selectOption({ label: 'Company SSO' });
      await link.getByRole('button', { name: 'Sign in in the browser' }).click();
      const url = (await link.getByText(/^http:\/\/127\.0\.0\.1:\d+\/auth\?/).textContent())!;
      const systemBrowser = await browser.newPage();
      await signInAt(systemBrowser, url, { login: person });
      await systemBrowser.close();
      await link
        .getByRole('status', { name: 'Sign-in status' })
        .getByText(/^Linked/)
        .waitFor();
      await link.getByRole('button', { name: 'Done' }).click();
    }
    await dismissToasts(page);
    await page.screenshot({ path: path.join(out, 'linked-accounts.png') });

    children[0]!.kill();
    await page.getByRole('group', { name: 'Workspaces' }).getByRole('button', { name: 'Staging' }).click();
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Secrets', exact: true }).click();
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
