// Types of scripts/electron-native-paths.mjs (a plain Node script, run before Electron starts).
export function projectRoot(moduleUrl: string, platform?: NodeJS.Platform): string;
export function isCopiedForBuild(packageRoot: string, file: string, platform?: NodeJS.Platform): boolean;
export function copyPackageForBuild(source: string, work: string): void;
export function packagedSqliteBinding(root: string): string;
export function packagedNativeTarget(root: string): string;
