import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildDomain,
  call,
  callError,
  clearKeychainService,
  databaseSnapshot,
  removeTempDirs,
  testKeychainService,
} from '../../../test/support/harness';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import type { Plan } from '../../shared/schemas/push';
import type { Domain } from '../app/composition';

// Environment variables changed through the one plan engine, with the real SQLite and the SDK
// against the emulator: a variable added, cells set and cleared, bad input refused naming the
// field with nothing written, and a promotion (same workspace and across workspaces) whose
// references are resolved by name in the target, saying what cannot be.

const STAGING_KEY = 'sk_push_vars_staging01';
const PRODUCTION_KEY = 'sk_push_vars_product01';
const keychainService = testKeychainService();
/** A key pasted into a plain string value: refused, and never repeated in the error. */
const KEY_SHAPED = 'sk_live_4eC39HqLyjWDarjtT1zdp7dcQx9Wb2kZ';
let emulator: RunningEmulator;
let domain: Domain;
let staging: string;
let production: string;

type WireVariable = {
  id: string;
  label: string;
  type: string;
  values: Record<string, string | { secret_id?: string; auth_connection_id?: string }>;
};

async function api<T>(key: string, path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(`${emulator.url}${path}`, { ...init, headers: { 'xi-api-key': key, 'content-type': 'application/json' } });
  return (await response.json()) as T;
}
const variable = async (key: string, label: string) =>
  (await api<{ environment_variables: WireVariable[] }>(key, `/v1/convai/environment-variables?label=${label}`)).environment_variables[0];
const secretId = async (key: string, name: string) =>
  (await api<{ secrets: { secret_id: string; name: string }[] }>(key, '/v1/convai/secrets')).secrets.find((s) => s.name === name)!
    .secret_id;

const plan = (over: Record<string, unknown>) =>
  call(domain, 'push:plan', { secretIds: [], workspaceIds: [], force: false, deletions: [], ...over });
/** The variable changes of a plan (unchanged ones are listed as left alone, not here). */
const rows = (p: Plan) =>
  p.items
    .filter((i) => i.kind === 'variable' && i.action !== 'unchanged')
    .map((i) => [i.action, i.newName, i.cells.map((c) => c.environment)]);

beforeAll(async () => {
  emulator = await startEmulator({
    keys: [
      { key: STAGING_KEY, seed: 'demo' },
      { key: PRODUCTION_KEY, seed: 'demo' },
    ],
  });
  await clearKeychainService(keychainService);
  domain = buildDomain({ keychainService });
  for (const [label, apiKey] of [
    ['Staging', STAGING_KEY],
    ['Production', PRODUCTION_KEY],
  ] as const) {
    const added = await call(domain, 'workspaces:add', { label, residency: 'custom', baseUrl: emulator.url, apiKey });
    if (added.outcome !== 'saved') throw new Error(JSON.stringify(added));
    if (label === 'Staging') staging = added.workspace.id;
    else production = added.workspace.id;
  }
  await call(domain, 'inventory:sync', { workspaceIds: [] });
});

afterAll(async () => {
  domain.close();
  await emulator.close();
  await clearKeychainService(keychainService);
  removeTempDirs();
});

describe('environment variables through the plan', () => {
  it('adds a variable, sets and clears cells, and sends nothing until applied', async () => {
    const p = await plan({
      variableEdits: [
        {
          workspaceId: staging,
          label: 'SUPPORT_EMAIL',
          add: true,
          values: { production: { kind: 'string', value: 'help@example.com' }, staging: { kind: 'string', value: 'qa@example.com' } },
        },
        { workspaceId: staging, label: 'API_BASE_URL', values: { dev: { kind: 'string', value: 'http://localhost:9090/v2' } } },
        { workspaceId: staging, label: 'CALENDAR_ID', values: { staging: null } },
        { workspaceId: staging, label: 'CRM_TOKEN', values: { dev: { kind: 'secret', name: 'HUBSPOT_PRIVATE_APP_TOKEN' } } },
        // The same value it has: nothing to send.
        { workspaceId: staging, label: 'TRANSFER_PHONE_NUMBER', values: { dev: { kind: 'string', value: '+14155550100' } } },
      ],
    });
    expect(rows(p)).toEqual([
      ['create', 'SUPPORT_EMAIL', ['production', 'staging']],
      ['update', 'API_BASE_URL', ['dev']],
      ['update', 'CALENDAR_ID', ['staging']],
      ['update', 'CRM_TOKEN', ['dev']],
    ]);
    expect(p.items.find((i) => i.newName === 'TRANSFER_PHONE_NUMBER')).toMatchObject({ action: 'unchanged', status: 'skipped' });
    expect(p.items.find((i) => i.newName === 'CALENDAR_ID')!.cells).toEqual([
      { environment: 'staging', before: 'front-desk-staging@brightsmile-dental.example', after: null },
    ]);
    expect(p.items.find((i) => i.newName === 'CRM_TOKEN')!.cells[0]!.after).toBe('secret “HUBSPOT_PRIVATE_APP_TOKEN”');
    expect(await variable(STAGING_KEY, 'SUPPORT_EMAIL')).toBeUndefined();

    const applied = await call(domain, 'push:apply', { planId: p.id });
    expect(applied.items.filter((i) => i.status === 'done')).toHaveLength(4);
    expect((await variable(STAGING_KEY, 'SUPPORT_EMAIL'))!.values).toEqual({ production: 'help@example.com', staging: 'qa@example.com' });
    expect((await variable(STAGING_KEY, 'API_BASE_URL'))!.values.dev).toBe('http://localhost:9090/v2');
    expect((await variable(STAGING_KEY, 'CALENDAR_ID'))!.values).not.toHaveProperty('staging');
    expect((await variable(STAGING_KEY, 'CRM_TOKEN'))!.values.dev).toEqual({
      secret_id: await secretId(STAGING_KEY, 'HUBSPOT_PRIVATE_APP_TOKEN'),
    });
    // The re-sync after the apply shows it in the matrix.
    const listed = await call(domain, 'variables:list', { workspaceId: staging, kind: null, environment: null });
    expect(listed.variables.map((v) => v.label)).toContain('SUPPORT_EMAIL');
    const activity = await call(domain, 'activity:list', {
      workspaceId: staging,
      action: 'push_update',
      result: null,
      query: 'CALENDAR_ID',
      offset: 0,
      limit: 5,
    });
    expect(activity.entries[0]).toMatchObject({ subject: 'CALENDAR_ID', detail: 'environment variable; staging cleared' });
  });

  it('refuses bad input naming the field, and writes nothing', async () => {
    const before = databaseSnapshot(domain.db);
    const edit = (over: Record<string, unknown>) => ({ workspaceId: staging, label: 'NEW_ONE', values: {}, ...over });
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [edit({ label: 'has space', values: { production: { kind: 'string', value: 'x' } } }), 'variableEdits.0.label', /letter or _/],
      [edit({ values: { production: { kind: 'string', value: '' } } }), 'variableEdits.0.values.production.value', /must not be empty/],
      [edit({ label: 'API_BASE_URL', values: { production: null } }), 'variableEdits.0.values.production', /production cannot be cleared/],
      [edit({ values: { staging: { kind: 'string', value: 'x' } } }), 'variableEdits.0.values.production', /needs a production value/],
      [edit({ label: 'API_BASE_URL', add: true, values: { dev: { kind: 'string', value: 'x' } } }), 'variableEdits.0.label', /already has/],
      [edit({ label: 'CRM_TOKEN', values: { dev: { kind: 'string', value: 'x' } } }), 'variableEdits.0.values', /holds secret values/],
      [
        edit({ label: 'CRM_TOKEN', values: { dev: { kind: 'secret', name: 'NO_SUCH_SECRET' } } }),
        'variableEdits.0.values.dev',
        /no secret named/,
      ],
      [
        edit({ label: 'API_BASE_URL', values: { 'Not An Env': { kind: 'string', value: 'x' } } }),
        'variableEdits.0.values.Not An Env',
        /lower-case/,
      ],
      [
        edit({ label: 'API_BASE_URL', values: { dev: { kind: 'string', value: KEY_SHAPED } } }),
        'variableEdits.0.values.dev.value',
        /looks like a credential/,
      ],
    ];
    for (const [variableEdit, field, message] of cases) {
      const problem = await callError(domain, 'push:plan', {
        secretIds: [],
        workspaceIds: [],
        force: false,
        deletions: [],
        variableEdits: [variableEdit],
      });
      expect(problem, field).toMatchObject({ code: 'invalid_request', field });
      expect(problem.message, field).toMatch(message);
      expect(problem.message, field).not.toContain(KEY_SHAPED);
    }
    expect(databaseSnapshot(domain.db)).toEqual(before);
  });

  it('promotes one environment to another in the same workspace, saying what it cannot copy', async () => {
    const p = await plan({
      promotion: { from: { workspaceId: staging, environment: 'staging' }, to: { workspaceId: staging, environment: 'dev' } },
    });
    // A key-shaped string is never read by the app: it is named, not copied.
    expect(p.notes).toEqual([expect.stringContaining('“ANALYTICS_WRITE_KEY”: its staging value looks like a credential')]);
    expect(rows(p).map(([action, label]) => `${action} ${label}`)).toEqual(
      expect.arrayContaining(['update BOOKING_WEBHOOK_URL', 'update CRM_AUTH', 'update PAYMENTS_KEY', 'update API_BASE_URL']),
    );
    // SLACK_ALERTS_TOKEN has the same dev value already.
    expect(rows(p).find(([, label]) => label === 'SLACK_ALERTS_TOKEN')).toBeUndefined();
    await call(domain, 'push:apply', { planId: p.id });
    expect((await variable(STAGING_KEY, 'BOOKING_WEBHOOK_URL'))!.values.dev).toBe(
      'https://hooks.staging.brightsmile-dental.example/booking',
    );
  });

  it('promotes staging of one workspace to production of another, resolving references by name there', async () => {
    // The leftover secret PAYMENTS_KEY's staging value names does not exist in Production.
    const leftover = await secretId(PRODUCTION_KEY, 'STRIPE_TEST_KEY_OLD');
    await api(PRODUCTION_KEY, `/v1/convai/environment-variables/${(await variable(PRODUCTION_KEY, 'PAYMENTS_KEY'))!.id}`, {
      method: 'PATCH',
      body: JSON.stringify({ values: { staging: null } }),
    });
    await fetch(`${emulator.url}/v1/convai/secrets/${leftover}`, { method: 'DELETE', headers: { 'xi-api-key': PRODUCTION_KEY } });
    await call(domain, 'inventory:sync', { workspaceIds: [production] });

    const p = await plan({
      promotion: {
        from: { workspaceId: staging, environment: 'staging' },
        to: { workspaceId: production, environment: 'production' },
        labels: ['CRM_TOKEN', 'PAYMENTS_KEY', 'CRM_AUTH', 'SUPPORT_EMAIL'],
      },
    });
    expect(p.notes).toEqual([
      '“PAYMENTS_KEY”: “Production” has no secret named “STRIPE_TEST_KEY_OLD”: push it there first, then promote again.',
    ]);
    // CRM_TOKEN and CRM_AUTH name the same secret and connection in both: by name, already the same in Production.
    expect(rows(p)).toEqual([['create', 'SUPPORT_EMAIL', ['production']]]);
    expect(p.items[0]!.workspaceId).toBe(production);
    await call(domain, 'push:apply', { planId: p.id });
    expect((await variable(PRODUCTION_KEY, 'SUPPORT_EMAIL'))!.values).toEqual({ production: 'qa@example.com' });
  });

  it('a 500 after the create landed ends with exactly one variable, found by its label', async () => {
    emulator.injectFault({ status: 500, afterHandling: true, method: 'POST', pathPrefix: '/v1/convai/environment-variables', count: 1 });
    const p = await plan({
      variableEdits: [
        { workspaceId: production, label: 'LANDED_ANYWAY', add: true, values: { production: { kind: 'string', value: 'once' } } },
      ],
    });
    expect((await call(domain, 'push:apply', { planId: p.id })).items[0]!.status).toBe('done');
    const all = await api<{ environment_variables: WireVariable[] }>(
      PRODUCTION_KEY,
      '/v1/convai/environment-variables?label=LANDED_ANYWAY',
    );
    expect(all.environment_variables).toHaveLength(1);
  });
});
