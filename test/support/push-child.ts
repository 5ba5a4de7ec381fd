// A separate process that applies a push plan, so a test can kill it mid-apply (see
// src/main/push/push-crash.int.test.ts). usage: tsx push-child.ts <dataDir> <keychainService> <planId>
import { createDomain } from '../../src/main/app/composition';

async function main(): Promise<void> {
  const [dataDir, keychainService, planId] = process.argv.slice(2) as [string, string, string];
  const domain = createDomain({ dataDir, keychainService, transport: 'preview', version: 'push-crash-test', api: { maxRetries: 0 } });
  domain.events.subscribe((event, payload) => {
    // Written synchronously to the pipe, so the parent sees each result as it is known.
    if (event === 'push:progress') process.stdout.write(`progress ${(payload as { item: { status: string } }).item.status}\n`);
  });
  const reply = await domain.dispatch('push:apply', { planId });
  process.stdout.write(`result ${JSON.stringify(reply.ok)}\n`);
  await domain.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
});
