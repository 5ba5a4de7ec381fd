// One cold start of the domain on the large database, for bench/run.ts: prints start-up time
// (module load, open, migrate, first workspace list) and RSS after reviewing and after a sync.
const started = performance.now();

async function main(): Promise<void> {
  const [dataDir, keychainService, workspaceId, emulatorUrl] = process.argv.slice(2) as [string, string, string, string];
  const { createDomain } = await import('../src/main/app/composition');
  const domain = createDomain({ dataDir, keychainService, transport: 'preview', version: 'bench' });
  const list = await domain.dispatch('workspaces:list', {});
  if (!list.ok) throw new Error(list.error.message);
  const startupMs = performance.now() - started;

  // Review: the first search builds the index; then a detail and the filter options.
  const search = await domain.dispatch('inventory:searchSecrets', { query: 'token', workspaceId: null, usage: 'any', presence: 'all', usedBy: null, offset: 0, limit: 200 });
  if (!search.ok) throw new Error(search.error.message);
  await domain.dispatch('inventory:listDependants', { workspaceId: null });
  const rssReviewMb = process.memoryUsage().rss / 1024 / 1024;

  // A sync of one workspace (pointed at a small emulator) loads the SDK, as any real session does.
  domain.db.prepare('UPDATE workspaces SET base_url = ? WHERE id = ?').run(emulatorUrl, workspaceId);
  const synced = await domain.dispatch('inventory:sync', { workspaceIds: [workspaceId] });
  if (!synced.ok) throw new Error(synced.error.message);
  const rssAfterSyncMb = process.memoryUsage().rss / 1024 / 1024;
  await domain.close();
  process.stdout.write(`${JSON.stringify({ startupMs, rssReviewMb, rssAfterSyncMb })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
});
