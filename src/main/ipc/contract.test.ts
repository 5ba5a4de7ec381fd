import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createKeyringApi } from '../../shared/api';
import { channelNames, channels, eventNames, events } from '../../shared/contract';
import { createHandlers } from './handlers';

const repoRoot = path.resolve(__dirname, '../../..');

describe('IPC contract coverage', () => {
  it('names exactly the channels and events that have schemas', () => {
    expect([...channelNames].sort()).toEqual(Object.keys(channels).sort());
    expect([...eventNames].sort()).toEqual(Object.keys(events).sort());
  });

  it('has a main handler for every channel and nothing else', () => {
    const unused = new Proxy({}, { get: () => () => undefined });
    const handlers = createHandlers({ appInfo: () => unused as never, workspaces: unused as never, sync: unused as never, inventory: unused as never, authConnections: unused as never });
    expect(Object.keys(handlers).sort()).toEqual([...channelNames].sort());
  });

  it('has a preload method for every channel, calling that channel', async () => {
    const calls: string[] = [];
    const api = createKeyringApi(
      async (channel) => {
        calls.push(channel);
        return { ok: true, data: null };
      },
      () => () => undefined,
    ) as unknown as Record<string, Record<string, (r: unknown) => Promise<unknown>>>;
    for (const channel of channelNames) {
      const [namespace, method] = channel.split(':') as [string, string];
      expect(typeof api[namespace]?.[method], channel).toBe('function');
      await api[namespace]![method]!({});
    }
    expect(calls).toEqual([...channelNames]);
  });

  it('the preload exposes the contract-built object and nothing else', () => {
    const preload = fs.readFileSync(path.join(repoRoot, 'src/preload/index.ts'), 'utf8');
    expect(preload).toMatch(/createKeyringApi\(/);
    expect(preload.match(/exposeInMainWorld\(/g)).toHaveLength(1);
  });
});

describe('process boundaries', () => {
  const sourceFiles = (dir: string) =>
    fs
      .readdirSync(path.join(repoRoot, dir), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && /\.tsx?$/.test(e.name))
      .map((e) => path.relative(repoRoot, path.join(e.parentPath, e.name)));
  const importsOf = (file: string) =>
    [...fs.readFileSync(path.join(repoRoot, file), 'utf8').matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1]!);

  it('no file of the domain imports electron (only src/main/index.ts and src/main/electron/ may)', () => {
    const domainFiles = sourceFiles('src/main').filter((f) => !f.startsWith('src/main/electron/') && f !== 'src/main/index.ts');
    expect(domainFiles.length).toBeGreaterThan(20);
    const offenders = domainFiles.filter((f) => importsOf(f).some((i) => i === 'electron' || i.startsWith('electron/')));
    expect(offenders).toEqual([]);
  });

  it('the renderer imports no node built-ins, electron, or main-process code', () => {
    const offenders = sourceFiles('src/renderer').filter((f) =>
      importsOf(f).some((i) => i === 'electron' || i.startsWith('node:') || /(^|\/)(main|preload|preview)\//.test(i) || ['keytar', 'better-sqlite3', 'fs', 'path'].includes(i)),
    );
    expect(offenders).toEqual([]);
  });

  it('the preload imports only electron and the zod-free parts of the contract', () => {
    expect(importsOf('src/preload/index.ts').sort()).toEqual(['../shared/api', '../shared/channel-names', 'electron']);
    for (const shared of ['src/shared/api.ts', 'src/shared/channel-names.ts']) {
      expect(importsOf(shared).filter((i) => !i.startsWith('./'))).toEqual([]);
    }
  });
});
