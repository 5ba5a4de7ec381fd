import { AppError } from '../errors';
import type { Keychain } from './keychain';
import { cutAtWord } from '../../shared/text';

type Keytar = typeof import('keytar');

const backendByPlatform: Record<string, string> = {
  darwin: 'macOS Keychain',
  win32: 'Windows Credential Manager',
  linux: 'Secret Service (GNOME Keyring, KWallet...)',
};

/**
 * The real keychain through keytar. `service` is the keychain's service name; tests use their
 * own so they never touch the user's entries. keytar is loaded on first use, so merely starting
 * the app never talks to the keychain.
 */
export function createKeytarKeychain(service: string): Keychain {
  let keytar: Promise<Keytar> | undefined;
  const load = (): Promise<Keytar> => {
    keytar ??= import('keytar').then((module) => ((module as { default?: Keytar }).default ?? module) as Keytar);
    return keytar;
  };
  const guard = async <T>(action: string, run: (k: Keytar) => Promise<T>): Promise<T> => {
    try {
      return await run(await load());
    } catch (error) {
      throw keychainError(action, error);
    }
  };
  return {
    description: backendByPlatform[process.platform] ?? 'OS keychain',
    get: (ref) => guard('read from', (k) => k.getPassword(service, ref)),
    set: (ref, value) => guard('write to', (k) => k.setPassword(service, ref, value)),
    delete: (ref) => guard('delete from', (k) => k.deletePassword(service, ref)),
  };
}

/**
 * Turns keytar's native errors into specific, actionable ones. Never falls back to anything:
 * without a keychain, nothing secret is stored at all.
 */
export function keychainError(action: string, error: unknown): AppError {
  const detail = error instanceof Error ? error.message : String(error);
  if (/locked/i.test(detail) || /User canceled|user interaction is not allowed|-128|-25308/i.test(detail)) {
    return new AppError(
      'keychain_locked',
      `Could not ${action} the system keychain because it is locked. Unlock your keychain (log in to your keyring), then try again. Nothing was saved in plain text.`,
    );
  }
  if (
    /org\.freedesktop\.secrets|Secret Service|D-Bus|dbus|No such interface|Could not connect|ServiceUnknown|not provided by any \.service/i.test(
      detail,
    ) ||
    /Cannot find module|was compiled against|NODE_MODULE_VERSION/i.test(detail)
  ) {
    return new AppError(
      'keychain_unavailable',
      `No system keychain is available, so Agent Keyring cannot ${action} it. On Linux, install and start a Secret Service (GNOME Keyring or KWallet) in your session. Nothing was saved in plain text. (${trimDetail(detail)})`,
    );
  }
  return new AppError(
    'keychain_failed',
    `The system keychain refused to ${action.replace(/ (to|from)$/, '')} an entry: ${trimDetail(detail)}`,
  );
}

/** keytar's messages come from the OS and hold no secret; keep them short for the UI. */
function trimDetail(detail: string): string {
  const line = detail.split('\n')[0] ?? '';
  return cutAtWord(line, 160);
}
