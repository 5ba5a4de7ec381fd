// The environment-variable routes through the official SDK (client.environmentVariables), and raw
// HTTP where the SDK refuses to send what a test needs (a missing type, an empty string value).
import { ElevenLabs } from '@elevenlabs/elevenlabs-js';
import { describe, expect, it } from 'vitest';
import { FULL_KEY, raw, sdk, sdkError, useEmulator } from '../../test/support/emulator';
import { parseSeed } from './keys';
import { buildSeed } from './seeds';

const BENCH_KEY = 'sk_test_vars_bench';
const EMPTY_KEY = 'sk_test_vars_empty';
const READ_ONLY_KEY = 'sk_test_vars_read_only';

type Values = Record<string, unknown>;

describe('environment variables', () => {
  const emulator = useEmulator({
    keys: [
      { key: FULL_KEY },
      { key: BENCH_KEY, seed: 'bench:30:250' },
      { key: EMPTY_KEY, seed: 'empty' },
      { key: READ_ONLY_KEY, permissions: ['convai_read'] },
    ],
  });
  const client = (key = FULL_KEY) => sdk(emulator(), key).environmentVariables;
  const secretId = async (name: string, key = FULL_KEY) => {
    const { secrets } = await sdk(emulator(), key).conversationalAi.secrets.list({ search: name });
    return secrets.find((secret) => secret.name === name)!.secretId;
  };
  const connectionId = async (name: string) => {
    const { authConnections } = await sdk(emulator()).workspace.authConnections.list();
    return authConnections.find((connection) => connection.name === name)!.id;
  };

  it('lists the demo variables of all three types, production in each, staging in 9 of 10', async () => {
    const page = await client().list();
    expect(page.hasMore).toBe(false);
    expect(page.nextCursor ?? null).toBeNull();
    const variables = page.environmentVariables;
    expect(variables.map((v) => v.label)).toEqual([
      'ANALYTICS_WRITE_KEY',
      'API_BASE_URL',
      'BILLING_AUTH',
      'BOOKING_WEBHOOK_URL',
      'CALENDAR_ID',
      'CRM_AUTH',
      'CRM_TOKEN',
      'PAYMENTS_KEY',
      'SLACK_ALERTS_TOKEN',
      'TRANSFER_PHONE_NUMBER',
    ]);
    expect(new Set(variables.map((v) => v.type))).toEqual(new Set(['string', 'secret', 'auth_connection']));
    for (const variable of variables) expect(Object.keys(variable.values)).toContain('production');
    expect(variables.filter((v) => 'staging' in (v.values as Values)).length).toBe(9);
    const payments = variables.find((v) => v.label === 'PAYMENTS_KEY')!;
    expect(payments.values).toEqual({
      production: { secretId: await secretId('STRIPE_RESTRICTED_KEY') },
      staging: { secretId: await secretId('STRIPE_TEST_KEY_OLD') },
    });
    expect(variables.find((v) => v.label === 'CRM_AUTH')!.values).toEqual({
      production: { authConnectionId: await connectionId('Salesforce API') },
      staging: { authConnectionId: await connectionId('Salesforce API') },
    });
    expect(payments).toMatchObject({ workspaceId: expect.stringMatching(/^ws_/), createdAtUnixSecs: expect.any(Number) });
  });

  it('pages to the end with cursors, has_more true exactly while a cursor comes back', async () => {
    const labels: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await client(BENCH_KEY).list({ pageSize: 40, cursor });
      pages += 1;
      labels.push(...page.environmentVariables.map((v) => v.label));
      expect(page.hasMore).toBe(page.nextCursor !== undefined && page.nextCursor !== null);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(pages).toBe(7);
    expect(labels).toHaveLength(250);
    expect(new Set(labels).size).toBe(250);
    expect([...labels].sort()).toEqual(labels);
    // The default page size is 100.
    const first = await client(BENCH_KEY).list();
    expect(first.environmentVariables).toHaveLength(100);
    expect(first.hasMore).toBe(true);
  });

  it('filters by exact label, by type and by environment (values then only that environment)', async () => {
    const byLabel = await client().list({ label: 'CRM_TOKEN' });
    expect(byLabel.environmentVariables.map((v) => v.label)).toEqual(['CRM_TOKEN']);
    expect((await client().list({ label: 'CRM' })).environmentVariables).toEqual([]);

    const secrets = await client().list({ type: 'secret' });
    expect(secrets.environmentVariables.map((v) => v.label)).toEqual(['CRM_TOKEN', 'PAYMENTS_KEY', 'SLACK_ALERTS_TOKEN']);
    const connections = await client().list({ type: 'auth_connection' });
    expect(connections.environmentVariables.map((v) => v.label)).toEqual(['BILLING_AUTH', 'CRM_AUTH']);
    expect((await client().list({ type: 'string' })).environmentVariables).toHaveLength(5);

    const dev = await client().list({ environment: 'dev' });
    expect(dev.environmentVariables.map((v) => v.label)).toEqual(['API_BASE_URL', 'SLACK_ALERTS_TOKEN', 'TRANSFER_PHONE_NUMBER']);
    for (const variable of dev.environmentVariables) expect(Object.keys(variable.values)).toEqual(['dev']);

    // Filters combine, and a cursor carries on the same filtered list.
    const staged = await client(BENCH_KEY).list({ environment: 'dev', type: 'string', pageSize: 10 });
    expect(staged.hasMore).toBe(true);
    const next = await client(BENCH_KEY).list({ environment: 'dev', type: 'string', pageSize: 10, cursor: staged.nextCursor });
    for (const variable of [...staged.environmentVariables, ...next.environmentVariables]) {
      expect(variable.type).toBe('string');
      expect(Object.keys(variable.values)).toEqual(['dev']);
    }
    expect(next.environmentVariables[0]!.label > staged.environmentVariables.at(-1)!.label).toBe(true);
  });

  it('refuses bad list parameters: page_size out of 1–100 (422), a bad type (422), a bad environment (400), a foreign cursor (400)', async () => {
    const get = (query: string) => raw(emulator(), 'GET', `/v1/convai/environment-variables?${query}`, { apiKey: FULL_KEY });
    expect((await get('page_size=0')).json).toMatchObject({ detail: [{ type: 'greater_than_equal', loc: ['query', 'page_size'] }] });
    const tooBig = await get('page_size=101');
    expect(tooBig.status).toBe(422);
    expect(tooBig.json).toMatchObject({ detail: [{ type: 'less_than_equal', loc: ['query', 'page_size'], ctx: { le: 100 } }] });
    expect((await get('page_size=ten')).json).toMatchObject({ detail: [{ type: 'int_parsing' }] });
    expect((await sdkError(client().list({ pageSize: 500 }))).statusCode).toBe(422);
    // The SDK refuses an unknown type before sending; the API's answer to one, raw.
    const badType = await get('type=plain');
    expect(badType.status).toBe(422);
    expect(badType.json).toMatchObject({ detail: [{ type: 'enum', loc: ['query', 'type'] }] });
    const badEnvironment = await sdkError(client().list({ environment: 'Not An Environment' }));
    expect(badEnvironment).toBeInstanceOf(ElevenLabs.BadRequestError);
    expect(badEnvironment.body).toMatchObject({ detail: { status: 'invalid_environment' } });

    const page = await client(BENCH_KEY).list({ pageSize: 5 });
    const otherFilter = await sdkError(client(BENCH_KEY).list({ pageSize: 5, type: 'secret', cursor: page.nextCursor }));
    expect(otherFilter.statusCode).toBe(400);
    expect((await sdkError(client(BENCH_KEY).list({ cursor: 'garbled!' }))).statusCode).toBe(400);
  });

  it('creates one of each type, gets it back, and lists it', async () => {
    const hubspot = await secretId('HUBSPOT_PRIVATE_APP_TOKEN');
    const catalog = await connectionId('Product Catalog gateway');
    const text = await client().create({
      type: 'string',
      label: 'SUPPORT_EMAIL',
      values: { production: 'help@example.com', staging: 'help-staging@example.com' },
    });
    expect(text).toMatchObject({ type: 'string', label: 'SUPPORT_EMAIL', id: expect.any(String) });
    const secret = await client().create({ type: 'secret', label: 'CRM_TOKEN_V2', values: { production: { secretId: hubspot } } });
    const connection = await client().create({
      type: 'auth_connection',
      label: 'CATALOG_AUTH',
      values: { production: { authConnectionId: catalog }, dev: { authConnectionId: catalog } },
    });
    expect(await client().get(secret.id)).toMatchObject({ label: 'CRM_TOKEN_V2', values: { production: { secretId: hubspot } } });
    expect(await client().get(connection.id)).toMatchObject({ values: { dev: { authConnectionId: catalog } } });
    expect(await client().get(text.id)).toEqual(text);
    const listed = await client().list({ label: 'SUPPORT_EMAIL' });
    expect(listed.environmentVariables).toEqual([text]);
  });

  it('refuses bad creates: no production (400), a missing secret or connection (400), an empty string (422), a bad label (422), a duplicate (409)', async () => {
    const noProduction = await sdkError(client().create({ type: 'string', label: 'ONLY_STAGING', values: { staging: 'x' } }));
    expect(noProduction).toBeInstanceOf(ElevenLabs.BadRequestError);
    expect(noProduction.body).toMatchObject({ detail: { status: 'production_value_required' } });

    const missingSecret = await sdkError(
      client().create({ type: 'secret', label: 'GHOST_SECRET', values: { production: { secretId: 'sec_nope' } } }),
    );
    expect(missingSecret.statusCode).toBe(400);
    expect(missingSecret.body).toMatchObject({
      detail: { status: 'secret_not_found', message: expect.stringContaining('values.production') },
    });
    const missingConnection = await sdkError(
      client().create({ type: 'auth_connection', label: 'GHOST_AUTH', values: { production: { authConnectionId: 'ac_nope' } } }),
    );
    expect(missingConnection.body).toMatchObject({ detail: { status: 'auth_connection_not_found' } });

    const post = (body: unknown) => raw(emulator(), 'POST', '/v1/convai/environment-variables', { apiKey: FULL_KEY, body });
    const empty = await post({ type: 'string', label: 'EMPTY', values: { production: '' } });
    expect(empty.status).toBe(422);
    expect(empty.json).toMatchObject({
      detail: [{ type: 'string_too_short', loc: ['body', 'string', 'values', 'production'], ctx: { min_length: 1 } }],
    });
    expect((await sdkError(client().create({ type: 'string', label: 'EMPTY', values: { production: '' } }))).statusCode).toBe(422);
    const badLabel = await post({ type: 'string', label: 'has space', values: { production: 'x' } });
    expect(badLabel.json).toMatchObject({ detail: [{ type: 'string_pattern_mismatch', loc: ['body', 'string', 'label'] }] });
    expect((await post({ label: 'X', values: { production: 'x' } })).json).toMatchObject({
      detail: [{ type: 'union_tag_not_found', loc: ['body'] }],
    });
    expect((await post({ type: 'number', label: 'X', values: { production: 'x' } })).json).toMatchObject({
      detail: [{ type: 'union_tag_invalid', loc: ['body'] }],
    });
    const wrongShape = await post({ type: 'secret', label: 'WRONG', values: { production: 'sec_plain_string' } });
    expect(wrongShape.json).toMatchObject({ detail: [{ type: 'model_attributes_type', loc: ['body', 'secret', 'values', 'production'] }] });

    const duplicate = await sdkError(
      client().create({ type: 'string', label: 'API_BASE_URL', values: { production: 'https://x.example' } }),
    );
    expect(duplicate).toBeInstanceOf(ElevenLabs.ConflictError);
    expect(duplicate.statusCode).toBe(409);
    // Nothing half-written: none of the refused labels exists.
    const labels = (await client().list()).environmentVariables.map((v) => v.label);
    for (const refused of ['ONLY_STAGING', 'GHOST_SECRET', 'GHOST_AUTH', 'EMPTY', 'WRONG']) expect(labels).not.toContain(refused);
    expect(labels.filter((label) => label === 'API_BASE_URL')).toHaveLength(1);
  });

  it('patches: each key replaces its environment, null removes one, others stay', async () => {
    const created = await client().create({
      type: 'string',
      label: 'PATCH_ME',
      values: { production: 'p1', staging: 's1', dev: 'd1' },
    });
    const patched = await client().update(created.id, {
      values: { staging: 's2', qa: 'q1', dev: null as unknown as undefined },
    });
    expect(patched.values).toEqual({ production: 'p1', staging: 's2', qa: 'q1' });
    expect(patched.updatedAtUnixSecs).toBeGreaterThanOrEqual(created.updatedAtUnixSecs);
    expect((await client().get(created.id)).values).toEqual({ production: 'p1', staging: 's2', qa: 'q1' });
  });

  it('refuses bad patches with nothing changed: clearing production (400), another kind (400), an empty string (422), unknown id (404)', async () => {
    const created = await client().create({ type: 'string', label: 'GUARDED', values: { production: 'p', staging: 's' } });
    const clearProduction = await sdkError(
      client().update(created.id, { values: { staging: 'changed', production: null as unknown as undefined } }),
    );
    expect(clearProduction).toBeInstanceOf(ElevenLabs.BadRequestError);
    expect(clearProduction.body).toMatchObject({ detail: { status: 'production_value_required' } });
    const hubspot = await secretId('HUBSPOT_PRIVATE_APP_TOKEN');
    const mismatch = await sdkError(client().update(created.id, { values: { staging: 'changed', dev: { secretId: hubspot } } }));
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.body).toMatchObject({ detail: { status: 'environment_variable_type_mismatch' } });
    const empty = await raw(emulator(), 'PATCH', `/v1/convai/environment-variables/${created.id}`, {
      apiKey: FULL_KEY,
      body: { values: { staging: '' } },
    });
    expect(empty.status).toBe(422);
    expect(empty.json).toMatchObject({ detail: [{ type: 'string_too_short', loc: ['body', 'values', 'staging'] }] });
    expect((await client().get(created.id)).values).toEqual({ production: 'p', staging: 's' });

    const unknown = await sdkError(client().update('env_missing', { values: { staging: 'x' } }));
    expect(unknown).toBeInstanceOf(ElevenLabs.NotFoundError);
    expect(unknown.body).toMatchObject({ detail: { status: 'environment_variable_not_found' } });
    const unknownGet = await sdkError(client().get('env_missing'));
    expect(unknownGet.statusCode).toBe(404);
  });

  it('lets a referenced secret be deleted: the variable keeps the id, which names nothing', async () => {
    const secrets = sdk(emulator()).conversationalAi.secrets;
    const created = await secrets.create({ name: 'REFERENCED_ONLY_BY_A_VARIABLE', value: 'x'.repeat(20) });
    const variable = await client().create({ type: 'secret', label: 'DANGLING', values: { production: { secretId: created.secretId } } });
    await secrets.delete(created.secretId);
    expect((await client().get(variable.id)).values).toEqual({ production: { secretId: created.secretId } });
  });

  it('needs convai_write to write, convai_read to read; an empty workspace lists nothing', async () => {
    expect((await client(READ_ONLY_KEY).list()).environmentVariables.length).toBe(10);
    const refused = await sdkError(client(READ_ONLY_KEY).create({ type: 'string', label: 'NOPE', values: { production: 'x' } }));
    expect(refused.statusCode).toBe(401);
    expect(refused.body).toMatchObject({ detail: { status: 'missing_permissions' } });
    expect(await client(EMPTY_KEY).list()).toEqual({ environmentVariables: [], hasMore: false });
  });
});

describe('environment variable seeds', () => {
  it('bench:N has 12 variables of all three types; bench:N:V has V, the same on every build, all with production and staging', () => {
    const twelve = buildSeed('bench:50', 'sk_seed').environmentVariables;
    expect(twelve).toHaveLength(12);
    expect(new Set(twelve.map((v) => v.type))).toEqual(new Set(['string', 'secret', 'auth_connection']));
    const many = buildSeed('bench:50:1000', 'sk_seed').environmentVariables;
    expect(many).toHaveLength(1000);
    expect(new Set(many.map((v) => v.label)).size).toBe(1000);
    for (const variable of many) expect([...variable.values.keys()].slice(0, 2)).toEqual(['production', 'staging']);
    expect(buildSeed('bench:50:1000', 'sk_seed').environmentVariables).toEqual(many);
    // With no secrets to name, no secret variables.
    expect(new Set(buildSeed('bench:0:30', 'sk_seed').environmentVariables.map((v) => v.type))).toEqual(
      new Set(['string', 'auth_connection']),
    );
  });

  it('accepts bench:N:V seeds and refuses V over the limit', () => {
    expect(parseSeed('bench:10:20')).toBe('bench:10:20');
    expect(() => parseSeed('bench:10:20000')).toThrow(/bench:N:V/);
    expect(() => parseSeed('bench:10:x')).toThrow(/seed/);
  });
});
