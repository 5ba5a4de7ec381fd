import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { copyPackageForBuild, isCopiedForBuild, projectRoot } from './electron-native-paths.mjs';

const run = promisify(execFile);

describe('npm start without Electron', () => {
  it('says how to install Electron and how to try the app in the browser instead', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'no-electron-'));
    const failed = await run(process.execPath, [path.join(__dirname, 'electron-native.mjs')], {
      env: { ...process.env, AGENT_KEYRING_ELECTRON_DIR: empty },
    }).catch((error: { code: number; stderr: string }) => error);
    fs.rmSync(empty, { recursive: true, force: true });
    expect(failed).toMatchObject({ code: 1 });
    const { stderr } = failed as { stderr: string };
    expect(stderr).toContain("Electron's binary is not installed");
    expect(stderr).toContain('node node_modules/electron/install.js');
    expect(stderr).toContain('npm run preview -- --port 5180 --data-dir');
  });
});

describe('the project folder and the copy for the Electron build', () => {
  it('finds the project folder of a checkout whose path has spaces, on Windows too', () => {
    expect(projectRoot('file:///home/ada/my%20projects/agent-keyring/scripts/electron-native.mjs', 'linux')).toBe(
      '/home/ada/my projects/agent-keyring',
    );
    expect(projectRoot('file:///C:/Users/Ada%20L/agent-keyring/scripts/electron-native.mjs', 'win32')).toBe(
      'C:\\Users\\Ada L\\agent-keyring',
    );
  });

  it("leaves out only the package's own build folder, wherever the checkout is", () => {
    const pkg = '/home/ada/build/agent-keyring/node_modules/better-sqlite3';
    expect(isCopiedForBuild(pkg, pkg, 'linux')).toBe(true);
    expect(isCopiedForBuild(pkg, `${pkg}/src/better_sqlite3.cpp`, 'linux')).toBe(true);
    expect(isCopiedForBuild(pkg, `${pkg}/build`, 'linux')).toBe(false);
    expect(isCopiedForBuild(pkg, `${pkg}/build/Release/better_sqlite3.node`, 'linux')).toBe(false);
    const winPkg = 'D:\\build\\agent-keyring\\node_modules\\better-sqlite3';
    expect(isCopiedForBuild(winPkg, `${winPkg}\\deps\\sqlite3\\sqlite3.c`, 'win32')).toBe(true);
    expect(isCopiedForBuild(winPkg, `${winPkg}\\build\\Release`, 'win32')).toBe(false);
  });

  it('copies the package source from a checkout under "x y/build", without its Node build', () => {
    const checkout = path.join(tempDir(), 'x y', 'build', 'agent-keyring');
    const source = path.join(checkout, 'node_modules', 'better-sqlite3');
    write(path.join(source, 'package.json'), '{"name":"better-sqlite3"}');
    write(path.join(source, 'src', 'better_sqlite3.cpp'), '// source');
    write(path.join(source, 'build', 'Release', 'better_sqlite3.node'), 'the Node build');
    const work = path.join(checkout, '.cache', 'electron-native', 'build-40');
    write(path.join(work, 'left-over'), 'from an earlier run');

    copyPackageForBuild(source, work);

    expect(listFiles(work)).toEqual(['package.json', path.join('src', 'better_sqlite3.cpp')]);
  });

  it('builds into the checkout it runs from, whose path has a space and a "build" folder', async () => {
    // A checkout with stand-ins for Electron (its version and installed binary) and for the
    // prebuilt-binary download, which needs the network: it "builds" in the folder it is run in.
    const checkout = path.join(tempDir(), 'x y', 'build', 'agent-keyring');
    for (const script of ['electron-native.mjs', 'electron-native-paths.mjs'])
      fs.cpSync(path.join(__dirname, script), path.join(checkout, 'scripts', script));
    const modules = path.join(checkout, 'node_modules');
    write(path.join(modules, 'electron', 'package.json'), '{"name":"electron","version":"40.0.0"}');
    write(path.join(modules, 'electron', 'path.txt'), 'electron');
    write(path.join(modules, 'better-sqlite3', 'package.json'), '{"name":"better-sqlite3","version":"12.0.0"}');
    write(path.join(modules, 'better-sqlite3', 'binding.gyp'), '{}');
    write(path.join(modules, 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'), 'the Node build');
    write(
      path.join(modules, 'prebuild-install', 'bin.js'),
      [
        "const fs = require('node:fs');",
        "if (!fs.existsSync('binding.gyp') || fs.existsSync('build')) process.exit(1);",
        "fs.mkdirSync('build/Release', { recursive: true });",
        "fs.writeFileSync('build/Release/better_sqlite3.node', 'built for ' + process.argv.slice(2, 4).join(' '));",
      ].join('\n'),
    );
    const env = { ...process.env };
    delete env['AGENT_KEYRING_ELECTRON_DIR'];

    const result = await run(process.execPath, [path.join(checkout, 'scripts', 'electron-native.mjs')], { env }).catch(
      (error: { stdout: string; stderr: string }) => error,
    );

    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('better-sqlite3 for Electron is at .cache/electron-native/40.0.0/better_sqlite3.node');
    const built = path.join(checkout, '.cache', 'electron-native', '40.0.0', 'better_sqlite3.node');
    expect(fs.readFileSync(built, 'utf8')).toBe('built for --runtime=electron --target=40.0.0');
    expect(fs.existsSync(path.join(checkout, '.cache', 'electron-native', 'build-40.0.0'))).toBe(false);
  });
});

const temps: string[] = [];
afterEach(() => temps.splice(0).forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'electron-native-'));
  temps.push(dir);
  return dir;
}

function write(file: string, content: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

function listFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}
