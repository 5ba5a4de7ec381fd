// Build-time: makes the SDK's barrel modules lazy, so the API host loads only the parts of the
// SDK it uses. See lazyBarrel below.
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Plugin } from 'vite';

const ES_MODULE_MARK = 'Object.defineProperty(exports, "__esModule", { value: true });';
const STAR = /^__exportStar\(require\("([^"]+)"\), exports\);$/;
const NAMESPACE = /^exports\.([A-Za-z_$][\w$]*) = __importStar\(require\("([^"]+)"\)\);$/;
const DECLARATION = /^exports\.[A-Za-z_$][\w$]* = (?:exports\.[A-Za-z_$][\w$]* = )*void 0;$/;

/**
 * Rewrites a TypeScript-compiled CommonJS barrel (a module that only re-exports others:
 * `export * from "./x"` and `export * as y from "./y"`) so each name requires its module on
 * first use instead of all of them at load. Same names, same values, same precedence (a
 * namespace export beats a star export, the first star export beats later ones); the getters
 * stay live, as tsc's own bindings are. `namesOf(specifier)` lists what a star-exported module
 * exports. Returns null for anything that is not a pure barrel, which is left as it is.
 */
export function lazyBarrel(code: string, namesOf: (specifier: string) => string[]): string | null {
  const mark = code.indexOf(ES_MODULE_MARK);
  if (mark < 0) return null;
  const statements = code
    .slice(mark + ES_MODULE_MARK.length)
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('//'));
  const stars: string[] = [];
  const namespaces: { name: string; specifier: string }[] = [];
  for (const statement of statements) {
    const star = STAR.exec(statement);
    const namespace = NAMESPACE.exec(statement);
    if (star) stars.push(star[1]!);
    else if (namespace) namespaces.push({ name: namespace[1]!, specifier: namespace[2]! });
    else if (!DECLARATION.test(statement)) return null;
  }
  if (stars.length === 0 && namespaces.length === 0) return null;
  const taken = new Set(namespaces.map(({ name }) => name));
  const lines = namespaces.map(
    ({ name, specifier }) => `__lazy(${JSON.stringify(name)}, () => __importStar(require(${JSON.stringify(specifier)})));`,
  );
  for (const specifier of stars) {
    for (const name of namesOf(specifier)) {
      if (name === 'default' || name === '__esModule' || taken.has(name)) continue;
      taken.add(name);
      lines.push(`__lazy(${JSON.stringify(name)}, () => require(${JSON.stringify(specifier)})[${JSON.stringify(name)}]);`);
    }
  }
  return [
    code.slice(0, mark + ES_MODULE_MARK.length),
    '// Made lazy at build time (scripts/lazy-sdk-barrels.ts): each name loads its module on first use.',
    'function __lazy(name, get) { Object.defineProperty(exports, name, { enumerable: true, configurable: true, get }); }',
    ...lines,
    '',
  ].join('\n');
}

const SDK_DIR = `${path.sep}node_modules${path.sep}@elevenlabs${path.sep}elevenlabs-js${path.sep}`;

/**
 * The Vite plugin: every pure barrel of the ElevenLabs SDK becomes lazy in the bundle. The names
 * a star export brings are read from the real module, loaded here in the build process.
 */
export function lazySdkBarrels(): Plugin {
  return {
    name: 'agent-keyring-lazy-sdk-barrels',
    apply: 'build',
    transform(code, id) {
      if (!id.includes(SDK_DIR) || !id.endsWith('.js')) return null;
      const require = createRequire(id);
      // The whole SDK first, in its own order: some of its modules require each other in a
      // cycle that only its entry point enters the right way round.
      require('@elevenlabs/elevenlabs-js');
      const rewritten = lazyBarrel(code, (specifier) => Object.keys(require(specifier) as object));
      return rewritten === null ? null : { code: rewritten, map: null };
    },
  };
}
