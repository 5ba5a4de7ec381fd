import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { enableCompileCache } from '../main/elevenlabs/api-host/compile-cache';
import { privateDirProblem } from '../main/broker/socket-path';

// out/cli/akr.js: loads akr (out/cli/akr-main.js) with V8's compiled code kept between runs, as the
// API host does: compiling the bundle is most of akr's own start-up, and every `akr run` pays it.
// The cache is code, so it lives in a per-user folder of mode 0700 or is not used at all.

function cacheDir(env: NodeJS.ProcessEnv): string | undefined {
  if (env['AKR_NO_CODE_CACHE']) return undefined;
  if (env['AKR_CACHE_DIR']) return path.resolve(env['AKR_CACHE_DIR']);
  if (process.platform === 'win32') return path.join(env['LOCALAPPDATA'] ?? os.tmpdir(), 'Agent Keyring', 'akr-code');
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Caches', 'Agent Keyring', 'akr-code');
  return path.join(env['XDG_CACHE_HOME'] || path.join(os.homedir(), '.cache'), 'agent-keyring', 'akr-code');
}

const dir = cacheDir(process.env);
if (dir && usable(dir)) {
  const cache = enableCompileCache(dir, __dirname);
  // Written once the command is done, so it holds every function this run compiled.
  process.once('exit', () => cache.flush());
}
// Required at run time (not bundled in): it must be compiled after the cache is in place.
createRequire(__filename)('./akr-main.js');

function usable(folder: string): boolean {
  try {
    fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
  } catch {
    return false;
  }
  return privateDirProblem(folder) === null;
}
