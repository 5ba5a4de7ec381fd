import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from '../../../../test/support/harness';

// The compiled-code cache as the API host uses it on Node 20 (the preview, tests, benchmark;
// Node 22.1+, Electron's, keeps the cache itself): each run is a fresh Node process, as each
// host start is, loading a module from the host's folder with the cache on.

const compileCache = path.join(__dirname, 'compile-cache.ts');

/** Starts a process that enables the cache for `scope`, requires `file`, flushes, and says what it got. */
function run(cacheDir: string, scope: string, file: string): { value: unknown; stats: { cached: number; compiled: number } | null } {
  const program = `
    const { vmCompileCache } = require(${JSON.stringify(compileCache)});
    require('node:fs').mkdirSync(${JSON.stringify(cacheDir)}, { recursive: true, mode: 0o700 });
    const cache = vmCompileCache(${JSON.stringify(cacheDir)}, ${JSON.stringify(scope)});
    const value = require(${JSON.stringify(file)}).answer();
    cache.flush();
    process.stdout.write(JSON.stringify({ value, stats: cache.stats() }));`;
  const output = execFileSync(process.execPath, ['--import', 'tsx', '-e', program], { encoding: 'utf8' });
  return JSON.parse(output) as ReturnType<typeof run>;
}

const moduleSource = (answer: string) =>
  `exports.answer = () => [${JSON.stringify(answer)}, require('./helper.js').helped, __filename.endsWith('bundle.js')];\n`;

function builtFolder(answer = 'first build'): { scope: string; file: string } {
  const scope = tempDir('agent-keyring-host-build-');
  fs.writeFileSync(path.join(scope, 'bundle.js'), moduleSource(answer));
  fs.writeFileSync(path.join(scope, 'helper.js'), 'exports.helped = true;\n');
  return { scope, file: path.join(scope, 'bundle.js') };
}

const entries = (dir: string) => fs.readdirSync(dir).filter((name) => name.endsWith('.v8'));

afterEach(() => removeTempDirs());

describe('the API host compile cache on Node 20', () => {
  it('compiles the host files once and reads them from the cache at the next start, running them the same', () => {
    const cacheDir = path.join(tempDir(), 'api-host-code-cache');
    const { scope, file } = builtFolder();

    const first = run(cacheDir, scope, file);
    expect(first).toEqual({ value: ['first build', true, true], stats: { cached: 0, compiled: 2 } });
    expect(entries(cacheDir)).toHaveLength(2);

    expect(run(cacheDir, scope, file)).toEqual({ value: ['first build', true, true], stats: { cached: 2, compiled: 0 } });
  });

  it('compiles afresh and rewrites an entry V8 refuses, and drops the entries of an older build', () => {
    const cacheDir = path.join(tempDir(), 'api-host-code-cache');
    const { scope, file } = builtFolder();
    run(cacheDir, scope, file);
    for (const entry of entries(cacheDir)) fs.writeFileSync(path.join(cacheDir, entry), 'not compiled code');
    expect(run(cacheDir, scope, file)).toEqual({ value: ['first build', true, true], stats: { cached: 0, compiled: 2 } });
    expect(run(cacheDir, scope, file).stats).toEqual({ cached: 2, compiled: 0 });

    // A new build of bundle.js: its old entry is never loaded again and goes.
    fs.writeFileSync(file, moduleSource('second build'));
    const before = entries(cacheDir);
    expect(run(cacheDir, scope, file)).toEqual({ value: ['second build', true, true], stats: { cached: 1, compiled: 1 } });
    const after = entries(cacheDir);
    expect(after).toHaveLength(2);
    expect(after.filter((name) => !before.includes(name))).toHaveLength(1);
  });

  it('leaves files outside the host folder alone', () => {
    const cacheDir = path.join(tempDir(), 'api-host-code-cache');
    const { file } = builtFolder();
    const elsewhere = tempDir('agent-keyring-other-');
    expect(run(cacheDir, elsewhere, file).stats).toEqual({ cached: 0, compiled: 0 });
    expect(entries(cacheDir)).toEqual([]);
  });
});
