// Build-time: which runtime dependencies are ESM-only, so the main process bundles them
// (electron.vite.config.ts) instead of require()-ing them from node_modules inside app.asar.
import fs from 'node:fs';
import path from 'node:path';

type Exports = string | null | Exports[] | { [condition: string]: Exports };

/** Whether an exports map offers a CommonJS entry anywhere (a "require" condition). */
function hasRequireCondition(exports: Exports): boolean {
  if (exports === null || typeof exports === 'string') return false;
  if (Array.isArray(exports)) return exports.some(hasRequireCondition);
  return Object.entries(exports).some(([key, value]) => key === 'require' || hasRequireCondition(value));
}

interface PackageJson {
  type?: string;
  main?: string;
  exports?: Exports;
  dependencies?: Record<string, string>;
}

/**
 * A package is ESM-only when require() could only reach ES modules: "type": "module" with no
 * "require" condition in its exports, or an .mjs main without one.
 */
export function isEsmOnly(pkg: PackageJson): boolean {
  if (pkg.exports !== undefined && hasRequireCondition(pkg.exports)) return false;
  if (pkg.main?.endsWith('.cjs')) return false;
  return pkg.type === 'module' || Boolean(pkg.main?.endsWith('.mjs'));
}

const readJson = (file: string): PackageJson => JSON.parse(fs.readFileSync(file, 'utf8')) as PackageJson;

/** The runtime dependencies (package.json "dependencies") of the project at root that are ESM-only. */
export function esmOnlyDependencies(root: string): string[] {
  const dependencies = Object.keys(readJson(path.join(root, 'package.json')).dependencies ?? {});
  return dependencies.filter((name) => isEsmOnly(readJson(path.join(root, 'node_modules', name, 'package.json')))).sort();
}
