// Types of scripts/package-config.mjs (plain Node, loaded by electron-builder as a hook's helper).
export interface NamedPath {
  /** Where the configuration names it, e.g. "linux.icon" or "extraResources[1].from". */
  where: string;
  path: string;
  kind: 'source' | 'build';
}
export const CONFIG_FILE: string;
export function namedPaths(config: unknown): NamedPath[];
export function missingPaths(root: string, paths: NamedPath[]): NamedPath[];
export function loadPackageConfig(root: string): Record<string, unknown>;
