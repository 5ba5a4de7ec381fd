// A separate process that creates a connection kept here and dies (SIGKILL: no cleanup) right
// after its first sensitive part reached the keychain, before any row was written (see
// src/main/auth-connections/kept-connections.int.test.ts).
// usage: tsx kept-connection-child.ts <dataDir> <keychainService> <definition JSON>
import { createDomain } from '../../src/main/app/composition';
import { createKeytarKeychain } from '../../src/main/vault/keytar-keychain';

async function main(): Promise<void> {
  const [dataDir, keychainService, definition] = process.argv.slice(2) as [string, string, string];
  const real = createKeytarKeychain(keychainService);
  const keychain = {
    ...real,
    set: async (ref: string, value: string) => {
      await real.set(ref, value);
      if (ref.startsWith('connection-')) {
        process.stdout.write(`stored ${ref}\n`);
        process.kill(process.pid, 'SIGKILL');
      }
    },
  };
  const domain = createDomain({ dataDir, keychainService, keychain, transport: 'preview', version: 'kept-crash-test' });
  await domain.reconciled;
  const reply = await domain.dispatch('keptConnections:create', { definition: JSON.parse(definition) as unknown });
  process.stdout.write(`result ${JSON.stringify(reply.ok)}\n`);
  await domain.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
});
