// The first action after a quiet minute, for bench/run.ts: each figure is timed in the built app
// domain (out/main/domain.js, as Electron's main process loads it) with the API host not running,
// as after the host stopped for being idle (here after 500 ms instead of a minute). Plain
// CommonJS, run by plain node. Prints one JSON line:
//   demoSetupMs         "Try the demo workspace" in an empty data folder: add the demo, sync it
//   firstPushMs         6 local secrets pushed to an emulator workspace: plan, apply (and the re-sync after)
//   unreachableSyncMs   a sync of a workspace whose loopback port refuses connections
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { hostStopped } = require('./proc.cjs');

const { createDomain } = require(path.join(__dirname, '..', 'out', 'main', 'domain.js'));

async function dispatch(domain, channel, request) {
  const reply = await domain.dispatch(channel, request);
  if (!reply.ok) throw new Error(`${channel}: ${reply.error.message}`);
  return reply.data;
}

/** A loopback port nothing listens on: bound by the system, then let go. */
async function refusedPort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function timed(run) {
  const started = performance.now();
  const result = await run();
  return { ms: performance.now() - started, result };
}

async function main() {
  const [scratch, keychainService, emulatorUrl, pushKey] = process.argv.slice(2);
  const open = (name) =>
    createDomain({
      dataDir: fs.mkdtempSync(path.join(scratch, name)),
      keychainService,
      transport: 'preview',
      version: 'bench',
      apiHostIdleStopMs: 500,
    });

  // The demo, from an empty data folder, as the first-run screen's button does it.
  const fresh = open('demo-');
  const demo = await timed(async () => {
    const workspace = await dispatch(fresh, 'workspaces:addDemo', {});
    return dispatch(fresh, 'inventory:sync', { workspaceIds: [workspace.id] });
  });
  if (!demo.result.results[0].ok || demo.result.results[0].secretCount === 0) throw new Error('the demo did not sync');
  await fresh.close();

  const domain = open('idle-');
  const added = await dispatch(domain, 'workspaces:add', { label: 'Push', residency: 'custom', baseUrl: emulatorUrl, apiKey: pushKey });
  if (added.outcome !== 'saved') throw new Error(added.outcome);
  const workspaceId = added.workspace.id;
  for (let i = 0; i < 6; i++) {
    await dispatch(domain, 'localSecrets:create', {
      name: `IDLE_PUSH_${i}`,
      value: `idle-push-value-${i}`,
      targets: [{ workspaceId, remoteName: null }],
    });
  }
  const port = await refusedPort();
  const nowhere = await dispatch(domain, 'workspaces:add', {
    label: 'Nowhere',
    residency: 'custom',
    baseUrl: `http://127.0.0.1:${port}`,
    apiKey: 'sk_bench_nowhere_000000',
    saveUnverified: true,
  });

  // The first push after the host stopped: from asking for the plan to the apply's reply.
  await hostStopped();
  const push = await timed(async () => {
    const plan = await dispatch(domain, 'push:plan', { secretIds: [], workspaceIds: [workspaceId], force: false, deletions: [] });
    return dispatch(domain, 'push:apply', { planId: plan.id });
  });
  if (push.result.items.filter((item) => item.status === 'done').length !== 6) throw new Error('the push did not create all 6');

  // A sync of a workspace whose address refuses connections, after the host stopped.
  await hostStopped();
  const unreachable = await timed(() => dispatch(domain, 'inventory:sync', { workspaceIds: [nowhere.workspace.id] }));
  const failure = unreachable.result.results[0];
  if (failure.ok || failure.problem.code !== 'unreachable') throw new Error(`unexpected sync result: ${JSON.stringify(failure)}`);
  await domain.close();

  process.stdout.write(
    `${JSON.stringify({ demoSetupMs: demo.ms, firstPushMs: push.ms, unreachableSyncMs: unreachable.ms, unreachableMessage: failure.problem.message })}\n`,
  );
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
