import { readFileSync } from 'node:fs';
import { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Domain } from '../app/composition';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import {
  buildDomain,
  call,
  clearKeychainService,
  filesUnder,
  removeTempDirs,
  tempDir,
  testKeychainService,
} from '../../../test/support/harness';
import { createRemoteGateway, nodeHostLauncher } from '../elevenlabs/api-host/remote-gateway';
import type { WorkspaceApi } from '../elevenlabs/gateway';
import { defaultApiSettings } from '../elevenlabs/types';
import { silentLogger } from '../logging/logger';
import { VariableRepository } from './variable-repository';

// The sync of environment variables into SQLite and what is read from it, through the app's own
// composition (real SQLite, the API host with the official SDK, the emulator's demo seed).

const DEMO_KEY = 'sk_vars_demo_0001';
const SECOND_KEY = 'sk_vars_second_0002';
const DELETE_KEY = 'sk_vars_delete_0003';
const RECORD_KEY = 'sk_vars_record_0004';
let emulator: RunningEmulator;
const keychainService = testKeychainService();
const domains: Domain[] = [];

beforeAll(async () => {
  emulator = await startEmulator({ keys: [{ key: DEMO_KEY }, { key: SECOND_KEY }, { key: DELETE_KEY }, { key: RECORD_KEY }] });
});
afterEach(async () => {
  emulator.clearFaults();
  for (const domain of domains.splice(0)) await domain.close();
  await clearKeychainService(keychainService);
});
afterAll(async () => {
  await emulator.close();
  removeTempDirs();
});

const sdk = (apiKey: string) => new ElevenLabsClient({ apiKey, baseUrl: emulator.url, maxRetries: 0 });

async function syncedWorkspace(domain: Domain, apiKey: string, label: string): Promise<string> {
  const added = await call(domain, 'workspaces:add', { label, residency: 'custom', baseUrl: emulator.url, apiKey });
  if (added.outcome !== 'saved') throw new Error(added.outcome);
  const { results } = await call(domain, 'inventory:sync', { workspaceIds: [added.workspace.id] });
  expect(results[0]).toMatchObject({ ok: true, problem: null });
  return added.workspace.id;
}

function newDomain(dataDir = tempDir()): Domain {
  const domain = buildDomain({ keychainService, dataDir });
  domains.push(domain);
  return domain;
}

describe('environment variables, synced', () => {
  it('keeps every variable with its values, references resolved to the synced secret or connection', async () => {
    const domain = newDomain();
    const workspaceId = await syncedWorkspace(domain, DEMO_KEY, 'Production');
    const reply = await call(domain, 'variables:list', { workspaceId, kind: null, environment: null });
    expect(reply.total).toBe(10);
    expect(reply.environments).toEqual(['production', 'dev', 'staging']);
    expect(reply.access).toMatchObject({ state: 'allowed', permission: null });
    const byLabel = new Map(reply.variables.map((v) => [v.label, v]));
    const payments = byLabel.get('PAYMENTS_KEY')!;
    expect(payments.type).toBe('secret');
    expect(payments.values.map((value) => [value.environment, value.reference?.name, value.reference?.state])).toEqual([
      ['production', 'STRIPE_RESTRICTED_KEY', 'present'],
      ['staging', 'STRIPE_TEST_KEY_OLD', 'present'],
    ]);
    expect(byLabel.get('CRM_AUTH')!.values[0]).toMatchObject({
      environment: 'production',
      kind: 'auth_connection',
      reference: { name: 'Salesforce API', authType: 'oauth2_client_credentials', state: 'present' },
    });
    expect(byLabel.get('API_BASE_URL')!.values).toEqual([
      { environment: 'production', kind: 'string', value: 'https://api.brightsmile-dental.example/v2', withheld: null, reference: null },
      { environment: 'dev', kind: 'string', value: 'http://localhost:8080/v2', withheld: null, reference: null },
      {
        environment: 'staging',
        kind: 'string',
        value: 'https://staging-api.brightsmile-dental.example/v2',
        withheld: null,
        reference: null,
      },
    ]);
    expect(byLabel.get('BILLING_AUTH')!.values.map((value) => value.environment)).toEqual(['production']);
  });

  it('never writes a string that looks like a key: not to SQLite, not to a reply, not to the log', async () => {
    const dataDir = tempDir();
    const domain = newDomain(dataDir);
    const workspaceId = await syncedWorkspace(domain, DEMO_KEY, 'Production');
    const { environmentVariables } = await sdk(DEMO_KEY).environmentVariables.list({ label: 'ANALYTICS_WRITE_KEY' });
    const planted = Object.values(environmentVariables[0]!.values as Record<string, string>);
    expect(planted).toHaveLength(2);
    const reply = await call(domain, 'variables:list', { workspaceId, kind: null, environment: null });
    const key = reply.variables.find((v) => v.label === 'ANALYTICS_WRITE_KEY')!;
    expect(key.values).toEqual([
      {
        environment: 'production',
        kind: 'string',
        value: null,
        withheld: { reason: 'key_prefix', hint: 'sk_', length: 35 },
        reference: null,
      },
      { environment: 'staging', kind: 'string', value: null, withheld: { reason: 'key_prefix', hint: 'sk_', length: 35 }, reference: null },
    ]);
    const review = await call(domain, 'review:list', { rotationDays: 90 });
    const everything = JSON.stringify([reply, review]);
    await domain.close();
    domains.splice(domains.indexOf(domain), 1);
    const written = filesUnder(dataDir).map((file) => readFileSync(file).toString('latin1'));
    for (const value of planted) {
      expect(everything).not.toContain(value);
      for (const content of written) expect(content.includes(value)).toBe(false);
    }
  });

  it('filters by kind and by environment, searches labels across workspaces, and lists what refers to a secret', async () => {
    const domain = newDomain();
    const first = await syncedWorkspace(domain, DEMO_KEY, 'Production');
    const second = await syncedWorkspace(domain, SECOND_KEY, 'Staging copy');
    const secrets = await call(domain, 'variables:list', { workspaceId: first, kind: 'secret', environment: null });
    expect(secrets.variables.map((v) => v.label)).toEqual(['CRM_TOKEN', 'PAYMENTS_KEY', 'SLACK_ALERTS_TOKEN']);
    expect(secrets.total).toBe(10);
    const dev = await call(domain, 'variables:list', { workspaceId: first, kind: null, environment: 'dev' });
    expect(dev.variables.map((v) => v.label)).toEqual(['API_BASE_URL', 'SLACK_ALERTS_TOKEN', 'TRANSFER_PHONE_NUMBER']);
    // A filter narrows the rows, never a row's values.
    expect(dev.variables[1]!.values.map((value) => value.environment)).toEqual(['production', 'dev', 'staging']);

    const { hits } = await call(domain, 'variables:search', { query: 'crm' });
    expect(
      hits.map((hit) => `${hit.label}@${hit.workspaceId === first ? 'first' : hit.workspaceId === second ? 'second' : '?'}`).sort(),
    ).toEqual(['CRM_AUTH@first', 'CRM_AUTH@second', 'CRM_TOKEN@first', 'CRM_TOKEN@second']);
    expect((await call(domain, 'variables:search', { query: 'webhook url' })).hits.map((hit) => hit.label)).toEqual([
      'BOOKING_WEBHOOK_URL',
      'BOOKING_WEBHOOK_URL',
    ]);

    const slack = emulator.secretsOf(DEMO_KEY).find((secret) => secret.name === 'SLACK_BOT_TOKEN')!.id;
    const referring = await call(domain, 'variables:referring', { workspaceId: first, kind: 'secret', id: slack });
    expect(referring.variables).toEqual([
      { variableId: expect.any(String), label: 'SLACK_ALERTS_TOKEN', environments: ['production', 'dev', 'staging'] },
    ]);
    const connections = await call(domain, 'variables:list', { workspaceId: first, kind: 'auth_connection', environment: null });
    const salesforce = connections.variables.find((v) => v.label === 'CRM_AUTH')!.values[0]!.reference!.id;
    expect((await call(domain, 'variables:referring', { workspaceId: first, kind: 'auth_connection', id: salesforce })).variables).toEqual([
      { variableId: expect.any(String), label: 'CRM_AUTH', environments: ['production', 'staging'] },
    ]);
  });

  it('writes variables in the sync’s one transaction: a failed variables listing keeps the whole previous inventory', async () => {
    const domain = newDomain();
    const workspaceId = await syncedWorkspace(domain, DELETE_KEY, 'To delete from');
    const stripeOld = emulator.secretsOf(DELETE_KEY).find((secret) => secret.name === 'STRIPE_TEST_KEY_OLD')!.id;
    await sdk(DELETE_KEY).conversationalAi.secrets.delete(stripeOld);

    emulator.injectFault({ status: 500, pathPrefix: '/v1/convai/environment-variables', key: DELETE_KEY });
    const [failed] = (await call(domain, 'inventory:sync', { workspaceIds: [workspaceId] })).results;
    expect(failed).toMatchObject({ ok: false, problem: { code: 'server_error' } });
    // The secret's removal, seen by the same sync, was not written either.
    const secret = await call(domain, 'inventory:getSecret', { workspaceId, secretId: stripeOld });
    expect(secret.secret.removedRemotelyAt).toBeNull();
    const before = await call(domain, 'variables:list', { workspaceId, kind: null, environment: null });
    expect(before.variables.find((v) => v.label === 'PAYMENTS_KEY')!.values[1]!.reference!.state).toBe('present');

    emulator.clearFaults();
    expect((await call(domain, 'inventory:sync', { workspaceIds: [workspaceId] })).results[0]).toMatchObject({ ok: true });
    const after = await call(domain, 'variables:list', { workspaceId, kind: null, environment: null });
    const staging = after.variables.find((v) => v.label === 'PAYMENTS_KEY')!.values[1]!;
    expect(staging.reference).toMatchObject({ name: 'STRIPE_TEST_KEY_OLD', state: 'removed', removedRemotelyAt: expect.any(Number) });

    // Review: the dangling reference, the environment most have, the key-shaped string.
    const { items } = await call(domain, 'review:list', { rotationDays: 90 });
    const mine = items.filter((item) => item.kind.startsWith('variable_') && item.workspaceIds[0] === workspaceId);
    expect(mine.map((item) => `${item.kind}:${item.name}`).sort()).toEqual([
      'variable_environment_missing:BILLING_AUTH',
      'variable_looks_like_credential:ANALYTICS_WRITE_KEY',
      'variable_reference_removed:PAYMENTS_KEY',
    ]);
    const removed = mine.find((item) => item.kind === 'variable_reference_removed')!;
    expect(removed.detail).toBe(
      'Its staging value names the secret STRIPE_TEST_KEY_OLD, which the last sync no longer found. Agents run in staging get nothing for it.',
    );
    expect(removed.since).toEqual(staging.reference!.removedRemotelyAt);
    expect(mine.find((item) => item.kind === 'variable_environment_missing')!.detail).toBe(
      "No staging value, while 9 of the workspace's 10 variables have one: agents run in staging get nothing for it.",
    );
    expect(mine.find((item) => item.kind === 'variable_looks_like_credential')!.detail).toMatch(
      /^Its production and staging values are plain strings, and it starts the way sk_… keys do: /,
    );
  });

  it('records a variable as the API answered a create or an update (recordRemote), before the next sync', async () => {
    const domain = newDomain();
    const workspaceId = await syncedWorkspace(domain, RECORD_KEY, 'Recorded');
    const repository = new VariableRepository(domain.db);
    const hubspot = emulator.secretsOf(RECORD_KEY).find((secret) => secret.name === 'HUBSPOT_PRIVATE_APP_TOKEN')!.id;
    const created = await withApi(RECORD_KEY, (api) =>
      api.createEnvironmentVariable({
        label: 'CRM_TOKEN_NEXT',
        type: 'secret',
        values: { production: { kind: 'secret', secretId: hubspot }, staging: { kind: 'secret', secretId: hubspot } },
      }),
    );
    repository.recordRemote(workspaceId, created, 2_000);
    const recorded = repository.findByLabel(workspaceId, 'CRM_TOKEN_NEXT')!;
    expect(recorded.values.map((value) => [value.environment, value.reference?.name])).toEqual([
      ['production', 'HUBSPOT_PRIVATE_APP_TOKEN'],
      ['staging', 'HUBSPOT_PRIVATE_APP_TOKEN'],
    ]);
    const updated = await withApi(RECORD_KEY, (api) =>
      api.updateEnvironmentVariable({ variableId: created.variableId, values: { staging: null } }),
    );
    repository.recordRemote(workspaceId, updated, 3_000);
    expect(repository.find(workspaceId, created.variableId)!.values.map((value) => value.environment)).toEqual(['production']);
    // The next sync finds it too: it stays, with its first-seen time.
    expect((await call(domain, 'inventory:sync', { workspaceIds: [workspaceId] })).results[0]).toMatchObject({ ok: true });
    expect(repository.findByLabel(workspaceId, 'CRM_TOKEN_NEXT')).toMatchObject({ firstSeenAt: 2_000, removedRemotelyAt: null });
  });

  it('marks a variable the sync no longer lists as removed remotely, and un-marks it when it is back', async () => {
    const domain = newDomain();
    const workspaceId = await syncedWorkspace(domain, DEMO_KEY, 'Production');
    const repository = new VariableRepository(domain.db);
    const all = repository.all([workspaceId]);
    const generation = (domain.db.prepare('SELECT sync_generation FROM workspaces WHERE id = ?').pluck().get(workspaceId) as number) + 1;
    // What a sync that found one variable fewer writes (its variables as the API gave them back).
    const { variables } = await sdkVariables(DEMO_KEY);
    domain.db.transaction(() =>
      repository.replaceAll(
        workspaceId,
        variables.filter((v) => v.label !== 'CALENDAR_ID'),
        generation,
        1_000,
      ),
    )();
    expect(repository.all([workspaceId]).map((v) => v.label)).not.toContain('CALENDAR_ID');
    const gone = repository.all([workspaceId], { includeRemoved: true }).find((v) => v.label === 'CALENDAR_ID')!;
    expect(gone.removedRemotelyAt).toBe(1_000);
    expect(repository.findByLabel(workspaceId, 'CALENDAR_ID')).toBeNull();
    expect(repository.countPresent(workspaceId)).toBe(all.length - 1);

    expect((await call(domain, 'inventory:sync', { workspaceIds: [workspaceId] })).results[0]).toMatchObject({ ok: true });
    expect(repository.findByLabel(workspaceId, 'CALENDAR_ID')).toMatchObject({ removedRemotelyAt: null, variableId: gone.variableId });
  });
});

/** Runs operations of a workspace through the API host (what the plan engine's apply calls). */
async function withApi<T>(apiKey: string, run: (api: WorkspaceApi) => Promise<T>): Promise<T> {
  const gateway = createRemoteGateway(nodeHostLauncher(), defaultApiSettings, silentLogger);
  try {
    return await run(gateway.forWorkspace({ baseUrl: emulator.url, apiKey }));
  } finally {
    gateway.close();
  }
}

/** A workspace's variables in the app's remote shape, straight from the API host's operation. */
function sdkVariables(apiKey: string) {
  return withApi(apiKey, (api) => api.listEnvironmentVariables({}));
}
