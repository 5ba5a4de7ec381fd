import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The process boundaries are lint rules (eslint.config.mjs). Each planted violation below must
// be reported, and each allowed import must not: this is what keeps them from rotting.

const eslint = new ESLint({ cwd: path.resolve(__dirname, '..') });

async function problems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

const boundary = (found: string[]) => found.filter((m) => m.startsWith('no-restricted-imports') || m.startsWith('no-restricted-syntax'));

describe('import boundaries (planted violations)', () => {
  it.each([
    ['the domain importing electron', 'src/main/inventory/planted.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    ['the renderer importing a Node built-in', 'src/renderer/src/planted.ts', "import fs from 'node:fs';\nexport const x = fs;\n"],
    ['the renderer importing keytar', 'src/renderer/src/planted.ts', "import keytar from 'keytar';\nexport const x = keytar;\n"],
    [
      'the renderer importing main-process code',
      'src/renderer/src/planted.ts',
      "import { createDomain } from '../../main/app/composition';\nexport const x = createDomain;\n",
    ],
    ['the preload importing zod', 'src/preload/planted.ts', "import { z } from 'zod';\nexport const x = z;\n"],
    [
      'the preload importing the zod contract',
      'src/preload/planted.ts',
      "import { channels } from '../shared/contract';\nexport const x = channels;\n",
    ],
    ['the shared contract importing Node', 'src/shared/planted.ts', "import path from 'node:path';\nexport const x = path;\n"],
    [
      'the emulator importing the app',
      'src/emulator/planted.ts',
      "import { createDomain } from '../main/app/composition';\nexport const x = createDomain;\n",
    ],
    ['akr importing keytar', 'src/cli/planted.ts', "import keytar from 'keytar';\nexport const x = keytar;\n"],
    [
      'akr importing the domain',
      'src/cli/planted.ts',
      "import { LocalSecretRepository } from '../main/local-secrets/local-secret-repository';\nexport const x = LocalSecretRepository;\n",
    ],
    [
      'the domain sending to the window directly',
      'src/main/inventory/planted.ts',
      'export function push(window: { webContents: { send(c: string): void } }) {\n  window.webContents.send("x");\n}\n',
    ],
  ])('reports %s', async (_what, filePath, code) => {
    expect(boundary(await problems(filePath, code))).toHaveLength(1);
  });

  it.each([
    ['the glue importing electron', 'src/main/electron/planted.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    [
      'the renderer importing the contract',
      'src/renderer/src/planted.ts',
      "import { channels } from '../../shared/contract';\nexport const x = channels;\n",
    ],
    [
      'the preload importing the zod-free api',
      'src/preload/planted.ts',
      "import { createKeyringApi } from '../shared/api';\nexport const x = createKeyringApi;\n",
    ],
    [
      'akr importing the broker wire code',
      'src/cli/planted.ts',
      "import { encodeFrame } from '../main/broker/frames';\nexport const x = encodeFrame;\n",
    ],
    ['the domain importing Node', 'src/main/inventory/planted.ts', "import fs from 'node:fs';\nexport const x = fs;\n"],
  ])('allows %s', async (_what, filePath, code) => {
    expect(boundary(await problems(filePath, code))).toEqual([]);
  });
});
