// npm run bench: measures the figures the foundation issue sets targets for, against the real
// parts (the SDK over HTTP to the emulator in another process, SQLite files, the keychain).
// Human-readable lines first; the last line is one JSON object of figures.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import { createDomain, type Domain } from '../src/main/app/composition';
import { startEmulatorProcess } from '../test/support/processes';
import type { SearchSecretsRequest } from '../src/shared/schemas/inventory';

const root = path.resolve(__dirname, '..');
/** node with tsx's loader (not the tsx CLI, which would add a wrapper process). */
const withTsx = (...args: string[]) => [process.execPath, ['--import', 'tsx', ...args]] as const;
const keychainService = `agent-keyring-bench-${randomUUID()}`;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-keyring-bench-'));
const children: ChildProcess[] = [];

const log = (line: string) => process.stdout.write(`${line}\n`);
/** Round-trip time added to every emulator request for the "real network" sync figure. */
const LATENCY_MS = 25;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
const round = (value: number, digits = 2) => Number(value.toFixed(digits));

/** The emulator as its own process, as the real API would be. */
async function startEmulator(args: string[]): Promise<string> {
  const emulator = await startEmulatorProcess(args);
  children.push(emulator.child);
  return emulator.url;
}

function openDomain(dataDir: string): Domain {
  return createDomain({ dataDir, keychainService, transport: 'preview', version: 'bench' });
}

async function dispatch<T>(domain: Domain, channel: string, request: unknown): Promise<T> {
  const reply = await domain.dispatch(channel, request);
  if (!reply.ok) throw new Error(`${channel}: ${reply.error.message}`);
  return reply.data as T;
}

async function addWorkspace(domain: Domain, label: string, baseUrl: string, apiKey: string): Promise<string> {
  const outcome = await dispatch<{ outcome: string; workspace: { id: string } }>(domain, 'workspaces:add', {
    label,
    residency: 'custom',
    baseUrl,
    apiKey,
    acceptWorkspaceMismatch: true,
  });
  if (outcome.outcome !== 'saved') throw new Error(outcome.outcome);
  return outcome.workspace.id;
}

/** Sync of 10,000 secrets vs the bare SDK fetching the same pages, interleaved, in one run. */
async function benchSync() {
  const apiKey = 'sk_bench_sync_10000';
  const baseUrl = await startEmulator(['--seed', 'bench:10000', '--key', apiKey]);
  const sdk = new ElevenLabsClient({ apiKey, baseUrl, maxRetries: 0 });
  const bareFetch = async () => {
    const started = performance.now();
    let cursor: string | undefined;
    let count = 0;
    do {
      const page = await sdk.conversationalAi.secrets.list({ pageSize: 100, cursor, dependencyLimit: 100 });
      count += page.secrets.length;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    await sdk.workspace.authConnections.list();
    if (count !== 10_000) throw new Error(`bare fetch saw ${count}`);
    return performance.now() - started;
  };
  const appSync = async (domain: Domain, workspaceId: string) => {
    const started = performance.now();
    const { results } = await dispatch<{ results: { ok: boolean; secretCount: number }[] }>(domain, 'inventory:sync', { workspaceIds: [workspaceId] });
    if (!results[0]?.ok || results[0].secretCount !== 10_000) throw new Error('sync failed');
    return performance.now() - started;
  };

  await bareFetch(); // warm both sides: JIT, sockets, the SDK's module
  const sdkTimes: number[] = [];
  const firstSyncTimes: number[] = [];
  const resyncTimes: number[] = [];
  for (let round_ = 0; round_ < 5; round_++) {
    sdkTimes.push(await bareFetch());
    const domain = openDomain(fs.mkdtempSync(path.join(scratch, 'sync-')));
    const workspaceId = await addWorkspace(domain, 'Bench', baseUrl, apiKey);
    firstSyncTimes.push(await appSync(domain, workspaceId));
    sdkTimes.push(await bareFetch());
    resyncTimes.push(await appSync(domain, workspaceId));
    await domain.close();
  }
  const sdkMs = median(sdkTimes);
  const firstMs = median(firstSyncTimes);
  const resyncMs = median(resyncTimes);
  log(`sync 10,000 secrets: bare SDK ${sdkMs.toFixed(0)} ms, first sync ${firstMs.toFixed(0)} ms (x${(firstMs / sdkMs).toFixed(2)}), re-sync ${resyncMs.toFixed(0)} ms (x${(resyncMs / sdkMs).toFixed(2)})`);

  // The same with a network's worth of latency on every request, as against the real API.
  await fetch(`${baseUrl}/_emulator/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ delayMs: LATENCY_MS }),
  });
  const slowSdk: number[] = [];
  const slowSync: number[] = [];
  for (let round_ = 0; round_ < 3; round_++) {
    slowSdk.push(await bareFetch());
    const domain = openDomain(fs.mkdtempSync(path.join(scratch, 'slow-')));
    const workspaceId = await addWorkspace(domain, 'Bench', baseUrl, apiKey);
    slowSync.push(await appSync(domain, workspaceId));
    await domain.close();
  }
  const latencyRatio = median(slowSync) / median(slowSdk);
  log(`  with ${LATENCY_MS} ms latency per request: bare SDK ${median(slowSdk).toFixed(0)} ms, first sync ${median(slowSync).toFixed(0)} ms (x${latencyRatio.toFixed(2)})`);
  return { sdkMs, firstMs, resyncMs, latencyRatio };
}

/** 20 workspaces x 5,000 secrets, synced from the emulator through the app. */
async function buildLargeInventory(): Promise<{ dataDir: string; workspaceIds: string[] }> {
  const keys = Array.from({ length: 20 }, (_, i) => `sk_bench_ws_${String(i).padStart(2, '0')}_000000`);
  const baseUrl = await startEmulator(['--seed', 'bench:5000', ...keys.flatMap((key) => ['--key', key])]);
  const dataDir = fs.mkdtempSync(path.join(scratch, 'large-'));
  const domain = openDomain(dataDir);
  const workspaceIds: string[] = [];
  for (const [i, key] of keys.entries()) workspaceIds.push(await addWorkspace(domain, `Workspace ${i + 1}`, baseUrl, key));
  const started = performance.now();
  const { results } = await dispatch<{ results: { ok: boolean; secretCount: number }[] }>(domain, 'inventory:sync', { workspaceIds: [] });
  const total = results.reduce((sum, r) => sum + r.secretCount, 0);
  if (total !== 100_000) throw new Error(`large inventory has ${total} secrets`);
  log(`built 100,000 cached secrets in 20 workspaces (sync all: ${((performance.now() - started) / 1000).toFixed(1)} s)`);
  await domain.close();
  return { dataDir, workspaceIds };
}

/** Search as the user types, with and without filters, over the whole cache. */
async function benchSearch(dataDir: string, workspaceIds: string[]) {
  const domain = openDomain(dataDir);
  const base: SearchSecretsRequest = { query: '', workspaceId: null, usage: 'any', presence: 'present', usedBy: null, offset: 0, limit: 200 };
  const started = performance.now();
  await dispatch(domain, 'inventory:searchSecrets', base);
  const firstMs = performance.now() - started;
  const { dependants } = await dispatch<{ dependants: { workspaceId: string; kind: 'agent' | 'tool'; dependantId: string }[] }>(domain, 'inventory:listDependants', {
    workspaceId: workspaceIds[3],
  });
  const typed = ['s', 'st', 'str', 'stri', 'strip', 'stripe', 'stripe_w', 'o', 'oa', 'oau', 'oauth', 'tok', 'token', '0', '00', '004', '0042', 'slack_bot', 'google_cal', 'zzz', 'webhook_sec'];
  const requests: SearchSecretsRequest[] = [];
  for (let i = 0; i < 600; i++) {
    const query = typed[i % typed.length]!;
    const variant = i % 6;
    const d = dependants[i % dependants.length]!;
    requests.push({
      ...base,
      query,
      workspaceId: variant === 1 ? workspaceIds[i % 20]! : null,
      usage: variant === 2 ? 'unused' : variant === 3 ? 'used' : 'any',
      presence: variant === 4 ? 'all' : 'present',
      usedBy: variant === 5 ? { workspaceId: d.workspaceId, kind: d.kind, dependantId: d.dependantId } : null,
      offset: i % 10 === 9 ? 400 : 0,
    });
  }
  const times: number[] = [];
  for (const request of requests) {
    const t = performance.now();
    await dispatch(domain, 'inventory:searchSecrets', request);
    times.push(performance.now() - t);
  }
  await domain.close();
  const result = { p50: percentile(times, 50), p95: percentile(times, 95), max: Math.max(...times), firstMs };
  log(`search over 100,000 secrets (${times.length} searches, 200 rows each): p50 ${result.p50.toFixed(2)} ms, p95 ${result.p95.toFixed(2)} ms, max ${result.max.toFixed(2)} ms; first search (builds the index) ${firstMs.toFixed(0)} ms`);
  return result;
}

/** Start-up and memory, each in a fresh process, as the app starts. */
async function benchStartup(dataDir: string, workspaceIds: string[], demoUrl: string) {
  const runs: { startupMs: number; rssReviewMb: number; rssAfterSyncMb: number; apiHostRssMb: number | null }[] = [];
  for (let i = 0; i < 5; i++) {
    const child = spawn(...withTsx(path.join(__dirname, 'startup-child.ts'), dataDir, keychainService, workspaceIds[0]!, demoUrl), {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await new Promise((resolve) => child.on('exit', resolve));
    runs.push(JSON.parse(output.trim().split('\n').at(-1)!) as (typeof runs)[number]);
  }
  const startupMs = median(runs.map((r) => r.startupMs));
  const rssReviewMb = Math.max(...runs.map((r) => r.rssReviewMb));
  const rssAfterSyncMb = Math.max(...runs.map((r) => r.rssAfterSyncMb));
  const apiHostRssMb = runs[0]!.apiHostRssMb === null ? null : Math.max(...runs.map((r) => r.apiHostRssMb ?? 0));
  log(`start-up on the 100,000-secret database: median ${startupMs.toFixed(0)} ms of 5 cold starts (open, migrate, list workspaces)`);
  log(
    `main-process RSS at 100,000 secrets: ${rssReviewMb.toFixed(0)} MB after reviewing (search index built), ${rssAfterSyncMb.toFixed(0)} MB after a sync` +
      (apiHostRssMb === null ? '' : `; the API host process (the SDK) adds ${apiHostRssMb.toFixed(0)} MB of its own`),
  );
  return { startupMs, rssReviewMb, rssAfterSyncMb, apiHostRssMb };
}

async function main(): Promise<void> {
  log(`Agent Keyring benchmark — node ${process.version}, ${os.cpus().length} CPUs, ${os.platform()}`);
  const sync = await benchSync();
  const { dataDir, workspaceIds } = await buildLargeInventory();
  const search = await benchSearch(dataDir, workspaceIds);
  const startup = await benchStartup(dataDir, workspaceIds, await startEmulator(['--seed', 'bench:200', '--key', 'sk_bench_ws_00_000000']));
  const figures = {
    sync_10k_sdk_ms: round(sync.sdkMs, 0),
    sync_10k_first_ms: round(sync.firstMs, 0),
    sync_10k_ratio: round(sync.firstMs / sync.sdkMs),
    sync_10k_resync_ratio: round(sync.resyncMs / sync.sdkMs),
    sync_10k_ratio_at_25ms_latency: round(sync.latencyRatio),
    search_100k_p50_ms: round(search.p50, 3),
    search_100k_p95_ms: round(search.p95, 3),
    search_100k_first_ms: round(search.firstMs, 0),
    startup_100k_ms: round(startup.startupMs, 0),
    rss_100k_mb: round(startup.rssReviewMb, 0),
    rss_100k_after_sync_mb: round(startup.rssAfterSyncMb, 0),
    api_host_rss_mb: startup.apiHostRssMb === null ? null : round(startup.apiHostRssMb, 0),
    targets: { sync_10k_ratio: 1.3, search_100k_p95_ms: 5, startup_100k_ms: 200, rss_100k_mb: 200 },
  };
  log(JSON.stringify(figures));
}

main()
  .catch((error: unknown) => {
    process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  })
  .finally(async () => {
    for (const child of children) child.kill();
    const keytar = (await import('keytar')).default;
    for (const { account } of await keytar.findCredentials(keychainService)) await keytar.deletePassword(keychainService, account);
    fs.rmSync(scratch, { recursive: true, force: true });
  });
