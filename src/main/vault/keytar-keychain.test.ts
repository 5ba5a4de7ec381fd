import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clearKeychainService, keychainAccounts, testKeychainService } from '../../../test/support/harness';
import { createKeytarKeychain, keychainError } from './keytar-keychain';

const service = testKeychainService();
afterAll(() => clearKeychainService(service));

describe('keytar keychain (real Secret Service)', () => {
  it('stores, reads and deletes an entry under its own service name', async () => {
    const keychain = createKeytarKeychain(service);
    await keychain.set('workspace-api-key/test', 'stored-value-0001');
    expect(await keychain.get('workspace-api-key/test')).toBe('stored-value-0001');
    expect(await keychainAccounts(service)).toEqual(['workspace-api-key/test']);
    expect(await keychain.delete('workspace-api-key/test')).toBe(true);
    expect(await keychain.get('workspace-api-key/test')).toBeNull();
    expect(await keychain.delete('workspace-api-key/test')).toBe(false);
  });
});

/** Runs a small script that uses the keychain in another environment and reports the error code. */
function keychainErrorIn(env: NodeJS.ProcessEnv, shell?: string): { code?: string; message?: string } {
  const script = `
    const { createKeytarKeychain } = require(${JSON.stringify(path.join(__dirname, 'keytar-keychain.ts'))});
    createKeytarKeychain('agent-keyring-test-isolated').set('probe', 'v')
      .then(() => console.log(JSON.stringify({ code: 'none' })))
      .catch((e) => console.log(JSON.stringify({ code: e.code, message: e.message })));`;
  const result = shell
    ? spawnSync('dbus-run-session', ['--', 'bash', '-c', `${shell}; "${process.execPath}" --import tsx -e "$SCRIPT"`], {
        env: { ...env, SCRIPT: script },
        encoding: 'utf8',
        timeout: 60_000,
      })
    : spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { env, encoding: 'utf8', timeout: 60_000 });
  const line = result.stdout
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .at(-1);
  return line ? (JSON.parse(line) as { code?: string; message?: string }) : { message: result.stderr };
}

describe.runIf(process.platform === 'linux')('keychain failures are specific, never a plaintext fallback', () => {
  it('says there is no keychain when no Secret Service can be reached', () => {
    const { DBUS_SESSION_BUS_ADDRESS: _, ...env } = process.env;
    const outcome = keychainErrorIn({ ...env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/agent-keyring-bus', DISPLAY: '' });
    expect(outcome.code).toBe('keychain_unavailable');
    expect(outcome.message).toMatch(/No system keychain is available.*Nothing was saved in plain text/);
  });

  it('says the keychain is locked when its collection is locked', () => {
    const { DBUS_SESSION_BUS_ADDRESS: _, ...env } = process.env;
    const keyringHome = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-keyring-locked-'));
    // A private bus and keyring, locked after unlocking, so the shared test keyring stays open.
    const prepare = [
      'echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null',
      'until dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets | grep -q true; do sleep 0.05; done',
      'dbus-send --session --dest=org.freedesktop.secrets --type=method_call /org/freedesktop/secrets org.freedesktop.Secret.Service.Lock array:objpath:/org/freedesktop/secrets/aliases/default >/dev/null',
    ].join(' && ');
    const outcome = keychainErrorIn({ ...env, XDG_DATA_HOME: keyringHome }, prepare);
    fs.rmSync(keyringHome, { recursive: true, force: true });
    expect(outcome.code).toBe('keychain_locked');
    expect(outcome.message).toMatch(/locked\. Unlock your keychain/);
  });

  it('maps macOS and Windows wordings too', () => {
    expect(keychainError('write to', new Error('User interaction is not allowed.')).code).toBe('keychain_locked');
    expect(keychainError('write to', new Error('Something odd')).code).toBe('keychain_failed');
  });
});
