import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import keytar from 'keytar';
import { expect, showSection, startEmulator, test } from './fixtures';
import {
  addSyncedWorkspace,
  applyPlan,
  clipboardHash,
  createInDashboard,
  createLocalSecret,
  localDetail,
  localList,
  setSettings,
  sha256,
} from './local-secrets-helpers';

// Canary values of several shapes, put into local secrets through every way the UI takes one
// (create, rotate, adopt, .env import), pushed, copied and revealed, must be found in the
// keychain and nowhere else: not in any file under the data folder, not in the preview's output,
// not in the activity or inventory exports, not in the page once hidden, and not in any message
// the page received except the reply to the explicit reveal.

const KEY = 'sk_e2e_canary_local_00000000000001';
/** The unique part of each canary: found anywhere, it is a leak, whatever the quoting around it. */
const core = () => randomBytes(16).toString('hex');
const cores = { created: core(), jwt: core(), rotated: core(), adopted: core(), json: core(), spaced: core() };
const canaries = {
  created: `sk_canary_${cores.created}`,
  jwt: `eyJhbGciOiJIUzI1NiJ9.${cores.jwt}.c2lnbmF0dXJl`,
  rotated: `correct horse battery ${cores.rotated} staple`,
  adopted: `pässwörd-${cores.adopted}-ключ`,
  json: `{"token":"${cores.json}","n":1}`,
  spaced: `  leading and trailing ${cores.spaced}  `,
};

test('canary values in local secrets stay in the keychain', async ({ page, app }) => {
  test.setTimeout(240_000);
  const emulator = await startEmulator(['--seed', 'demo', '--key', KEY]);
  const sent: string[] = [];
  page.on('websocket', (socket) => socket.on('framesent', (frame) => sent.push(String(frame.payload))));
  try {
    await app.open(page);
    await addSyncedWorkspace(page, 'Canary', emulator.url, KEY, '16 secrets');
    await setSettings(page, { clipboard: 5, reveal: 5 });

    // Create (two shapes), then rotate one of them.
    await showSection(page, 'Local secrets');
    await createLocalSecret(page, { name: 'CANARY_CREATED', value: canaries.created, targets: ['Canary'] });
    await createLocalSecret(page, { name: 'CANARY_JWT', value: canaries.jwt, targets: ['Canary'] });
    await localList(page).getByRole('option', { name: 'CANARY_JWT' }).click();
    await localDetail(page).getByRole('button', { name: 'Rotate…' }).click();
    const rotate = page.getByRole('dialog', { name: 'Rotate “CANARY_JWT”' });
    await rotate.getByLabel('New value').fill(canaries.rotated);
    await rotate.getByRole('button', { name: 'Rotate', exact: true }).click();
    await expect(rotate).toBeHidden();

    // Import a .env file (a JSON-looking value, and one with spaces around it).
    await page.getByRole('button', { name: 'Import .env…' }).click();
    const importer = page.getByRole('dialog', { name: 'Import a .env file' });
    await importer.getByLabel('Or paste its contents').fill(`CANARY_JSON='${canaries.json}'\nCANARY_SPACED="${canaries.spaced}"\n`);
    await importer.getByRole('button', { name: 'Preview' }).click();
    await importer.getByRole('checkbox', { name: 'Canary', exact: true }).check();
    await importer.getByRole('button', { name: 'Import 2 secrets' }).click();
    await expect(importer.getByRole('status')).toContainText('Imported: 2 new local secrets');
    await importer.getByRole('button', { name: 'Done' }).click();

    // Adopt a remote secret made in the dashboard (it gets a canary as its value here).
    await createInDashboard(emulator.url, KEY, 'CANARY_ADOPTED', 'the-dashboard-value');
    await page.getByRole('button', { name: 'Sync', exact: true }).click();
    await showSection(page, 'Secrets');
    await page.getByRole('searchbox', { name: 'Search secrets' }).fill('CANARY_ADOPTED');
    await page.getByRole('listbox', { name: 'Secrets' }).getByRole('option', { name: 'CANARY_ADOPTED' }).click();
    await page.getByRole('region', { name: 'Secret details' }).getByRole('button', { name: 'Manage here…' }).click();
    const adopt = page.getByRole('dialog', { name: 'Manage “CANARY_ADOPTED” here' });
    await adopt.getByLabel('Value', { exact: true }).fill(canaries.adopted);
    await adopt.getByRole('button', { name: 'Manage here' }).click();
    await page.getByRole('dialog', { name: 'Push plan' }).getByRole('button', { name: 'Cancel' }).click();

    // Push everything, copy one value and reveal another.
    await showSection(page, 'Local secrets');
    await page.keyboard.press('Control+Shift+P');
    const plan = page.getByRole('dialog', { name: 'Push plan' });
    await expect(plan.getByRole('status')).toHaveText('4 creates, 1 update. Nothing is sent until you apply.');
    await applyPlan(plan, 'Finished: 5 done.');
    await plan.getByRole('button', { name: 'Close' }).click();
    await localList(page).getByRole('option', { name: 'CANARY_CREATED' }).click();
    await localDetail(page).getByRole('button', { name: 'Copy the value' }).click();
    await expect.poll(() => clipboardHash(app)).toBe(sha256(canaries.created));
    await localList(page).getByRole('option', { name: 'CANARY_JWT' }).click();
    await localDetail(page).getByRole('button', { name: 'Reveal the value' }).click();
    await expect(localDetail(page).getByText(canaries.rotated)).toBeVisible();
    await expect(localDetail(page).getByText(canaries.rotated)).toBeHidden({ timeout: 10_000 });

    // The exports, as the user saves them (the preview saves them in its data folder and says where).
    await showSection(page, 'Activity');
    const exported: string[] = [];
    for (const [kind, format] of [
      ['activity', 'csv'],
      ['activity', 'json'],
      ['inventory', 'csv'],
      ['inventory', 'json'],
    ] as const) {
      await page.getByRole('button', { name: `Export ${kind} as ${format.toUpperCase()}` }).click();
      const saved = page
        .locator('.toast-message')
        .filter({ hasText: new RegExp(`^Saved “agent-keyring-${kind}-[\\d-]+\\.${format}” to /`) });
      const savedTo = / to (\/.+)$/.exec(await saved.last().innerText())?.[1] ?? '';
      exported.push(fs.readFileSync(savedTo, 'utf8'));
    }
    expect(exported[0]).toContain('CANARY_CREATED');
    expect(exported[3]).toContain('CANARY_ADOPTED');

    // Positive control: every canary went through, and is in the keychain.
    const stored = (await keytar.findCredentials(app.keychainService)).map((c) => c.password).join('\n');
    for (const [what, unique] of Object.entries(cores)) expect(stored.includes(unique), `${what} in the keychain`).toBe(true);

    const leaks = (text: string) =>
      Object.entries(cores)
        .filter(([, unique]) => text.includes(unique))
        .map(([what]) => what);
    const files = fs.readdirSync(app.dataDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    expect(files.map((e) => e.name)).toEqual(expect.arrayContaining(['agent-keyring.sqlite', 'main.log']));
    for (const entry of files) {
      const content = fs.readFileSync(path.join(entry.parentPath, entry.name)).toString('latin1');
      expect(leaks(content), `canaries in ${entry.name}`).toEqual([]);
    }
    expect(leaks(app.preview.output()), 'canaries in the preview output').toEqual([]);
    for (const [i, file] of exported.entries()) expect(leaks(file), `canaries in export ${i}`).toEqual([]);

    // Every reply and event, but the explicit reveal's reply.
    const revealIds = new Set(
      sent
        .map((frame) => JSON.parse(frame) as { id: number; channel: string })
        .filter((m) => m.channel === 'localSecrets:reveal')
        .map((m) => m.id),
    );
    expect(revealIds.size).toBe(1);
    const received = app.ipcFrames.map((frame) => ({ frame, id: (JSON.parse(frame) as { id?: number }).id }));
    const reveals = received.filter((r) => r.id !== undefined && revealIds.has(r.id));
    expect(leaks(reveals.map((r) => r.frame).join('\n'))).toEqual(['rotated']);
    const others = received.filter((r) => !reveals.includes(r));
    expect(others.length).toBeGreaterThan(50);
    for (const { frame } of others) expect(leaks(frame), 'canaries in an IPC reply or event').toEqual([]);

    const pageState = await page.evaluate(
      () => document.documentElement.outerHTML + JSON.stringify(sessionStorage) + JSON.stringify(localStorage),
    );
    expect(leaks(pageState), 'canaries left in the page').toEqual([]);
  } finally {
    await emulator.stop();
  }
});
