import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  buildDomain,
  call,
  clearKeychainService,
  keychainAccounts,
  removeTempDirs,
  tempDir,
  testKeychainService,
} from '../../../test/support/harness';
import type { Domain } from '../app/composition';

// Kills a process in the middle of a restore (SIGKILL: no cleanup) while it writes to the
// keychain, then starts again: the credential journal rolls the restore back (no entry without
// its record, no record without its entry), and restoring again finishes it.

const child = path.join(__dirname, '../../../test/support/restore-child.ts');
const PASSPHRASE = 'otter-pixel-robot-sonar-umbra-yacht';
const COUNT = 40;
const services = [testKeychainService(), testKeychainService()];
const [sourceService, targetService] = services as [string, string];

afterAll(async () => {
  for (const service of services) await clearKeychainService(service);
  removeTempDirs();
});

/** Runs the restoring child and kills it once `killAfter` keychain writes were verified. */
function restoreAndKill(dataDir: string, file: string, killAfter: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, dataDir, targetService, file, PASSPHRASE], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let written = 0;
    let output = '';
    proc.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      written = Math.max(written, ...[...output.matchAll(/^written (\d+)$/gm)].map((m) => Number(m[1])));
      if (written >= killAfter) proc.kill('SIGKILL');
    });
    proc.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    proc.on('error', reject);
    proc.on('exit', () =>
      output.includes('result ') ? reject(new Error(`the restore finished before the kill:\n${output}`)) : resolve(written),
    );
  });
}

/** Every keychain ref the database points at. */
function ownedRefs(domain: Domain): string[] {
  const rows = domain.db
    .prepare(
      `SELECT value_ref AS r FROM local_secrets UNION SELECT previous_value_ref FROM local_secrets
       UNION SELECT value FROM settings WHERE key = 'fingerprint_key_ref'`,
    )
    .all() as { r: string | null }[];
  return rows
    .map((row) => row.r)
    .filter((r): r is string => r !== null)
    .sort();
}

describe('a restore killed mid-way', () => {
  it('is rolled back at the next start with no orphan, and restoring again finishes it', async () => {
    const source = buildDomain({ keychainService: sourceService, testOnlyBackupWorkFactor: 10 });
    for (let i = 0; i < COUNT; i++) {
      await call(source, 'localSecrets:create', { name: `CRASH_${String(i).padStart(2, '0')}`, value: `crash-value-${i}`, targets: [] });
    }
    const file = path.join(tempDir(), 'crash.age');
    await source.backup.backup({ passphrase: PASSPHRASE }, { file, includeRefreshTokens: false });
    await source.close();

    const dataDir = tempDir();
    const written = await restoreAndKill(dataDir, file, 10);
    expect(written).toBeGreaterThanOrEqual(10);
    // The killed process left keychain entries no record points at yet.
    expect((await keychainAccounts(targetService)).filter((ref) => ref.startsWith('local-secret-value/')).length).toBeGreaterThanOrEqual(
      10,
    );

    let target = buildDomain({ dataDir, keychainService: targetService, testOnlyBackupWorkFactor: 10 });
    await target.reconciled;
    // Rolled back: no restored record, and every entry left is one a record points at.
    expect((target.db.prepare('SELECT count(*) AS n FROM local_secrets').get() as { n: number }).n).toBe(0);
    expect(await keychainAccounts(targetService)).toEqual(ownedRefs(target));
    expect(target.db.prepare('SELECT * FROM credential_intents').all()).toEqual([]);

    const plan = await target.backup.readAndPlan(file, { passphrase: PASSPHRASE });
    expect(plan.actions.add).toBe(COUNT);
    const result = await target.backup.applyRestore(plan.id, 'merge', { confirmReplace: false });
    expect(result.added).toBe(COUNT);
    await target.close();
    target = buildDomain({ dataDir, keychainService: targetService, testOnlyBackupWorkFactor: 10 });
    await target.reconciled;
    const { secrets } = await call(target, 'localSecrets:list', { query: '', tag: null });
    expect(secrets).toHaveLength(COUNT);
    expect((await call(target, 'localSecrets:reveal', { id: secrets[7]!.id, version: 'current' })).value).toBe('crash-value-7');
    expect(await keychainAccounts(targetService)).toEqual(ownedRefs(target));
    await target.close();
  }, 120_000);
});
