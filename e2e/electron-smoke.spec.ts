import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import keytar from 'keytar';

// The app itself in Electron, not the browser preview the other specs use: its window opens, the
// demo workspace is added through the Electron preload and IPC, and quitting leaves no process.

const root = path.resolve(__dirname, '..');

/** Electron's binary where node_modules/electron says it is, or null when it was not downloaded. */
function electronBinary(): string | null {
  const pathFile = path.join(root, 'node_modules', 'electron', 'path.txt');
  if (!fs.existsSync(pathFile)) return null;
  const binary = path.join(root, 'node_modules', 'electron', 'dist', fs.readFileSync(pathFile, 'utf8').trim());
  return fs.existsSync(binary) ? binary : null;
}
const binary = electronBinary();

const SKIPPED_WITHOUT_ELECTRON =
  "Electron's binary is not installed (node_modules/electron/dist): npm ran with ELECTRON_SKIP_BINARY_DOWNLOAD=1, or its download failed. " +
  'Run "node node_modules/electron/install.js" (needs github.com) to run this test.';
// The reason is in the report's annotations; the list reporter does not show those, so say it too.
if (binary === null) console.warn(`electron-smoke.spec.ts is skipped: ${SKIPPED_WITHOUT_ELECTRON}`);
test.skip(binary === null, SKIPPED_WITHOUT_ELECTRON);

/** Every process in the OS's process table as [pid, parent pid], leaving out zombies (already exited). */
function processTable(): [number, number][] {
  const output =
    process.platform === 'win32'
      ? execFileSync(
          'powershell',
          ['-NoProfile', '-Command', 'Get-CimInstance Win32_Process | ForEach-Object { "$($_.ProcessId) $($_.ParentProcessId) R" }'],
          {
            encoding: 'utf8',
          },
        )
      : execFileSync('ps', ['-A', '-o', 'pid=,ppid=,stat='], { encoding: 'utf8' });
  return output
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([pid, , state]) => pid && state && !state.startsWith('Z'))
    .map(([pid, parent]) => [Number(pid), Number(parent)]);
}

/** A process and everything it started, as the process table shows them now. */
function processTree(pid: number): number[] {
  const table = processTable();
  const tree = new Set([pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [child, parent] of table) {
      if (tree.has(parent) && !tree.has(child)) {
        tree.add(child);
        grew = true;
      }
    }
  }
  return [...tree].filter((member) => table.some(([alive]) => alive === member));
}

test('the app opens its window, adds the demo workspace, and quits leaving no process behind', async () => {
  // better-sqlite3 built for Electron, as `npm start` does first.
  execFileSync(process.execPath, [path.join(root, 'scripts', 'electron-native.mjs')], { cwd: root, stdio: 'inherit' });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-keyring-electron-'));
  const keychainService = `agent-keyring-e2e-electron-${randomUUID()}`;
  const linuxWithoutDisplay = process.platform === 'linux' && !process.env['DISPLAY'] && !process.env['WAYLAND_DISPLAY'];
  const app = await electron.launch({
    executablePath: binary!,
    args: [
      // Chromium refuses to run as root with its sandbox; a desktop user keeps it.
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      ...(linuxWithoutDisplay ? ['--ozone-platform=headless'] : []),
      root,
    ],
    cwd: root,
    env: { ...process.env, AGENT_KEYRING_DATA_DIR: dataDir, AGENT_KEYRING_KEYCHAIN_SERVICE: keychainService },
  });
  try {
    const page = await app.firstWindow();
    await expect(page).toHaveTitle('Agent Keyring');
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);

    await page.getByRole('button', { name: 'Try the demo workspace' }).click();
    await expect(page.getByRole('listbox', { name: 'Secrets' }).getByRole('option', { name: 'GOOGLE_CALENDAR_TOKEN' })).toBeVisible();

    // The main process, its renderer and GPU helpers and the API host: all must be gone after quitting.
    const started = processTree(app.process().pid!);
    expect(started.length).toBeGreaterThan(1);
    const exited = new Promise<number | null>((resolve) => app.process().once('exit', (code) => resolve(code)));
    await app.close();
    expect(await exited).toBe(0);
    await expect
      .poll(
        () =>
          processTable()
            .filter(([pid]) => started.includes(pid))
            .map(([pid]) => pid),
        { timeout: 10_000 },
      )
      .toEqual([]);
  } finally {
    if (app.process().exitCode === null) app.process().kill();
    for (const { account } of await keytar.findCredentials(keychainService)) await keytar.deletePassword(keychainService, account);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
