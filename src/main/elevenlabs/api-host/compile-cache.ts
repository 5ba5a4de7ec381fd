import { createHash } from 'node:crypto';
import fs from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

/**
 * V8's compiled code for the API host's own built files, kept between runs, so a host started
 * after an idle stop does not parse the bundled SDK again (about 9 MB of JavaScript: 200–300 ms
 * of a cold start on two cores, 15 ms from the cache).
 *
 * Node 22.1+ (Electron's) has this built in: `module.enableCompileCache(dir)`. Node 20 (the
 * preview, the tests, the benchmark) does not; there the host's CommonJS files under `scope` are
 * compiled through vm.Script with V8's cached data instead. Either way the cache lives in the
 * app's own data folder (never a shared temp folder: cached code is code), each entry is named
 * by a hash of its source, the Node version and the V8 flags, and one V8 refuses is rewritten.
 */
export interface CompileCache {
  /** Writes what was compiled so far (call after the first piece of work: it includes the functions that ran). */
  flush(): void;
  /** Files read from the cache and compiled afresh; null where Node keeps the cache itself. */
  stats(): { cached: number; compiled: number } | null;
}

type NodeModule = typeof Module & {
  enableCompileCache?: (dir: string) => unknown;
  prototype: { _compile(content: string, filename: string): unknown };
};

const NodeModule = Module as NodeModule;
const noCache: CompileCache = { flush: () => undefined, stats: () => null };

export function enableCompileCache(dir: string | undefined, scope: string): CompileCache {
  if (!dir) return noCache;
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch {
    return noCache;
  }
  if (typeof NodeModule.enableCompileCache === 'function') {
    NodeModule.enableCompileCache(dir);
    return noCache;
  }
  return vmCompileCache(dir, scope);
}

/** The cache through vm.Script and V8's cached data, for Node without `module.enableCompileCache`. */
export function vmCompileCache(dir: string, scope: string): CompileCache {
  /** Entries to write, and every entry this run used (the rest are from older builds). */
  const pending = new Map<string, vm.Script>();
  const used = new Set<string>();
  const counts = { cached: 0, compiled: 0 };
  const compile = NodeModule.prototype._compile;
  const flags = `${process.version}\u0000${process.arch}\u0000${process.execArgv.join(' ')}`;

  NodeModule.prototype._compile = function (this: Module, content: string, filename: string) {
    if (!filename.startsWith(scope + path.sep) || !filename.endsWith('.js')) return compile.call(this, content, filename);
    const entry = path.join(dir, `${createHash('sha256').update(flags).update('\u0000').update(content).digest('hex')}.v8`);
    used.add(path.basename(entry));
    let cachedData: Buffer | undefined;
    try {
      cachedData = fs.readFileSync(entry);
    } catch {
      // Not cached yet.
    }
    const script = new vm.Script(Module.wrap(content), { filename, cachedData });
    if (!cachedData || script.cachedDataRejected) pending.set(entry, script);
    counts[cachedData && !script.cachedDataRejected ? 'cached' : 'compiled'] += 1;
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    return wrapper.call(this.exports, this.exports, Module.createRequire(filename), this, filename, path.dirname(filename));
  };

  return {
    stats: () => ({ ...counts }),
    flush() {
      for (const [entry, script] of pending) {
        try {
          const temporary = `${entry}.${process.pid}.tmp`;
          fs.writeFileSync(temporary, script.createCachedData(), { mode: 0o600 });
          fs.renameSync(temporary, entry);
        } catch {
          // A cache that cannot be written only costs the next start its parse.
        }
      }
      if (pending.size === 0) return;
      pending.clear();
      // What an older build left: its files will never be loaded again.
      try {
        for (const name of fs.readdirSync(dir))
          if (name.endsWith('.v8') && !used.has(name)) fs.rmSync(path.join(dir, name), { force: true });
      } catch {
        // Left for the next time.
      }
    },
  };
}
