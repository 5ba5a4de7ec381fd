// One cold start of the built app domain (out/main/domain.js, the code Electron's main process
// loads) on the large database, for bench/run.ts. Plain CommonJS, run by plain node, so nothing
// but the app's own bundle is timed. Prints one JSON line:
//   startupMs        module load, open, migrate, first workspace list
//   rssReviewMb      main RSS after the first search (index built), detail and filter options
//   rssAfterSyncMb   main RSS after a sync; apiHostRssMb the API host's beside it
//   idleTotalMb      main + API host once the host has stopped for being idle
//   coldCallMs / warmCallMs   a small sync right after the host stopped, and one with it running
const started = performance.now();
const path = require('node:path');
const { childrenRssMb, hostStopped } = require('./proc.cjs');

async function main() {
  const [dataDir, keychainService, workspaceId, emulatorUrl] = process.argv.slice(2);
  const { createDomain } = require(path.join(__dirname, '..', 'out', 'main', 'domain.js'));
  const domain = createDomain({ dataDir, keychainService, transport: 'preview', version: 'bench', apiHostIdleStopMs: 500 });
  const list = await domain.dispatch('workspaces:list', {});
  if (!list.ok) throw new Error(list.error.message);
  const startupMs = performance.now() - started;

  const search = await domain.dispatch('inventory:searchSecrets', {
    query: 'token',
    workspaceId: null,
    usage: 'any',
    presence: 'all',
    usedBy: null,
    offset: 0,
    limit: 200,
  });
  if (!search.ok) throw new Error(search.error.message);
  await domain.dispatch('inventory:listDependants', { workspaceId: null });
  const rssReviewMb = process.memoryUsage().rss / 1024 / 1024;

  // A sync of one workspace (pointed at a small emulator) starts the API host, as a session does.
  domain.db.prepare('UPDATE workspaces SET base_url = ? WHERE id = ?').run(emulatorUrl, workspaceId);
  const sync = async () => {
    const t = performance.now();
    const reply = await domain.dispatch('inventory:sync', { workspaceIds: [workspaceId] });
    if (!reply.ok || !reply.data.results[0].ok)
      throw new Error(`sync failed: ${JSON.stringify(reply.ok ? reply.data.results[0].problem : reply.error)}`);
    return performance.now() - t;
  };
  await sync();
  const rssAfterSyncMb = process.memoryUsage().rss / 1024 / 1024;
  const apiHostRssMb = childrenRssMb();

  await hostStopped();
  const idleTotalMb = process.memoryUsage().rss / 1024 / 1024 + (childrenRssMb() ?? 0);
  const coldCallMs = await sync();
  const warmCallMs = await sync();
  await domain.close();
  process.stdout.write(
    `${JSON.stringify({ startupMs, rssReviewMb, rssAfterSyncMb, apiHostRssMb, idleTotalMb, coldCallMs, warmCallMs })}\n`,
  );
}

main().catch((error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
