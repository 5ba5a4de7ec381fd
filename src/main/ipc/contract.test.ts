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
    const handlers = createHandlers(new Proxy({}, { get: () => unused }) as never);
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

// The process boundaries (no Electron in the domain, no Node in the renderer, a zod-free preload)
// are lint rules: eslint.config.mjs, proved by test/lint.test.ts.
