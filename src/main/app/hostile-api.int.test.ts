import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Domain } from './composition';
import { nodeHostLauncher } from '../elevenlabs/api-host/remote-gateway';
import type { HostLauncher } from '../elevenlabs/api-host/protocol';
import {
  echoModes,
  startEchoServer,
  startEndlessPager,
  startRedirectServer,
  startSinkServer,
  type TestServer,
} from '../../../test/support/hostile-api';
import { buildDomain, call, clearKeychainService, filesUnder, removeTempDirs, testKeychainService } from '../../../test/support/harness';

// Servers that misbehave on purpose, against the real SDK in the real API host, the real
// keychain and real SQLite files: a key must never come back out of them into anything the
// app shows, stores, logs or prints, and no loop they start may run forever.

const keychainService = testKeychainService();
const domains: Domain[] = [];
const servers: TestServer[] = [];

afterEach(async () => {
  for (const domain of domains.splice(0)) await domain.close();
  for (const server of servers.splice(0)) await server.close();
  await clearKeychainService(keychainService);
});
afterAll(() => removeTempDirs());

/** Canaries of every shape a key can have: modern, legacy 32-hex, unprefixed, and the shortest accepted. */
function canaries(): string[] {
  return [
    `sk_${randomBytes(24).toString('hex')}`,
    randomBytes(16).toString('hex'),
    `key-${randomBytes(18).toString('base64url')}`,
    `Zq${randomBytes(3).toString('hex')}`,
  ];
}

/** A domain whose every reply, event and API-host output line is recorded. */
function recordedDomain(api: Record<string, number> = {}) {
  const hostOutput: string[] = [];
  const launcher = nodeHostLauncher();
  const apiHost: HostLauncher = (settings) => {
    const channel = launcher(settings);
    channel.onOutput((line) => hostOutput.push(line));
    return channel;
  };
  const domain = buildDomain({ keychainService, apiHost, api: { timeoutSeconds: 2, maxRetries: 1, maxRetryWaitSeconds: 2, ...api } });
  domains.push(domain);
  const seen: string[] = [];
  domain.events.subscribe((event, payload) => seen.push(JSON.stringify({ event, payload })));
  const dispatch = domain.dispatch;
  const recorder = {
    ...domain,
    dispatch: async (channel: string, request: unknown) => {
      const reply = await dispatch(channel, request);
      seen.push(JSON.stringify(reply));
      return reply;
    },
  };
  return { domain, recorder, seen, hostOutput };
}

function everythingWritten(domain: Domain): { file: string; content: string }[] {
  return filesUnder(domain.paths.dataDir).map((file) => ({ file, content: fs.readFileSync(file).toString('latin1') }));
}

describe('a server that echoes the key into every field of every reply', () => {
  let echo: Awaited<ReturnType<typeof startEchoServer>>;
  beforeAll(async () => {
    echo = await startEchoServer();
  });
  afterAll(() => echo.close());

  it.each(echoModes)('never lets the key out when it answers %s (add, replace key, sync)', async (mode) => {
    const keys = canaries();
    const { domain, recorder, seen, hostOutput } = recordedDomain();
    const add = (apiKey: string, extra = {}) =>
      recorder.dispatch('workspaces:add', { label: `Echo ${mode}`, residency: 'custom', baseUrl: echo.url, apiKey, ...extra });

    echo.mode = mode;
    await add(keys[0]!);
    await add(keys[1]!, { saveUnverified: true, acceptWorkspaceMismatch: true });
    const [workspace] = (await call(domain, 'workspaces:list', {})).workspaces;
    expect(workspace, 'a workspace was saved to work with').toBeDefined();
    await recorder.dispatch('workspaces:replaceKey', { workspaceId: workspace!.id, apiKey: keys[2]! });
    await recorder.dispatch('workspaces:replaceKey', {
      workspaceId: workspace!.id,
      apiKey: keys[3]!,
      saveUnverified: true,
      acceptWorkspaceMismatch: true,
    });
    await recorder.dispatch('inventory:sync', { workspaceIds: [] });
    // A local value pushed to the same server: the value must not come back out either.
    const value = `value-${mode}-${randomBytes(12).toString('hex')}`;
    const local = await recorder.dispatch('localSecrets:create', {
      name: `ECHO_${mode.toUpperCase()}`,
      value,
      targets: [{ workspaceId: workspace!.id, remoteName: null }],
    });
    const plan = await recorder.dispatch('push:plan', {
      secretIds: local.ok ? [(local.data as { id: string }).id] : [],
      workspaceIds: [],
      force: false,
      deletions: [],
    });
    if (plan.ok) await recorder.dispatch('push:apply', { planId: (plan.data as { id: string }).id });
    keys.push(value);
    echo.mode = 'ok';
    await recorder.dispatch('inventory:sync', { workspaceIds: [] });
    await recorder.dispatch('workspaces:list', {});
    await recorder.dispatch('inventory:searchSecrets', {
      query: '',
      workspaceId: null,
      usage: 'any',
      presence: 'all',
      usedBy: null,
      offset: 0,
      limit: 500,
    });
    await recorder.dispatch('inventory:listAuthConnections', { workspaceId: null, query: '' });
    await recorder.dispatch('inventory:listDependants', { workspaceId: null });

    // Positive control: the server really was sent the keys it echoed back.
    expect(echo.requests.some((r) => keys.includes(r.apiKey ?? ''))).toBe(true);
    expect(echo.requests.some((r) => r.method === 'POST' || r.method === 'PATCH')).toBe(true);
    // While the database is open its -wal and -shm files hold the latest writes.
    const whileOpen = everythingWritten(domain);
    expect(whileOpen.some(({ file }) => file.endsWith('-wal'))).toBe(true);
    await domain.close();
    domains.splice(domains.indexOf(domain), 1);
    const afterClose = everythingWritten(domain);

    for (const key of keys) {
      for (const { file, content } of [...whileOpen, ...afterClose]) expect(content.includes(key), `${mode}: key in ${file}`).toBe(false);
      for (const message of seen) expect(message.includes(key), `${mode}: key in ${message.slice(0, 300)}`).toBe(false);
      for (const line of hostOutput) expect(line.includes(key), `${mode}: key in API host output`).toBe(false);
    }
    expect(seen.length).toBeGreaterThan(8);
  });
});

describe('a server that redirects', () => {
  it.each([301, 302, 303, 307, 308])('never sends the key to the second origin (%i), and says why', async (status) => {
    const sink = await startSinkServer();
    const redirect = await startRedirectServer(sink.url, status);
    servers.push(sink, redirect);
    const { domain } = recordedDomain();
    const [apiKey] = canaries();

    const outcome = await call(domain, 'workspaces:add', {
      label: 'Redirect',
      residency: 'custom',
      baseUrl: redirect.url,
      apiKey: apiKey!,
    });
    expect(outcome).toMatchObject({ outcome: 'confirm_unverified', problem: { code: 'unexpected_response' } });
    if (outcome.outcome !== 'confirm_unverified') throw new Error();
    expect(outcome.problem.message).toMatch(/redirect .*never sent to another address/);
    const saved = await call(domain, 'workspaces:add', {
      label: 'Redirect',
      residency: 'custom',
      baseUrl: redirect.url,
      apiKey: apiKey!,
      saveUnverified: true,
    });
    if (saved.outcome !== 'saved') throw new Error();
    const [result] = (await call(domain, 'inventory:sync', { workspaceIds: [saved.workspace.id] })).results;
    expect(result).toMatchObject({ ok: false, problem: { code: 'unexpected_response' } });

    expect(redirect.requests.length).toBeGreaterThan(0);
    expect(sink.requests).toEqual([]);
  });
});

describe('a server that pages forever', () => {
  it.each(['same', 'new'] as const)('ends the sync by itself with a clear error (%s cursor every page)', async (cursors) => {
    const pager = await startEndlessPager(cursors);
    servers.push(pager);
    const { domain } = recordedDomain();
    const added = await call(domain, 'workspaces:add', {
      label: 'Endless',
      residency: 'custom',
      baseUrl: pager.url,
      apiKey: canaries()[0]!,
      saveUnverified: true,
    });
    if (added.outcome !== 'saved') throw new Error();

    const started = Date.now();
    const [result] = (await call(domain, 'inventory:sync', { workspaceIds: [added.workspace.id] })).results;
    const seconds = (Date.now() - started) / 1000;

    expect(result).toMatchObject({ ok: false, secretCount: 0, problem: { code: 'unexpected_response' } });
    expect(result!.problem!.message).toMatch(cursors === 'same' ? /same page cursor twice/ : /kept sending more pages/);
    // The documented bound: at most 1,000 list requests (MAX_LIST_PAGES), and seconds, not minutes.
    const listRequests = pager.requests.filter((r) => r.url.startsWith('/v1/convai/secrets')).length;
    expect(listRequests).toBeLessThanOrEqual(1_000);
    if (cursors === 'same') expect(listRequests).toBeLessThanOrEqual(3);
    expect(seconds).toBeLessThan(60);
    // Nothing of the endless list was kept.
    expect(domain.db.prepare('SELECT count(*) AS n FROM workspace_secrets').get()).toEqual({ n: 0 });
  });
});
