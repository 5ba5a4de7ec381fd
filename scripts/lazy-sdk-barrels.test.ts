import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lazyBarrel } from './lazy-sdk-barrels';

// The SDK's barrels, made lazy for the API host's bundle (electron.vite.config.ts), against the
// installed SDK itself: every barrel it has must export the same names with the same values.

const requireHere = createRequire(__filename);
const sdkDir = path.dirname(requireHere.resolve('@elevenlabs/elevenlabs-js/package.json'));

function sdkFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter(
      (entry) =>
        entry.isFile() && entry.name.endsWith('.js') && !path.join(entry.parentPath, entry.name).includes(`${path.sep}dist${path.sep}`),
    )
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** Runs a module's (rewritten) source as Node would, requiring the real SDK around it. */
function evaluate(code: string, file: string): Record<string, unknown> {
  const module = { exports: {} as Record<string, unknown> };
  new Function('exports', 'require', 'module', '__filename', '__dirname', code)(
    module.exports,
    createRequire(file),
    module,
    file,
    path.dirname(file),
  );
  return module.exports;
}

describe('the SDK barrels made lazy', () => {
  it('export the same names with the same values as the SDK, for every barrel it has', () => {
    requireHere('@elevenlabs/elevenlabs-js');
    let barrels = 0;
    for (const file of sdkFiles(sdkDir)) {
      const require = createRequire(file);
      const lazy = lazyBarrel(fs.readFileSync(file, 'utf8'), (specifier) => Object.keys(require(specifier) as object));
      if (lazy === null) continue;
      barrels += 1;
      const real = require(file) as Record<string, unknown>;
      const made = evaluate(lazy, file);
      expect(Object.keys(made).sort(), file).toEqual(Object.keys(real).sort());
      for (const name of Object.keys(real)) expect(made[name], `${file}: ${name}`).toBe(real[name]);
      expect(made['__esModule']).toBe(true);
    }
    // The SDK's type, serialization and resource indexes (about 670 in 2.73.0).
    expect(barrels).toBeGreaterThan(500);
  });

  it('loads a module only when one of its names is first used', () => {
    const loaded: string[] = [];
    const code = [
      '"use strict";',
      'Object.defineProperty(exports, "__esModule", { value: true });',
      'exports.inner = void 0;',
      '__exportStar(require("./a"), exports);',
      'exports.inner = __importStar(require("./inner"));',
      '__exportStar(require("./b"), exports);',
    ].join('\n');
    const names: Record<string, string[]> = { './a': ['A', 'shared', 'inner'], './b': ['B', 'shared'] };
    const modules: Record<string, Record<string, string>> = {
      './a': { A: 'a', shared: 'from a', inner: 'shadowed' },
      './b': { B: 'b', shared: 'from b' },
      './inner': { x: 'inner x' },
    };
    const lazy = lazyBarrel(code, (specifier) => names[specifier]!)!;
    const exports: Record<string, unknown> = {};
    const require = (specifier: string) => {
      loaded.push(specifier);
      return { __esModule: true, ...modules[specifier] };
    };
    const importStar = (module: unknown) => module;
    new Function('exports', 'require', '__importStar', lazy)(exports, require, importStar);
    expect(loaded).toEqual([]);
    expect(Object.keys(exports).sort()).toEqual(['A', 'B', 'inner', 'shared']);
    expect(exports['B']).toBe('b');
    expect(loaded).toEqual(['./b']);
    // A namespace export beats a star export; the first star export beats a later one.
    expect(exports['inner']).toMatchObject({ x: 'inner x' });
    expect(exports['shared']).toBe('from a');
  });

  it('leaves alone a module that does more than re-export', () => {
    const client = fs.readFileSync(path.join(sdkDir, 'Client.js'), 'utf8');
    expect(lazyBarrel(client, () => [])).toBeNull();
    expect(lazyBarrel('exports.x = 1;', () => [])).toBeNull();
  });
});
