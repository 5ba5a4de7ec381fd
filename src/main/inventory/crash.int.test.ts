import { spawn } from 'node:child_process';
import path from 'node:path';
import { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { clearKeychainService, removeTempDirs, tempDir, testKeychainService } from '../../../test/support/harness';

// Kills a syncing process (SIGKILL: no cleanup of any kind) at different moments, including
// inside the write transaction, and checks the database each time: it passes integrity_check
// and holds either the whole previous inventory or the whole new one, never a mix.

const child = path.join(__dirname, '../../../test/support/sync-child.ts');
const apiKey = 'sk_crash_test_000001';
const keychainService = testKeychainService();
const dataDir = tempDir();
let emulator: RunningEmulator;

function runChild(args: string[], killWhen?: { phase: string; afterMs: number }): Promise<{ killed: boolean; output: string }> {
  return new Promise((resolve, reject) => {
    // node itself (not the tsx CLI, whose wrapper process would take the SIGKILL instead).
    const process_ = spawn(process.execPath, ['--import', 'tsx', child, dataDir, keychainService, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let killed = false;
    process_.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (killWhen && !killed && output.includes(`phase ${killWhen.phase}\n`)) {
        killed = true;
        setTimeout(() => process_.kill('SIGKILL'), killWhen.afterMs);
      }
    });
    process_.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    process_.on('error', reject);
    process_.on('exit', () => resolve({ killed, output }));
  });
}

function inspect() {
  const db = new BetterSqlite3(path.join(dataDir, 'agent-keyring.sqlite'));
  try {
    return {
      integrity: db.pragma('integrity_check', { simple: true }),
      present: (db.prepare('SELECT count(*) AS n FROM workspace_secrets WHERE removed_remotely_at IS NULL').get() as { n: number }).n,
      recorded: (db.prepare('SELECT secret_count AS n FROM workspaces').get() as { n: number }).n,
      orphanDependants: (
        db
          .prepare(
            `SELECT count(*) AS n FROM secret_dependant_links l
             LEFT JOIN workspace_secrets s ON s.row_id = l.secret_row_id
             LEFT JOIN workspace_dependants d ON d.row_id = l.dependant_row_id
             WHERE s.row_id IS NULL OR d.row_id IS NULL`,
          )
          .get() as {
          n: number;
        }
      ).n,
    };
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  emulator = await startEmulator({ keys: [{ key: apiKey, seed: 'bench:4000' }] });
  const first = await runChild([emulator.url, apiKey]);
  expect(first.output).toContain('"ok":true');
});

afterAll(async () => {
  await emulator.close();
  await clearKeychainService(keychainService);
  removeTempDirs();
});

describe('a sync killed at any moment', () => {
  it('leaves a consistent database holding the previous or the new inventory', async () => {
    expect(inspect()).toMatchObject({ integrity: 'ok', present: 4000, recorded: 4000 });
    const sdk = new ElevenLabsClient({ apiKey, baseUrl: emulator.url, maxRetries: 0 });
    for (let i = 0; i < 400; i++)
      await sdk.conversationalAi.secrets.create({ name: `crash_new_${String(i).padStart(3, '0')}`, value: 'v' });

    const moments = [
      { phase: 'secrets', afterMs: 0 },
      { phase: 'saving', afterMs: 0 },
      { phase: 'saving', afterMs: 5 },
      { phase: 'saving', afterMs: 15 },
      { phase: 'saving', afterMs: 40 },
    ];
    let killedMidWay = 0;
    for (const moment of moments) {
      const before = inspect().present;
      const run = await runChild([], moment);
      const after = inspect();
      expect(after.integrity).toBe('ok');
      expect(after.orphanDependants).toBe(0);
      expect([before, 4400]).toContain(after.present);
      expect(after.recorded).toBe(after.present);
      if (run.killed && !run.output.includes('result ')) killedMidWay += 1;
    }
    expect(killedMidWay).toBeGreaterThanOrEqual(3);

    // And the next sync completes normally.
    expect((await runChild([])).output).toContain('"ok":true');
    expect(inspect()).toMatchObject({ integrity: 'ok', present: 4400, recorded: 4400 });
  }, 120_000); // six app processes, each starting the SDK
});
