// A separate process that syncs, so a test can kill it at any moment (see crash.int.test.ts).
// usage: tsx sync-child.ts <dataDir> <keychainService> [<baseUrl> <apiKey>]  (adds the workspace first)
import { createDomain } from '../../src/main/app/composition';

async function main(): Promise<void> {
  const [dataDir, keychainService, baseUrl, apiKey] = process.argv.slice(2) as [string, string, string?, string?];
  const domain = createDomain({ dataDir, keychainService, transport: 'preview', version: 'crash-test', api: { maxRetries: 0 } });
  domain.events.subscribe((event, payload) => {
    // Written synchronously to the pipe, so the parent sees a phase before it happens.
    if (event === 'sync:progress') process.stdout.write(`phase ${(payload as { phase: string }).phase}\n`);
  });
  if (baseUrl && apiKey) {
    const added = await domain.dispatch('workspaces:add', { label: 'Crash test', residency: 'custom', baseUrl, apiKey });
    if (!added.ok) throw new Error(added.error.message);
  }
  const reply = await domain.dispatch('inventory:sync', { workspaceIds: [] });
  process.stdout.write(`result ${JSON.stringify(reply)}\n`);
  await domain.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
});
