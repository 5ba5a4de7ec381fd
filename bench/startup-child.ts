import fs from 'node:fs';
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
  const apiHostRssMb = childrenRssMb();
  await domain.close();
  process.stdout.write(`${JSON.stringify({ startupMs, rssReviewMb, rssAfterSyncMb, apiHostRssMb })}\n`);
}

/** RSS of this process's children (the API host), from /proc; null where there is no /proc. */
function childrenRssMb(): number | null {
  if (!fs.existsSync('/proc/self/stat')) return null;
  let pages = 0;
  for (const pid of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === process.pid) pages += Number(fields[21]);
    } catch {
      // The process ended while we looked.
    }
  }
  return (pages * 4096) / 1024 / 1024;
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
});
