import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../emulator/server';
import { AppError } from '../../errors';
import { silentLogger } from '../../logging/logger';
import { defaultApiSettings } from '../types';
import { createRemoteGateway, nodeHostLauncher, type RemoteGateway } from './remote-gateway';
import type { WorkspaceApi } from '../gateway';

// The environment-variable operations from main, through the real API host process running the
// official SDK (client.environmentVariables), against the emulator: what the sync and the plan call.

const DEMO_KEY = 'sk_env_vars_demo_0001';
const BENCH_KEY = 'sk_env_vars_bench_0001';
let emulator: RunningEmulator;
let gateway: RemoteGateway;
let demo: WorkspaceApi;
let bench: WorkspaceApi;

beforeAll(async () => {
  emulator = await startEmulator({ keys: [{ key: DEMO_KEY }, { key: BENCH_KEY, seed: 'bench:20:1234' }] });
  gateway = createRemoteGateway(nodeHostLauncher(), { ...defaultApiSettings, timeoutSeconds: 5, maxRetries: 0 }, silentLogger);
  demo = gateway.forWorkspace({ baseUrl: emulator.url, apiKey: DEMO_KEY });
  bench = gateway.forWorkspace({ baseUrl: emulator.url, apiKey: BENCH_KEY });
});
afterAll(async () => {
  gateway?.close();
  await emulator?.close();
});

async function rejection(call: Promise<unknown>): Promise<AppError> {
  const outcome = await call.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(AppError);
  return outcome as AppError;
}

const secretIdOf = (name: string) => emulator.secretsOf(DEMO_KEY).find((secret) => secret.name === name)!.id;

describe('environment-variable operations through the API host', () => {
  it('lists every variable page by page to the end, each page handed over as it arrives', async () => {
    const pages: number[] = [];
    const { variables, pages: count } = await bench.listEnvironmentVariables({}, { onEvent: (items) => pages.push(items.length) });
    expect(count).toBe(13);
    expect(pages).toEqual([...Array(12).fill(100), 34]);
    expect(variables).toHaveLength(1234);
    expect(new Set(variables.map((v) => v.variableId)).size).toBe(1234);
  });

  it('maps the three kinds of value, and withholds a string that looks like a key in the host', async () => {
    const { variables } = await demo.listEnvironmentVariables({});
    const byLabel = new Map(variables.map((v) => [v.label, v]));
    expect(byLabel.get('API_BASE_URL')!.values.staging).toEqual({
      kind: 'string',
      value: 'https://staging-api.brightsmile-dental.example/v2',
      withheld: null,
    });
    expect(byLabel.get('PAYMENTS_KEY')!.values.staging).toEqual({ kind: 'secret', secretId: secretIdOf('STRIPE_TEST_KEY_OLD') });
    expect(byLabel.get('CRM_AUTH')!.values.production).toEqual({
      kind: 'auth_connection',
      authConnectionId: expect.stringMatching(/^ac_/),
    });
    const key = byLabel.get('ANALYTICS_WRITE_KEY')!;
    expect(key.values.production).toEqual({ kind: 'string', value: null, withheld: { reason: 'key_prefix', hint: 'sk_', length: 35 } });
    expect(JSON.stringify(key)).not.toMatch(/sk_[A-Za-z0-9]{8}/);
  });

  it('passes each filter: label, type, environment (values narrowed to it)', async () => {
    expect((await demo.listEnvironmentVariables({ label: 'CRM_TOKEN' })).variables.map((v) => v.label)).toEqual(['CRM_TOKEN']);
    const secrets = await demo.listEnvironmentVariables({ type: 'secret' });
    expect(secrets.variables.every((v) => v.type === 'secret')).toBe(true);
    expect(secrets.variables).toHaveLength(3);
    const dev = await demo.listEnvironmentVariables({ environment: 'dev', pageSize: 2 });
    expect(dev.pages).toBe(2);
    expect(dev.variables.map((v) => Object.keys(v.values))).toEqual([['dev'], ['dev'], ['dev']]);
  });

  it('creates, gets and updates a variable; null removes an environment', async () => {
    const created = await demo.createEnvironmentVariable({
      label: 'OPS_CHANNEL',
      type: 'secret',
      values: {
        production: { kind: 'secret', secretId: secretIdOf('SLACK_BOT_TOKEN') },
        staging: { kind: 'secret', secretId: secretIdOf('SLACK_BOT_TOKEN') },
      },
    });
    expect(created).toMatchObject({ label: 'OPS_CHANNEL', type: 'secret', variableId: expect.stringMatching(/^env_/) });
    const updated = await demo.updateEnvironmentVariable({
      variableId: created.variableId,
      values: { staging: null, dev: { kind: 'secret', secretId: secretIdOf('HUBSPOT_PRIVATE_APP_TOKEN') } },
    });
    expect(Object.keys(updated.values).sort()).toEqual(['dev', 'production']);
    expect(await demo.getEnvironmentVariable({ variableId: created.variableId })).toEqual(updated);
  });

  it('says clearly what the API refused: 400, 404, 409 and 422 each name what was wrong', async () => {
    const duplicate = await rejection(
      demo.createEnvironmentVariable({ label: 'API_BASE_URL', type: 'string', values: { production: { kind: 'string', value: 'x' } } }),
    );
    expect(duplicate.code).toBe('remote_rejected');
    expect(duplicate.message).toMatch(/HTTP 409.*API_BASE_URL already exists/);

    const empty = await rejection(
      demo.createEnvironmentVariable({ label: 'EMPTY_ONE', type: 'string', values: { production: { kind: 'string', value: '' } } }),
    );
    expect(empty.message).toMatch(/HTTP 422.*values\.production: String should have at least 1 character/);

    const badLabel = await rejection(
      demo.createEnvironmentVariable({ label: 'has space', type: 'string', values: { production: { kind: 'string', value: 'x' } } }),
    );
    expect(badLabel.message).toMatch(/HTTP 422.*label: String should match pattern/);

    const noProduction = await rejection(
      demo.createEnvironmentVariable({ label: 'NO_PROD', type: 'string', values: { staging: { kind: 'string', value: 'x' } } }),
    );
    expect(noProduction.message).toMatch(/HTTP 400.*production/);

    const { variables } = await demo.listEnvironmentVariables({ label: 'CALENDAR_ID' });
    const clear = await rejection(demo.updateEnvironmentVariable({ variableId: variables[0]!.variableId, values: { production: null } }));
    expect(clear.message).toMatch(/HTTP 400.*'production' value cannot be removed/);

    const missing = await rejection(demo.getEnvironmentVariable({ variableId: 'env_gone' }));
    expect(missing.code).toBe('remote_not_found');

    const mixed = await rejection(
      demo.createEnvironmentVariable({ label: 'MIXED', type: 'string', values: { production: { kind: 'secret', secretId: 'sec_x' } } }),
    );
    expect(mixed).toMatchObject({ code: 'invalid_request', extra: { field: 'values.production' } });

    const labels = (await demo.listEnvironmentVariables({})).variables.map((v) => v.label);
    for (const refused of ['EMPTY_ONE', 'NO_PROD', 'MIXED', 'has space']) expect(labels).not.toContain(refused);
  });

  it('refuses a listing reply it cannot understand, naming no server text', async () => {
    emulator.injectFault({ malformed: true, count: 1, pathPrefix: '/v1/convai/environment-variables' });
    const broken = await rejection(demo.listEnvironmentVariables({}));
    expect(broken.code).toBe('unexpected_response');
  });
});
