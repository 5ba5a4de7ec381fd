// A separate process that restores a backup, so a test can kill it mid-restore (see
// src/main/backup/restore-crash.int.test.ts). usage: tsx restore-child.ts <dataDir> <keychainService> <file> <passphrase>
import { createDomain } from '../../src/main/app/composition';

async function main(): Promise<void> {
  const [dataDir, keychainService, file, passphrase] = process.argv.slice(2) as [string, string, string, string];
  const domain = createDomain({
    dataDir,
    keychainService,
    transport: 'preview',
    version: 'restore-crash-test',
    testOnlyBackupWorkFactor: 10,
  });
  await domain.reconciled;
  const plan = await domain.backup.readAndPlan(file, { passphrase });
  const result = await domain.backup.applyRestore(plan.id, 'merge', { confirmReplace: false }, (progress) => {
    // Written synchronously to the pipe, so the parent sees each verified keychain write as it happens.
    if (progress.phase === 'writing_keychain' && progress.done) process.stdout.write(`written ${progress.done}\n`);
  });
  process.stdout.write(`result ${result.added}\n`);
  await domain.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
});
