// The files electron-builder.yml names, for its test (scripts/package-config.test.ts) and for the
// beforePack hook (scripts/before-pack.mjs): electron-builder only warns when an extraResources
// source is missing and packs without it, so a package could ship without akr or its database
// driver. Plain Node: electron-builder loads the hook itself.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

export const CONFIG_FILE = 'electron-builder.yml';

/** Keys whose string value is a file or folder of the project. */
const PATH_KEYS = new Set([
  'icon',
  'installerIcon',
  'uninstallerIcon',
  'installerHeaderIcon',
  'installerSidebar',
  'uninstallerSidebar',
  'afterInstall',
  'afterRemove',
  'appArmorProfile',
  'license',
  'entitlements',
  'entitlementsInherit',
  'background',
  'buildResources',
  'include',
  'script',
  // Hooks named by file.
  'beforePack',
  'afterPack',
  'afterSign',
  'afterExtract',
  'beforeBuild',
  'afterAllArtifactBuild',
  'artifactBuildStarted',
  'artifactBuildCompleted',
]);
/** Keys holding file sets: glob strings (the part before the first wildcard must exist) or { from }. */
const FILE_SET_KEYS = new Set(['files', 'extraResources', 'extraFiles']);
/** Not paths of the project: package.json additions, and what electron-builder creates. */
const SKIPPED_KEYS = new Set(['extraMetadata', 'output', 'artifactName']);

/** Where a path named in the configuration comes from: the checkout, or a build step. */
function kindOf(file) {
  const [first] = file.split('/');
  return first === 'out' || first === '.cache' ? 'build' : 'source';
}

/** The part of a glob pattern before its first wildcard, without a trailing slash. */
function staticPrefix(pattern) {
  const wildcard = pattern.search(/[*?[{]/);
  const prefix = wildcard < 0 ? pattern : pattern.slice(0, wildcard);
  return prefix.replace(/\/+$/, '') || '.';
}

/**
 * Every file or folder the configuration names, with where it is named (`linux.icon`,
 * `extraResources[1].from`) and its kind: "source" (in the checkout) or "build" (made by
 * `npm run build` into out/, or by `npm run package` into .cache/).
 */
export function namedPaths(config) {
  const found = [];
  const add = (where, file) => found.push({ where, path: file, kind: kindOf(file) });
  const walk = (value, where) => {
    if (Array.isArray(value)) return value.forEach((item, index) => walk(item, `${where}[${index}]`));
    if (value === null || typeof value !== 'object') return;
    for (const [key, child] of Object.entries(value)) {
      const at = where ? `${where}.${key}` : key;
      if (SKIPPED_KEYS.has(key)) continue;
      if (FILE_SET_KEYS.has(key)) {
        for (const [index, entry] of [child].flat().entries()) {
          if (typeof entry === 'string') {
            if (!entry.startsWith('!')) add(`${at}[${index}]`, staticPrefix(entry));
          } else if (entry && typeof entry.from === 'string') add(`${at}[${index}].from`, staticPrefix(entry.from));
        }
      } else if (PATH_KEYS.has(key) && typeof child === 'string') add(at, child.replace(/^\.\//, ''));
      else walk(child, at);
    }
  };
  walk(config, '');
  return found;
}

/** The named paths that do not exist under root. */
export function missingPaths(root, paths) {
  return paths.filter((entry) => !fs.existsSync(path.resolve(root, entry.path)));
}

/** electron-builder.yml, read with electron-builder's own YAML reader (js-yaml). */
export function loadPackageConfig(root) {
  const require = createRequire(path.join(root, 'node_modules', 'app-builder-lib', 'package.json'));
  const yaml = require('js-yaml');
  return yaml.load(fs.readFileSync(path.join(root, CONFIG_FILE), 'utf8'));
}
