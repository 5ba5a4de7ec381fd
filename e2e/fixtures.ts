import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type Locator, type Page } from '@playwright/test';
import keytar from 'keytar';
import { startEmulatorProcess, startPreviewProcess, type RunningProcess } from '../test/support/processes';

// Real processes for every test: the browser preview (the app's domain in Node, serving the
// built renderer) and, where a second workspace is needed, the standalone emulator.

export type { RunningProcess };

export function startEmulator(args: string[]): Promise<RunningProcess> {
  return startEmulatorProcess(args);
}

export function startPreview(dataDir: string, keychainService: string, extra: string[] = []): Promise<RunningProcess> {
  return startPreviewProcess(dataDir, keychainService, ['--api-timeout', '3', ...extra]);
}

/** Tells a running emulator to misbehave, over its control endpoint. */
export async function injectFault(emulatorUrl: string, fault: Record<string, unknown> | null): Promise<void> {
  const response = await fetch(`${emulatorUrl}/_emulator/faults`, {
    method: fault ? 'POST' : 'DELETE',
    headers: { 'content-type': 'application/json' },
    body: fault ? JSON.stringify(fault) : undefined,
  });
  expect(response.ok).toBe(true);
}

export interface AppFixture {
  dataDir: string;
  keychainService: string;
  preview: RunningProcess;
  /** Every message the page received over the preview's socket (its IPC replies and events). */
  ipcFrames: string[];
  keychainAccounts(): Promise<string[]>;
  open(page: Page): Promise<void>;
}

export const test = base.extend<{ app: AppFixture }>({
  app: async ({ page }, use) => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-keyring-e2e-'));
    const keychainService = `agent-keyring-e2e-${randomUUID()}`;
    const preview = await startPreview(dataDir, keychainService);
    const ipcFrames: string[] = [];
    page.on('websocket', (socket) => socket.on('framereceived', (frame) => ipcFrames.push(String(frame.payload))));
    await use({
      dataDir,
      keychainService,
      preview,
      ipcFrames,
      keychainAccounts: async () => (await keytar.findCredentials(keychainService)).map((c) => c.account),
      open: async (target) => {
        await target.goto(preview.url);
      },
    });
    await preview.stop();
    for (const { account } of await keytar.findCredentials(keychainService)) await keytar.deletePassword(keychainService, account);
    fs.rmSync(dataDir, { recursive: true, force: true });
  },
});

// The axe-core that @axe-core/playwright injects, asked for its experimental rules (such as
// label-content-name-mismatch, WCAG 2.5.3), which axe leaves out unless they are enabled.
const axeCore = createRequire(require.resolve('@axe-core/playwright'))('axe-core') as {
  getRules(tags: string[]): { ruleId: string }[];
};
const experimentalAxeRules = Object.fromEntries(axeCore.getRules(['experimental']).map(({ ruleId }) => [ruleId, { enabled: true }]));

/**
 * Runs axe, with its experimental rules on, on the page as it is now and fails on any serious or
 * critical violation, naming the screen, the rule and the elements, so the report says where to look.
 */
export async function expectNoSeriousA11yViolations(page: Page, screenName: string): Promise<void> {
  // Let entrance animations (dialogs, toasts) finish: half-faded text reads as low contrast.
  await page.waitForTimeout(250);
  const results = await new AxeBuilder({ page }).options({ rules: experimentalAxeRules }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = serious.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => `${n.target.join(' ')} ${n.failureSummary ?? ''}`).join('\n  ')}`,
  );
  expect(report, `axe on ${screenName}`).toEqual([]);
}

/** Fills and submits the Add workspace dialog for a custom URL (the emulator); returns the dialog. */
export async function addWorkspace(
  page: Page,
  { name, baseUrl, apiKey }: { name: string; baseUrl: string; apiKey: string },
): Promise<Locator> {
  await page
    .getByRole('button', { name: 'Add an ElevenLabs workspace' })
    .or(page.getByRole('button', { name: 'Add workspace' }))
    .first()
    .click();
  const dialog = page.getByRole('dialog', { name: 'Add workspace' });
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByLabel('Data residency').selectOption('custom');
  await dialog.getByLabel('API base URL').fill(baseUrl);
  await dialog.getByLabel('API key', { exact: true }).fill(apiKey);
  await dialog.getByRole('button', { name: 'Add workspace' }).click();
  return dialog;
}

/** The sidebar's workspace switcher. */
export function switcher(page: Page): Locator {
  return page.getByRole('group', { name: 'Workspaces' });
}

export type Section =
  | 'Secrets'
  | 'Auth connections'
  | 'Environment variables'
  | 'Local secrets'
  | 'Linked accounts'
  | 'Review'
  | 'Activity'
  | 'Workspaces'
  | 'Settings';

/** A section of the sidebar ("Secrets" exactly: "Local secrets" is another one). */
export async function showSection(page: Page, name: Section): Promise<void> {
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name, exact: true }).click();
}

export { expect };
