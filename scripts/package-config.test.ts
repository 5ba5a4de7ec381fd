import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { builtinModules, createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { PACKAGED_RESOURCES } from '../src/main/electron/packaged-resources';
import beforePack from './before-pack.mjs';
import { packagedNativeTarget, packagedSqliteBinding } from './electron-native-paths.mjs';
import { esmOnlyDependencies, isEsmOnly } from './esm-only-deps';
import { loadPackageConfig, missingPaths, namedPaths } from './package-config.mjs';

// electron-builder.yml (npm run package), checked the way electron-builder reads it, and what a
// packaged app needs from the build: no package is built here (that needs Electron's download).

const root = path.resolve(__dirname, '..');
const builderRequire = createRequire(path.join(root, 'node_modules', 'app-builder-lib', 'package.json'));
const config = loadPackageConfig(root);

interface Ajv {
  compile(schema: object): ((data: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] | null };
}
/** electron-builder's own schema, compiled by its own validator (ajv) with its options but no type coercion. */
function builderSchema() {
  const AjvClass = builderRequire('ajv') as { default: new (options: object) => Ajv };
  const ajv = new AjvClass.default({ allErrors: true, strict: false });
  return ajv.compile(builderRequire('./scheme.json') as object);
}
const errorsOf = (validate: ReturnType<typeof builderSchema>, data: unknown) =>
  validate(data) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message ?? ''}`);

describe('electron-builder.yml', () => {
  it("is valid by electron-builder's own schema, which refuses a misspelt option", () => {
    const validate = builderSchema();
    expect(errorsOf(validate, config)).toEqual([]);
    const linux = config['linux'] as Record<string, unknown>;
    expect(errorsOf(validate, { ...config, linux: { ...linux, exectableName: 'agent-keyring' } })).not.toEqual([]);
    expect(errorsOf(validate, { ...config, npmRebuild: 'no' })).not.toEqual([]);
  });

  it('makes an AppImage and a deb on Linux, a dmg on macOS and an NSIS installer on Windows, under one app id', () => {
    expect(config).toMatchObject({
      appId: expect.stringMatching(/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/),
      productName: 'Agent Keyring',
      linux: { target: ['AppImage', 'deb'] },
      mac: { target: ['dmg'] },
      win: { target: ['nsis'] },
    });
  });

  it('names only files that are in the checkout, apart from build outputs in out/ and .cache/', () => {
    const named = namedPaths(config);
    // The icons, the deb scripts, akr's launchers and the hook are all named.
    expect(named.map((entry) => entry.path)).toEqual(
      expect.arrayContaining([
        'resources/icons',
        'resources/icon.icns',
        'resources/icon.ico',
        'resources/linux/after-install.tpl',
        'resources/linux/after-remove.tpl',
        'resources/cli',
        'scripts/before-pack.mjs',
      ]),
    );
    expect(
      missingPaths(
        root,
        named.filter((entry) => entry.kind === 'source'),
      ),
    ).toEqual([]);
  });

  it('refuses, through its beforePack check, a configuration naming a file that does not exist', () => {
    const extraResources = config['extraResources'] as unknown[];
    const broken = { ...config, extraResources: [...extraResources, { from: 'resources/no-such-file', to: 'x' }] };
    const missing = missingPaths(root, namedPaths(broken)).filter((entry) => entry.kind === 'source');
    expect(missing).toEqual([{ where: `extraResources[${extraResources.length}].from`, path: 'resources/no-such-file', kind: 'source' }]);
  });

  it('ships every file the packaged main process looks for under its resources path', () => {
    const shipped = (config['extraResources'] as { from: string; to: string }[]).map((entry) => entry.to);
    for (const file of Object.values(PACKAGED_RESOURCES)) expect(shipped).toContain(file);
    // The Electron build of better-sqlite3 comes from where `electron-native.mjs --package` puts it.
    const sqlite = (config['extraResources'] as { from: string; to: string }[]).find(
      (entry) => entry.to === PACKAGED_RESOURCES.sqliteBinding,
    );
    expect(path.resolve(root, sqlite!.from)).toBe(packagedSqliteBinding(root));
    expect(JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).scripts.package).toMatch(
      /^npm run build && node scripts\/electron-native\.mjs --package && electron-builder$/,
    );
  });

  it("unpacks native modules from app.asar (keytar's is Node-API, so its one build loads in Electron)", () => {
    const { minimatch } = builderRequire('minimatch') as { minimatch: (file: string, pattern: string, options: object) => boolean };
    const unpacked = (file: string) => (config['asarUnpack'] as string[]).some((pattern) => minimatch(file, pattern, { dot: true }));
    expect(unpacked('node_modules/keytar/build/Release/keytar.node')).toBe(true);
    expect(unpacked('out/main/index.js')).toBe(false);
    expect(JSON.parse(fs.readFileSync(path.join(root, 'node_modules', 'keytar', 'package.json'), 'utf8')).binary).toEqual({
      napi_versions: [3],
    });
  });

  it("installs the deb with electron-builder's own scripts plus akr's link on the PATH", () => {
    for (const name of ['after-install.tpl', 'after-remove.tpl']) {
      const ours = fs.readFileSync(path.join(root, 'resources', 'linux', name), 'utf8');
      const theirs = fs.readFileSync(builderRequire.resolve(`./templates/linux/${name}`), 'utf8');
      // When electron-builder changes its scripts, copy them again and keep akr's lines at the end.
      expect(ours.startsWith(theirs.trimEnd())).toBe(true);
    }
    const install = fs.readFileSync(path.join(root, 'resources', 'linux', 'after-install.tpl'), 'utf8');
    expect(install).toContain("ln -sf '/opt/${sanitizedProductName}/resources/cli/akr' '/usr/bin/akr'");
    const remove = fs.readFileSync(path.join(root, 'resources', 'linux', 'after-remove.tpl'), 'utf8');
    expect(remove).toContain("rm -f '/usr/bin/akr'");
  });
});

describe('the beforePack hook', () => {
  /** A project with a built native driver for linux-x64 and the files given. */
  function project(files: string[]) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'before-pack-'));
    for (const file of [...files, path.relative(dir, packagedSqliteBinding(dir))]) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), '');
    }
    fs.writeFileSync(packagedNativeTarget(dir), JSON.stringify({ platform: 'linux', arch: 'x64', electron: '40.8.5' }));
    return dir;
  }
  const projectConfig = {
    extraResources: [
      { from: '.cache/package/native/better_sqlite3.node', to: 'native/better_sqlite3.node' },
      { from: 'out/cli/akr.js', to: 'cli/akr.js' },
    ],
    linux: { icon: 'resources/icons' },
  };
  const x64 = 1;
  const arm64 = 3;

  it('packs when every named file is there and the native driver is for the target', async () => {
    const dir = project(['out/cli/akr.js', 'resources/icons/16x16.png']);
    const packed = beforePack({ packager: { projectDir: dir, config: projectConfig }, electronPlatformName: 'linux', arch: x64 });
    await expect(packed).resolves.toBeUndefined();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses to pack without a named file (electron-builder would pack without it), naming it and what makes it', async () => {
    const dir = project(['resources/icons/16x16.png']);
    const packed = beforePack({ packager: { projectDir: dir, config: projectConfig }, electronPlatformName: 'linux', arch: x64 });
    await expect(packed).rejects.toThrow(
      'files named in electron-builder.yml are missing:\n  out/cli/akr.js (extraResources[1].from)\nRun "npm run package", which builds them first',
    );
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses to pack a database driver built for another arch', async () => {
    const dir = project(['out/cli/akr.js', 'resources/icons/16x16.png']);
    const packed = beforePack({ packager: { projectDir: dir, config: projectConfig }, electronPlatformName: 'linux', arch: arm64 });
    await expect(packed).rejects.toThrow(
      'cannot be packaged for linux-arm64: its database driver (better-sqlite3) was built for linux-x64',
    );
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('the built app, as electron-builder packs it', () => {
  const out = path.join(root, 'out');
  const builtOutputs = namedPaths(config).filter((entry) => entry.kind === 'build' && entry.path.split('/')[0] === 'out');
  beforeAll(() => {
    // `npm test` builds before the unit tests; a run of this file alone builds (`npm run build`,
    // what `npm run package` runs first) when an output is missing.
    if (missingPaths(root, builtOutputs).length > 0 || !fs.existsSync(path.join(out, 'main', 'index.js'))) {
      execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
    }
  }, 240_000);

  it('has every build output electron-builder.yml names (out/ after npm run build, akr included)', () => {
    expect(builtOutputs.map((entry) => entry.path)).toEqual(expect.arrayContaining(['out', 'out/cli/akr.js', 'out/cli/akr-main.js']));
    expect(missingPaths(root, builtOutputs)).toEqual([]);
  });

  it('bundles ESM-only dependencies into the main process, and requires the native ones from node_modules', () => {
    expect(esmOnlyDependencies(root)).toEqual(expect.arrayContaining(['age-encryption', 'jose', 'oauth4webapi']));
    const code = fs
      .readdirSync(path.join(out, 'main'), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.js'))
      .map((file) => fs.readFileSync(path.join(out, 'main', file), 'utf8'))
      .join('\n');
    const loads = (name: string) =>
      new RegExp(`(?:require|import)\\(\\s*["'\`]${name}(?:/[^"'\`]*)?["'\`]\\s*\\)|from\\s*["']${name}(?:/[^"']*)?["']`).test(code);
    for (const name of esmOnlyDependencies(root)) expect({ name, loaded: loads(name) }).toEqual({ name, loaded: false });
    // What the ESM-only packages do is in the bundle itself (oauth4webapi's and jose's errors).
    expect(code).toContain('OperationProcessingError');
    expect(code).toContain('JWSSignatureVerificationFailed');
    expect(loads('keytar')).toBe(true);
    expect(loads('better-sqlite3')).toBe(true);
  });

  it('ships from node_modules exactly the dependencies the built main process loads, not bundled copies', () => {
    const code = fs
      .readdirSync(path.join(out, 'main'), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.js'))
      .map((file) => fs.readFileSync(path.join(out, 'main', file), 'utf8'))
      .join('\n');
    const builtins = new Set(builtinModules);
    const loaded = new Set(
      [...code.matchAll(/(?:require|import)\(\s*"([^".][^"]*)"\s*\)/g)]
        .map(([, specifier]) =>
          specifier!
            .split('/')
            .slice(0, specifier!.startsWith('@') ? 2 : 1)
            .join('/'),
        )
        .filter((name) => name !== 'electron' && !name.startsWith('node:') && !builtins.has(name)),
    );
    const { minimatch } = builderRequire('minimatch') as { minimatch: (file: string, pattern: string, options: object) => boolean };
    const excluded = (config['files'] as string[])
      .filter((pattern) => pattern.startsWith('!node_modules/'))
      .map((pattern) => pattern.slice(1));
    const shipped = (name: string) => !excluded.some((pattern) => minimatch(`node_modules/${name}/package.json`, pattern, { dot: true }));
    const dependencies = Object.keys(JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).dependencies);
    expect([...loaded].sort()).toEqual(expect.arrayContaining(['better-sqlite3', 'keytar']));
    // Everything main loads is a dependency electron-builder ships...
    expect([...loaded].filter((name) => !dependencies.includes(name) || !shipped(name))).toEqual([]);
    // ...and every dependency it does not load is left out (add it to the exclusions in electron-builder.yml).
    expect(dependencies.filter((name) => !loaded.has(name) && shipped(name))).toEqual([]);
  });

  it('tells ESM-only packages from those require() can load', () => {
    const pkg = (name: string) => JSON.parse(fs.readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8'));
    expect(['oauth4webapi', 'jose', 'age-encryption'].map((name) => isEsmOnly(pkg(name)))).toEqual([true, true, true]);
    // "type": "module" with a "require" condition (zod, csv-stringify), or CommonJS (ws, keytar).
    expect(['zod', 'csv-stringify', 'ws', 'keytar', 'better-sqlite3'].map((name) => isEsmOnly(pkg(name)))).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});

describe.runIf(process.platform !== 'win32')('the akr launcher shipped in resources/cli', () => {
  /** An installed app's layout (/opt/Agent Keyring on Linux) whose "Electron" reports how it was run. */
  function installed(withApp: boolean) {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'akr-launcher-'));
    const appDir = path.join(base, 'opt', 'Agent Keyring');
    fs.mkdirSync(path.join(appDir, 'resources', 'cli'), { recursive: true });
    fs.copyFileSync(path.join(root, 'resources', 'cli', 'akr'), path.join(appDir, 'resources', 'cli', 'akr'));
    fs.chmodSync(path.join(appDir, 'resources', 'cli', 'akr'), 0o755);
    // resources/cli/ sits in the folder that holds the program (Linux), or beside MacOS/ (macOS).
    const program = path.join(appDir, ...(process.platform === 'darwin' ? ['MacOS', 'Agent Keyring'] : ['agent-keyring']));
    if (withApp) {
      fs.mkdirSync(path.dirname(program), { recursive: true });
      fs.writeFileSync(program, '#!/bin/sh\nprintf "%s\\n" "RUN_AS_NODE=$ELECTRON_RUN_AS_NODE" "$@"\nexit 3\n', { mode: 0o755 });
    }
    // The deb's /usr/bin/akr: a link to the launcher.
    fs.mkdirSync(path.join(base, 'usr', 'bin'), { recursive: true });
    fs.symlinkSync(path.join(appDir, 'resources', 'cli', 'akr'), path.join(base, 'usr', 'bin', 'akr'));
    return { base, appDir, link: path.join(base, 'usr', 'bin', 'akr') };
  }

  it.runIf(process.platform === 'linux')(
    "runs akr.js with the app's Electron as Node, through the PATH link, passing arguments and the exit code",
    () => {
      const { base, appDir, link } = installed(true);
      const script = path.join(fs.realpathSync(appDir), 'resources', 'cli', 'akr.js');
      const result = spawnSync(link, ['run', '-w', 'Staging', '--', 'echo', 'a b'], { encoding: 'utf8' });
      fs.rmSync(base, { recursive: true, force: true });
      expect(result.status).toBe(3);
      expect(result.stdout.split('\n')).toEqual(['RUN_AS_NODE=1', script, 'run', '-w', 'Staging', '--', 'echo', 'a b', '']);
    },
  );

  it('says what is wrong when the app it belongs to is gone', () => {
    const { base, link } = installed(false);
    const result = spawnSync(link, ['workspaces'], { encoding: 'utf8' });
    fs.rmSync(base, { recursive: true, force: true });
    expect(result.status).toBe(127);
    expect(result.stderr).toMatch(/^akr: Agent Keyring's program is not at .*\. Install Agent Keyring again\.\n$/);
  });
});
