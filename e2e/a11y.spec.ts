import {
  addWorkspace,
  expect,
  expectNoSeriousA11yViolations,
  injectFault,
  showSection,
  startEmulator,
  test,
  type RunningProcess,
} from './fixtures';

// axe on every screen and dialog, in the light and the dark theme: no serious or critical
// violation anywhere (contrast, names, roles, focusable scroll regions...).

const STAGING_KEY = 'sk_e2e_a11y_staging_000000000000001';
const LIMITED_KEY = 'sk_e2e_a11y_limited_000000000000002';
let emulator: RunningProcess;

test.beforeAll(async () => {
  emulator = await startEmulator(['--seed', 'bench:120', '--key', STAGING_KEY, '--key', `${LIMITED_KEY}:user_read`]);
});
test.afterAll(async () => emulator.stop());
test.afterEach(async () => injectFault(emulator.url, null));

for (const colorScheme of ['light', 'dark'] as const) {
  test(`every screen and dialog, ${colorScheme} theme`, async ({ page, app }) => {
    // Sixteen axe runs on a slow machine.
    test.setTimeout(240_000);
    await page.emulateMedia({ colorScheme });
    await app.open(page);
    await expect(page.getByRole('heading', { name: 'Welcome to Agent Keyring' })).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'first run');
    await page.keyboard.press('Tab');
    await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
    await expectNoSeriousA11yViolations(page, 'first run, skip link shown');

    await page.getByRole('button', { name: 'Try the demo workspace' }).click();
    const secrets = page.getByRole('listbox', { name: 'Secrets' });
    await expect(secrets.getByRole('option', { name: 'GOOGLE_CALENDAR_TOKEN' })).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'secrets');

    await secrets.getByRole('option', { name: 'GOOGLE_CALENDAR_TOKEN' }).click();
    await expect(page.getByRole('region', { name: 'Secret details' }).getByRole('heading', { name: 'Used by' })).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'secret detail');

    await page.getByRole('combobox', { name: 'Used by' }).click();
    await expect(page.getByRole('listbox', { name: 'Used by' })).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'Used by combobox, open');
    await page.keyboard.press('Escape');

    await page.getByRole('searchbox', { name: 'Search secrets' }).fill('token');
    await expect(secrets.locator('mark').first()).toBeVisible();
    await page.getByRole('button', { name: 'Compact rows' }).click();
    await expectNoSeriousA11yViolations(page, 'compact rows, search matches marked');
    await page.getByRole('button', { name: 'Compact rows' }).click();
    await page.getByRole('searchbox', { name: 'Search secrets' }).fill('');

    await page.getByLabel('Presence').selectOption('removed');
    await expect(page.locator('.list-overlay')).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'empty list with advice');
    await page.getByLabel('Presence').selectOption('present');

    await showSection(page, 'Auth connections');
    await expect(page.getByRole('list', { name: 'Auth connections' })).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'auth connections');

    // Dialogs: add (with a field error and then a question), rename, replace key, remove, shortcuts.
    const add = await addWorkspace(page, { name: 'Demo workspace', baseUrl: emulator.url, apiKey: 'sk_e2e_a11y_wrong_00000000000003' });
    await expect(add.getByLabel('API key', { exact: true })).toHaveAttribute('aria-invalid', 'true');
    await expectNoSeriousA11yViolations(page, 'add workspace dialog, refused key and name in use');
    await add.getByLabel('Name').fill('Limited');
    await add.getByLabel('API key', { exact: true }).fill(LIMITED_KEY);
    await add.getByRole('button', { name: 'Add workspace' }).click();
    await expect(add.getByRole('button', { name: 'Add anyway' })).toBeFocused();
    await expectNoSeriousA11yViolations(page, 'add workspace dialog, limited key question');
    await add.getByRole('button', { name: 'Add anyway' }).click();
    await expect(page.getByRole('list', { name: 'Workspace problems' })).toBeVisible();
    await showSection(page, 'Secrets');
    await expectNoSeriousA11yViolations(page, 'workspace that cannot read secrets');

    await addWorkspace(page, { name: 'Staging', baseUrl: emulator.url, apiKey: STAGING_KEY });
    await expect(page.getByText('120 secrets', { exact: true })).toBeVisible();
    await page.getByRole('group', { name: 'Scope' }).getByRole('button', { name: 'All workspaces' }).click();
    await page.getByRole('combobox', { name: 'Used by' }).click();
    await expect(page.getByRole('listbox', { name: 'Used by' })).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'all workspaces, Used by open');
    await page.keyboard.press('Escape');
    await page.getByRole('group', { name: 'Scope' }).getByRole('button', { name: 'This workspace' }).click();
    await showSection(page, 'Workspaces');
    await expectNoSeriousA11yViolations(page, 'workspaces');

    await page.getByRole('button', { name: 'Rename Staging' }).click();
    await expectNoSeriousA11yViolations(page, 'rename dialog');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Replace key of Staging' }).click();
    await expectNoSeriousA11yViolations(page, 'replace key dialog');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Remove Staging' }).click();
    await expectNoSeriousA11yViolations(page, 'remove dialog');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
    await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'shortcuts dialog');
    await page.keyboard.press('Escape');

    // Offline: Staging stops answering.
    await showSection(page, 'Secrets');
    await injectFault(emulator.url, { delayMs: 6000, key: STAGING_KEY });
    await page.getByRole('button', { name: 'Sync', exact: true }).click();
    await expect(page.getByRole('status', { name: 'Data freshness' })).toContainText('Offline');
    await expectNoSeriousA11yViolations(page, 'offline banner');

    // A sync in progress, waiting out a rate limit.
    await injectFault(emulator.url, null);
    await injectFault(emulator.url, { status: 429, retryAfter: 5, count: 1, key: STAGING_KEY });
    await page.getByRole('button', { name: 'Sync', exact: true }).click();
    await expect(page.locator('.sync-text')).toContainText('Waiting for ElevenLabs');
    await expectNoSeriousA11yViolations(page, 'sync waiting on a rate limit');
  });
}
