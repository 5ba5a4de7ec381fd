import type { Locator, Page } from '@playwright/test';
import { expect, expectNoSeriousA11yViolations, showSection, startEmulator, switcher, test } from './fixtures';
import { addSyncedWorkspace, remoteNamed } from './local-secrets-helpers';

// The environment variables matrix of two demo-seeded workspaces, offline from their last sync:
// cells of all three kinds and a link to a secret, the filters, a search across workspaces, the
// grid by keyboard alone, axe in both schemes, and a secret deleted in ElevenLabs that a
// variable still names, found by Review after the next sync. One app for the whole walk.

const KEY_PRODUCTION = 'sk_e2e_vars_production_0000000001';
const KEY_STAGING = 'sk_e2e_vars_staging_000000000000001';

function matrix(page: Page, workspace: string): Locator {
  return page.getByRole('grid', { name: `Environment variables of ${workspace}` });
}

/** The cell of a variable in an environment (column headers: Variable, production, dev, staging). */
function cell(grid: Locator, label: string, environment: 'production' | 'dev' | 'staging'): Locator {
  const column = { production: 1, dev: 2, staging: 3 }[environment];
  return grid
    .getByRole('row')
    .filter({ has: grid.page().getByRole('rowheader', { name: new RegExp(`^${label}\\b`) }) })
    .getByRole('gridcell')
    .nth(column - 1);
}

test('the environment variables matrix: cells, links, filters, search, keyboard, axe, and a removed secret in Review', async ({
  page,
  app,
}) => {
  test.setTimeout(60_000);
  const emulator = await startEmulator(['--seed', 'demo', '--key', KEY_PRODUCTION, '--key', KEY_STAGING]);
  try {
    await app.open(page);
    await addSyncedWorkspace(page, 'Staging', emulator.url, KEY_STAGING, '16 secrets');
    await addSyncedWorkspace(page, 'Production', emulator.url, KEY_PRODUCTION, '16 secrets');
    await switcher(page)
      .getByRole('button', { name: /^Production/ })
      .click();
    // Its shortcut, as every view has one, puts focus at the view's title.
    await page.keyboard.press('Control+Shift+F');
    await expect(page.getByRole('heading', { level: 1, name: 'Environment variables' })).toBeFocused();
    const grid = matrix(page, 'Production');

    await test.step('rows are labels, columns environments (production first); a cell is a string, a secret, a connection or missing', async () => {
      await expect(page.getByText('10 variables · 3 environments')).toBeVisible();
      await expect(grid.getByRole('columnheader')).toHaveText(['Variable', 'production', 'dev', 'staging']);
      await expect(cell(grid, 'API_BASE_URL', 'staging')).toHaveText('https://staging-api.brightsmile-dental.example/v2');
      await expect(cell(grid, 'CRM_TOKEN', 'production').getByRole('button')).toHaveText('Secret HUBSPOT_PRIVATE_APP_TOKEN');
      await expect(cell(grid, 'CRM_AUTH', 'staging').getByRole('button')).toHaveText('Connection Salesforce API');
      await expect(cell(grid, 'BILLING_AUTH', 'staging')).toHaveText('missing');
      await expect(cell(grid, 'ANALYTICS_WRITE_KEY', 'production')).toHaveText('Looks like a key: not shown');
    });

    await test.step('a secret cell links to the secret, whose detail lists the variables naming it', async () => {
      await cell(grid, 'PAYMENTS_KEY', 'production').getByRole('button', { name: 'Secret STRIPE_RESTRICTED_KEY' }).click();
      const detail = page.getByRole('region', { name: 'Secret details' });
      await expect(detail.getByRole('heading', { name: 'STRIPE_RESTRICTED_KEY' })).toBeVisible();
      await expect(detail.getByRole('heading', { name: 'Environment variables' })).toBeVisible();
      await expect(detail.getByRole('list', { name: 'Environment variables that refer to it' })).toHaveText(/PAYMENTS_KEY\s*in production/);
      await detail.getByRole('button', { name: 'PAYMENTS_KEY' }).click();
      await expect(grid.getByRole('rowheader', { name: /^PAYMENTS_KEY/ })).toBeFocused();
    });

    await test.step('filters by type and by environment', async () => {
      await page.getByLabel('Type').selectOption('secret');
      await expect(page.getByText('3 of 10 variables · 3 environments')).toBeVisible();
      await expect(grid.getByRole('rowheader')).toHaveText([/^CRM_TOKEN/, /^PAYMENTS_KEY/, /^SLACK_ALERTS_TOKEN/]);
      await page.getByLabel('Type').selectOption('');
      await page.getByLabel('Has environment').selectOption('dev');
      await expect(grid.getByRole('rowheader')).toHaveText([/^API_BASE_URL/, /^SLACK_ALERTS_TOKEN/, /^TRANSFER_PHONE_NUMBER/]);
      await page.getByRole('button', { name: 'Clear filters' }).click();
      await expect(page.getByText('10 variables · 3 environments')).toBeVisible();
    });

    await test.step('the search finds labels in every workspace', async () => {
      await page.getByLabel('Search variable labels in every workspace').fill('crm');
      const hits = page.getByRole('list', { name: 'Matching variables' });
      await expect(page.getByText('4 variables match “crm”')).toBeVisible();
      await expect(hits.getByRole('listitem').filter({ hasText: /Staging/ })).toHaveCount(2);
      await expect(hits.getByRole('listitem').filter({ hasText: /Production/ })).toHaveCount(2);
      await hits
        .getByRole('listitem')
        .filter({ hasText: /Staging/ })
        .filter({ hasText: 'CRM_TOKEN' })
        .getByRole('button')
        .click();
      await expect(matrix(page, 'Staging').getByRole('rowheader', { name: /^CRM_TOKEN/ })).toBeFocused();
      await page.getByLabel('Search variable labels in every workspace').fill('');
      await switcher(page)
        .getByRole('button', { name: /^Production/ })
        .click();
    });

    await test.step('the grid by keyboard alone: one tab stop, arrows, End, and Enter follows a link', async () => {
      await page.getByLabel('Has environment').focus();
      await page.keyboard.press('Tab');
      await expect(grid.getByRole('rowheader', { name: /^ANALYTICS_WRITE_KEY/ })).toBeFocused();
      for (let i = 0; i < 7; i += 1) await page.keyboard.press('ArrowDown');
      await expect(grid.getByRole('rowheader', { name: /^PAYMENTS_KEY/ })).toBeFocused();
      await page.keyboard.press('ArrowRight');
      await expect(page.getByRole('button', { name: 'Secret STRIPE_RESTRICTED_KEY' })).toBeFocused();
      await page.keyboard.press('ArrowRight');
      await expect(cell(grid, 'PAYMENTS_KEY', 'dev')).toBeFocused();
      await page.keyboard.press('End');
      await expect(page.getByRole('button', { name: 'Secret STRIPE_TEST_KEY_OLD' })).toBeFocused();
      await page.keyboard.press('Tab');
      await expect(grid.locator(':focus')).toHaveCount(0);
      await page.keyboard.press('Shift+Tab');
      await expect(page.getByRole('button', { name: 'Secret STRIPE_TEST_KEY_OLD' })).toBeFocused();
      await page.keyboard.press('Enter');
      await expect(
        page.getByRole('region', { name: 'Secret details' }).getByRole('heading', { name: 'STRIPE_TEST_KEY_OLD' }),
      ).toBeVisible();
      await showSection(page, 'Environment variables');
    });

    for (const colorScheme of ['light', 'dark'] as const) {
      await test.step(`axe on the matrix, ${colorScheme} scheme`, async () => {
        await page.emulateMedia({ colorScheme });
        await expect(grid).toBeVisible();
        await expectNoSeriousA11yViolations(page, `Environment variables (${colorScheme})`);
      });
    }

    await test.step('a secret deleted in ElevenLabs that a variable names: the matrix and Review say so after a sync', async () => {
      const [old] = await remoteNamed(emulator.url, KEY_PRODUCTION, 'STRIPE_TEST_KEY_OLD');
      const deleted = await fetch(`${emulator.url}/v1/convai/secrets/${old!.secret_id}`, {
        method: 'DELETE',
        headers: { 'xi-api-key': KEY_PRODUCTION },
      });
      expect(deleted.status).toBe(204);
      await page.getByRole('button', { name: 'Sync', exact: true }).click();
      await expect(cell(grid, 'PAYMENTS_KEY', 'staging')).toContainText('Removed remotely');

      await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Review', exact: true }).click();
      const group = page.getByRole('region', { name: /Variables naming a removed secret or connection/ });
      const item = group.getByRole('listitem').filter({ hasText: 'PAYMENTS_KEY' });
      await expect(item).toContainText(
        'Its staging value names the secret STRIPE_TEST_KEY_OLD, which the last sync no longer found. Agents run in staging get nothing for it.',
      );
      await expect(page.getByRole('region', { name: /Variables missing an environment/ })).toContainText('BILLING_AUTH');
      await expect(page.getByRole('region', { name: /Variables holding what looks like a key/ })).toContainText('ANALYTICS_WRITE_KEY');
      await item.getByRole('button', { name: 'Show in Environment variables PAYMENTS_KEY' }).click();
      await expect(grid.getByRole('rowheader', { name: /^PAYMENTS_KEY/ })).toBeFocused();
    });
  } finally {
    await emulator.stop();
  }
});
