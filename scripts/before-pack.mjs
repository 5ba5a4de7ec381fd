// electron-builder's beforePack hook (electron-builder.yml): refuses to pack what would not run.
// electron-builder itself only warns when a file it should copy is missing.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { packagedNativeTarget } from './electron-native-paths.mjs';
import { missingPaths, namedPaths } from './package-config.mjs';

const { Arch } = createRequire(import.meta.url)('electron-builder');

export default async function beforePack(context) {
  const { packager, electronPlatformName } = context;
  const root = packager.projectDir;

  const missing = missingPaths(root, namedPaths(packager.config));
  if (missing.length > 0) {
    throw new Error(
      [
        'Agent Keyring cannot be packaged: files named in electron-builder.yml are missing:',
        ...missing.map((entry) => `  ${entry.path} (${entry.where})`),
        'Run "npm run package", which builds them first (npm run build, then scripts/electron-native.mjs --package).',
      ].join('\n'),
    );
  }

  // better-sqlite3 is built for this machine only (npmRebuild is off, see electron-builder.yml).
  const built = JSON.parse(fs.readFileSync(packagedNativeTarget(root), 'utf8'));
  const arch = Arch[context.arch];
  if (built.platform !== electronPlatformName || built.arch !== arch) {
    throw new Error(
      [
        `Agent Keyring cannot be packaged for ${electronPlatformName}-${arch}: its database driver (better-sqlite3) was built for ${built.platform}-${built.arch}.`,
        `Package on a ${electronPlatformName} ${arch} computer, with "npm run package" there.`,
      ].join('\n'),
    );
  }
}
