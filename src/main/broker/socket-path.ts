import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Where the app listens for `akr`: a Unix socket in a per-user folder of mode 0700, or a named
 * pipe on Windows. Both sides use these functions, so both check the folder the same way.
 */

export const SOCKET_NAME = 'akr.sock';

/** The folder: AKR_SOCKET_DIR, else $XDG_RUNTIME_DIR/agent-keyring, else a per-user folder in the temp dir. */
export function defaultSocketDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env['AKR_SOCKET_DIR']) return path.resolve(env['AKR_SOCKET_DIR']);
  if (process.platform !== 'win32' && env['XDG_RUNTIME_DIR']) return path.join(env['XDG_RUNTIME_DIR'], 'agent-keyring');
  return path.join(os.tmpdir(), `agent-keyring-${process.getuid?.() ?? os.userInfo().username}`);
}

/** The socket in that folder, or (Windows) a pipe named after the user and folder. */
export function socketPathIn(dir: string): string {
  if (process.platform === 'win32') {
    // Named pipes live in their own namespace; the folder only makes the name per-user and per-install.
    const tag = Buffer.from(dir.toLowerCase()).toString('base64url').slice(-40);
    return `\\\\.\\pipe\\agent-keyring-${os.userInfo().username}-${tag}`;
  }
  return path.join(dir, SOCKET_NAME);
}

/**
 * Why this folder may not hold the socket, or null when it may: it must be a real directory (not a
 * link), owned by this user, with no access for group or others. Windows pipes carry their own ACL.
 */
export function privateDirProblem(dir: string): string | null {
  if (process.platform === 'win32') return null;
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(dir);
  } catch {
    return `${dir} does not exist`;
  }
  if (!stat.isDirectory()) return `${dir} is not a directory`;
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid) return `${dir} belongs to another user (uid ${stat.uid})`;
  if ((stat.mode & 0o077) !== 0) {
    return `${dir} is open to other users (mode ${(stat.mode & 0o777).toString(8)}; it must be 700: chmod 700 "${dir}")`;
  }
  return null;
}

/** Makes the folder (0700) when it is missing; throws with the reason when it is not private. */
export function ensurePrivateDir(dir: string): void {
  if (process.platform === 'win32') return;
  if (!fs.existsSync(dir)) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const problem = privateDirProblem(dir);
  if (problem) throw new Error(`The command-line socket is not started: ${problem}.`);
}
