import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('npm start without Electron', () => {
  it('says how to install Electron and how to try the app in the browser instead', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'no-electron-'));
    const failed = await run(process.execPath, [path.join(__dirname, 'electron-native.mjs')], {
      env: { ...process.env, AGENT_KEYRING_ELECTRON_DIR: empty },
    }).catch((error: { code: number; stderr: string }) => error);
    fs.rmSync(empty, { recursive: true, force: true });
    expect(failed).toMatchObject({ code: 1 });
    const { stderr } = failed as { stderr: string };
    expect(stderr).toContain("Electron's binary is not installed");
    expect(stderr).toContain('node node_modules/electron/install.js');
    expect(stderr).toContain('npm run preview -- --port 5180 --data-dir');
  });
});
