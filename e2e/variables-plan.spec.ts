import { expect, expectNoSeriousA11yViolations, showSection, startEmulator, switcher, test } from './fixtures';
import { addSyncedWorkspace } from './local-secrets-helpers';

// Environment variables changed through the one plan dialog: a promotion from staging to
// production, by keyboard alone, whose plan shows each cell before and after and lands in the
// emulator; a cell cleared; a cross-workspace promotion that names what it cannot resolve;
// axe on every dialog and plan in both schemes. One app for the whole walk.

const KEY_PRODUCTION = 'sk_e2e_varplan_production_00000001';
const KEY_STAGING = 'sk_e2e_varplan_staging_00000000001';

type WireVariable = { id: string; label: string; values: Record<string, unknown> };

async function remoteVariable(baseUrl: string, key: string, label: string): Promise<WireVariable | undefined> {
  const response = await fetch(`${baseUrl}/v1/convai/environment-variables?label=${label}`, { headers: { 'xi-api-key': key } });
  return ((await response.json()) as { environment_variables: WireVariable[] }).environment_variables[0];
}

test('environment variables through the plan: promote by keyboard, clear a cell, unresolved references named, axe', async ({
  page,
  app,
}) => {
  test.setTimeout(90_000);
  const emulator = await startEmulator(['--seed', 'demo', '--key', KEY_PRODUCTION, '--key', KEY_STAGING]);
  try {
    await app.open(page);
    await addSyncedWorkspace(page, 'Staging', emulator.url, KEY_STAGING, '16 secrets');
    await addSyncedWorkspace(page, 'Production', emulator.url, KEY_PRODUCTION, '16 secrets');
    await switcher(page)
      .getByRole('button', { name: /^Production/ })
      .click();
    await showSection(page, 'Environment variables');
    const changes = page.getByRole('group', { name: 'Change environment variables' });

    await test.step('promote staging to production for one variable, by keyboard alone', async () => {
      await changes.getByRole('button', { name: 'Promote an environment…' }).focus();
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog', { name: 'Promote an environment' });
      await expect(dialog.getByLabel('From environment')).toHaveValue('staging');
      await expect(dialog.getByLabel('To environment')).toHaveValue('production');
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme });
        await expectNoSeriousA11yViolations(page, `promote dialog, ${colorScheme}`);
      }
      await page.emulateMedia({ colorScheme: 'light' });
      await dialog.getByRole('checkbox', { name: 'All of them' }).focus();
      await page.keyboard.press('Space');
      await dialog.getByRole('checkbox', { name: 'BOOKING_WEBHOOK_URL' }).focus();
      await page.keyboard.press('Space');
      await dialog.getByRole('button', { name: 'Review the plan…' }).focus();
      await page.keyboard.press('Enter');

      const plan = page.getByRole('dialog', { name: 'Promote staging to production' });
      await expect(plan.getByRole('status')).toHaveText('1 update. Nothing is sent until you apply.');
      await expect(plan.getByRole('list', { name: 'Environments of BOOKING_WEBHOOK_URL' })).toHaveText(
        /production: https:\/\/hooks\.brightsmile-dental\.example\/booking\s*→\s*becomes\s*https:\/\/hooks\.staging\.brightsmile-dental\.example\/booking/,
      );
      expect((await remoteVariable(emulator.url, KEY_PRODUCTION, 'BOOKING_WEBHOOK_URL'))!.values.production).toBe(
        'https://hooks.brightsmile-dental.example/booking',
      );
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme });
        await expectNoSeriousA11yViolations(page, `variable plan, ${colorScheme}`);
      }
      await page.emulateMedia({ colorScheme: 'light' });
      // The plan updates a live value: focus starts on Cancel; Tab to Apply and press it.
      await expect(plan.getByRole('button', { name: 'Cancel' })).toBeFocused();
      await plan.getByRole('button', { name: 'Apply' }).focus();
      await page.keyboard.press('Enter');
      await expect(plan.getByRole('status')).toHaveText('Finished: 1 done.');
      expect((await remoteVariable(emulator.url, KEY_PRODUCTION, 'BOOKING_WEBHOOK_URL'))!.values.production).toBe(
        'https://hooks.staging.brightsmile-dental.example/booking',
      );
      await page.keyboard.press('Escape');
    });

    await test.step('clear one environment of a variable', async () => {
      await changes.getByRole('button', { name: 'Set or clear a value…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Set or clear a value' });
      await dialog.getByLabel('Variable').selectOption('CALENDAR_ID');
      await dialog.getByLabel('Environment', { exact: true }).fill('production');
      await dialog.getByLabel('Clear this environment').check();
      await dialog.getByRole('button', { name: 'Review the plan…' }).click();
      await expect(dialog.getByText('Production cannot be cleared: every variable has it.')).toBeVisible();
      await dialog.getByLabel('Environment', { exact: true }).fill('staging');
      await expect(dialog.getByText('Now: front-desk-staging@brightsmile-dental.example')).toBeVisible();
      await dialog.getByRole('button', { name: 'Review the plan…' }).click();
      const plan = page.getByRole('dialog', { name: 'Clear CALENDAR_ID in staging' });
      await expect(plan.getByText('clears staging')).toBeVisible();
      await plan.getByRole('button', { name: 'Apply' }).click();
      await expect(plan.getByRole('status')).toHaveText('Finished: 1 done.');
      await page.keyboard.press('Escape');
      expect((await remoteVariable(emulator.url, KEY_PRODUCTION, 'CALENDAR_ID'))!.values).not.toHaveProperty('staging');
    });

    await test.step('across workspaces, a reference that does not resolve by name is named, not sent', async () => {
      // PAYMENTS_KEY's staging value names a leftover secret: delete it in Production, then sync.
      const secrets = (await (await fetch(`${emulator.url}/v1/convai/secrets`, { headers: { 'xi-api-key': KEY_PRODUCTION } })).json()) as {
        secrets: { secret_id: string; name: string }[];
      };
      const leftover = secrets.secrets.find((s) => s.name === 'STRIPE_TEST_KEY_OLD')!;
      const payments = (await remoteVariable(emulator.url, KEY_PRODUCTION, 'PAYMENTS_KEY'))!;
      await fetch(`${emulator.url}/v1/convai/environment-variables/${payments.id}`, {
        method: 'PATCH',
        headers: { 'xi-api-key': KEY_PRODUCTION, 'content-type': 'application/json' },
        body: JSON.stringify({ values: { staging: null } }),
      });
      await fetch(`${emulator.url}/v1/convai/secrets/${leftover.secret_id}`, {
        method: 'DELETE',
        headers: { 'xi-api-key': KEY_PRODUCTION },
      });
      await page.getByRole('button', { name: 'Sync all' }).click();
      await expect(page.getByRole('group', { name: 'Workspaces' }).getByRole('button', { name: /^Production/ })).toContainText(/Synced/);

      await changes.getByRole('button', { name: 'Promote an environment…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Promote an environment' });
      await dialog.getByLabel('From workspace').selectOption({ label: 'Staging' });
      await dialog.getByRole('checkbox', { name: 'All of them' }).uncheck();
      await dialog.getByRole('checkbox', { name: 'PAYMENTS_KEY' }).check();
      await dialog.getByRole('button', { name: 'Review the plan…' }).click();
      const plan = page.getByRole('dialog', { name: 'Promote staging to production' });
      await expect(plan.getByRole('list', { name: 'Not planned' })).toHaveText(
        '“PAYMENTS_KEY”: “Production” has no secret named “STRIPE_TEST_KEY_OLD”: push it there first, then promote again.',
      );
      await expect(plan.getByRole('button', { name: 'Apply' })).toHaveCount(0);
      await page.keyboard.press('Escape');
    });
  } finally {
    await emulator.stop();
  }
});
