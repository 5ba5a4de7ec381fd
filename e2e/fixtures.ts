import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
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

export { expect };
