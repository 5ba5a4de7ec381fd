import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import keytar from 'keytar';

// Real processes for every test: the browser preview (the app's domain in Node, serving the
// built renderer) and, where a second workspace is needed, the standalone emulator.

const root = path.resolve(__dirname, '..');
// node itself with tsx's loader, not the tsx CLI: the CLI runs the script in a child process,
// so a SIGKILL would hit the wrapper and leave the app running.
const withTsx = (args: string[]) => [process.execPath, ['--import', 'tsx', ...args]] as const;

export interface RunningProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

function startProcess(args: string[], ready: RegExp): Promise<RunningProcess> {
  const child = spawn(...withTsx(args), { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = ready.exec(output);
      if (match) {
        resolve({
          url: match[1]!,
          child,
          output: () => output,
          stop: (signal = 'SIGTERM') =>
            new Promise((done) => {
              if (child.exitCode !== null || child.signalCode !== null) return done();
              child.once('exit', () => done());
              child.kill(signal);
            }),
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`${args[0]} exited with ${code} before it was ready:\n${output}`)));
  });
}

export function startEmulator(args: string[]): Promise<RunningProcess> {
  return startProcess(['src/emulator/cli.ts', '--port', '0', ...args], /listening on (http:\/\/127\.0\.0\.1:\d+)/);
}

export function startPreview(dataDir: string, keychainService: string, extra: string[] = []): Promise<RunningProcess> {
  return startProcess(
    ['src/preview/cli.ts', '--port', '0', '--data-dir', dataDir, '--keychain-service', keychainService, '--api-timeout', '3', ...extra],
    /open (http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]+)/,
  );
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
