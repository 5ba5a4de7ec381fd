import { ElevenLabs } from '@elevenlabs/elevenlabs-js';
import { describe, expect, it } from 'vitest';
import { startEmulator } from './server';
import { FULL_KEY, raw, sdk, sdkError, useEmulator } from '../../test/support/emulator';

const BENCH_KEY = 'sk_test_bench';
const EMPTY_KEY = 'sk_test_empty';

type StoredSecret = ElevenLabs.ConvAiWorkspaceStoredSecretConfig;

describe('secrets: list', () => {
  const emulator = useEmulator({
    keys: [{ key: FULL_KEY }, { key: BENCH_KEY, seed: 'bench:250' }, { key: EMPTY_KEY, seed: 'empty' }],
  });

  it('returns every demo secret in name order when page_size is omitted', async () => {
    const page = await sdk(emulator()).conversationalAi.secrets.list();
    const names = page.secrets.map((secret) => secret.name);
    expect(names.length).toBeGreaterThanOrEqual(12);
    expect(names).toEqual([...names].sort());
    expect(names).toContain('GOOGLE_CALENDAR_TOKEN');
    expect(page.nextCursor ?? null).toBeNull();
    for (const secret of page.secrets) {
      expect(secret.type).toBe('stored');
      expect(secret.usedBy.others.every((other) => other === 'conversation_initiation_webhook')).toBe(true);
    }
  });

  it('derives used_by from agents, tools, phone numbers, MCP servers and the webhook', async () => {
    const { secrets } = await sdk(emulator()).conversationalAi.secrets.list();
    const byName = new Map(secrets.map((secret) => [secret.name, secret]));
    const usedBy = (name: string) => (byName.get(name) as StoredSecret).usedBy;

    const calendar = usedBy('GOOGLE_CALENDAR_TOKEN');
    expect(calendar.tools.map((tool) => tool.type === 'available' && tool.name)).toEqual([
      'check_calendar_availability',
      'book_appointment',
    ]);
    const indirect = calendar.agents.filter((agent) => (agent.referencedResourceIds ?? []).length > 0);
    expect(indirect.length).toBeGreaterThanOrEqual(2);

    const stripe = usedBy('STRIPE_RESTRICTED_KEY');
    expect(stripe.tools.some((tool) => tool.type === 'unknown' && tool.id.startsWith('tool_'))).toBe(true);
    expect(stripe.agents.some((agent) => agent.type === 'unknown')).toBe(true);

    expect(usedBy('TWILIO_AUTH_TOKEN').phoneNumbers?.map((phone) => phone.provider)).toEqual(['twilio', 'twilio']);
    expect(usedBy('SIP_TRUNK_PASSWORD').phoneNumbers?.[0]?.provider).toBe('sip_trunk');
    expect(usedBy('MCP_DOCS_API_KEY').mcpServers?.[0]).toMatchObject({ type: 'available', name: 'Internal Docs MCP' });
    expect(usedBy('WEBHOOK_SIGNING_SECRET').others).toEqual(['conversation_initiation_webhook']);

    const dependantCount = ({ usedBy: u }: StoredSecret) =>
      u.tools.length + u.agents.length + u.others.length + (u.phoneNumbers?.length ?? 0) + (u.mcpServers?.length ?? 0);
    const unused = secrets.filter((secret) => dependantCount(secret) === 0);
    expect(unused.map((secret) => secret.name)).toContain('OLD_ZENDESK_TOKEN_2023');
    expect(unused.length / secrets.length).toBeGreaterThan(0.2);
    expect(unused.length / secrets.length).toBeLessThan(0.45);
  });

  it('pages through bench:250 in pages of 100', async () => {
    const client = sdk(emulator(), BENCH_KEY);
    const seen = new Set<string>();
    const pageSizes: number[] = [];
    const cursors: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.conversationalAi.secrets.list({ pageSize: 100, cursor });
      pageSizes.push(page.secrets.length);
      for (const secret of page.secrets) seen.add(secret.secretId);
      cursor = page.nextCursor ?? undefined;
      if (cursor !== undefined) cursors.push(cursor);
    } while (cursor !== undefined);
    expect(pageSizes).toEqual([100, 100, 50]);
    expect(seen.size).toBe(250);
    // The SDK turns null into undefined; on the wire the last page says null.
    const last = await raw(emulator(), 'GET', `/v1/convai/secrets?page_size=100&cursor=${cursors[1]}`, { apiKey: BENCH_KEY });
    expect(last.json).toMatchObject({ next_cursor: null });
  });

  it('keeps a prefix search across pages', async () => {
    const client = sdk(emulator(), BENCH_KEY);
    const all = (await client.conversationalAi.secrets.list()).secrets.map((secret) => secret.name);
    const prefix = (all[0] as string).split('_')[0] as string;
    const expected = all.filter((name) => name.startsWith(prefix));
    expect(expected.length).toBeGreaterThan(3);

    const found: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.conversationalAi.secrets.list({ pageSize: 3, search: prefix, cursor });
      found.push(...page.secrets.map((secret) => secret.name));
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    expect(found).toEqual(expected);
    const substring = await client.conversationalAi.secrets.list({ search: prefix.slice(1) });
    expect(substring.secrets.filter((s) => s.name.startsWith(prefix))).toEqual([]);
  });

  it('is case-sensitive by default', async () => {
    const page = await sdk(emulator()).conversationalAi.secrets.list({ search: 'google' });
    expect(page.secrets).toEqual([]);
  });

  it('rejects page_size 0, 101 and x with pydantic 422 items', async () => {
    const client = sdk(emulator());
    const tooSmall = await sdkError(client.conversationalAi.secrets.list({ pageSize: 0 }));
    expect(tooSmall).toBeInstanceOf(ElevenLabs.UnprocessableEntityError);
    expect(tooSmall.statusCode).toBe(422);
    expect(tooSmall.body).toEqual({
      detail: [
        {
          type: 'greater_than_equal',
          loc: ['query', 'page_size'],
          msg: 'Input should be greater than or equal to 1',
          input: '0',
          ctx: { ge: 1 },
        },
      ],
    });
    const tooBig = await sdkError(client.conversationalAi.secrets.list({ pageSize: 101 }));
    expect(tooBig.body).toMatchObject({
      detail: [
        { type: 'less_than_equal', loc: ['query', 'page_size'], msg: 'Input should be less than or equal to 100', ctx: { le: 100 } },
      ],
    });
    const notANumber = await raw(emulator(), 'GET', '/v1/convai/secrets?page_size=x', { apiKey: FULL_KEY });
    expect(notANumber.status).toBe(422);
    expect(notANumber.headers.get('content-type')).toBe('application/json');
    expect(notANumber.json).toMatchObject({ detail: [{ type: 'int_parsing', loc: ['query', 'page_size'], input: 'x' }] });
    const badLimit = await sdkError(client.conversationalAi.secrets.list({ dependencyLimit: 0 }));
    expect(badLimit.body).toMatchObject({ detail: [{ type: 'greater_than_equal', loc: ['query', 'dependency_limit'] }] });
  });

  it('cuts dependants at dependency_limit and says so', async () => {
    const { secrets } = await sdk(emulator()).conversationalAi.secrets.list({ dependencyLimit: 1, search: 'GOOGLE_CALENDAR_TOKEN' });
    const usedBy = (secrets[0] as StoredSecret).usedBy;
    expect(usedBy.tools).toHaveLength(1);
    expect(usedBy.toolsHasMore).toBe(true);
    expect(usedBy.agents).toHaveLength(1);
    expect(usedBy.agentsHasMore).toBe(true);
    const twilio = await sdk(emulator()).conversationalAi.secrets.list({ dependencyLimit: 1, search: 'TWILIO' });
    expect((twilio.secrets[0] as StoredSecret).usedBy.phoneNumbersHasMore).toBe(true);
  });

  it('refuses a garbled cursor and a cursor from another search with a 400 JSON detail', async () => {
    const client = sdk(emulator(), BENCH_KEY);
    const garbled = await sdkError(client.conversationalAi.secrets.list({ pageSize: 10, cursor: 'not-a-cursor' }));
    expect(garbled.statusCode).toBe(400);
    expect(garbled.body).toMatchObject({ detail: { status: 'invalid_cursor' } });
    const first = await client.conversationalAi.secrets.list({ pageSize: 10 });
    const moved = await sdkError(client.conversationalAi.secrets.list({ pageSize: 10, search: 'a', cursor: first.nextCursor ?? '' }));
    expect(moved.statusCode).toBe(400);
  });

  it('lists nothing in the empty seed', async () => {
    const page = await sdk(emulator(), EMPTY_KEY).conversationalAi.secrets.list({ pageSize: 10 });
    expect(page.secrets).toEqual([]);
    expect(page.nextCursor ?? null).toBeNull();
  });
});

describe('secrets: get, create, update, delete', () => {
  const emulator = useEmulator();
  const findByName = async (name: string) =>
    (await sdk(emulator()).conversationalAi.secrets.list({ search: name })).secrets.find((s) => s.name === name);

  it('creates (200), gets, renames and deletes (204) a secret without ever returning its value', async () => {
    const client = sdk(emulator());
    const value = 'canary-value-7f3a9c';
    const created = await client.conversationalAi.secrets.create({ name: 'NEW_TOKEN', value });
    expect(created).toEqual({ type: 'stored', secretId: expect.any(String), name: 'NEW_TOKEN' });

    const fetched = await client.conversationalAi.secrets.get(created.secretId);
    expect(fetched).toMatchObject({ type: 'stored', secretId: created.secretId, name: 'NEW_TOKEN' });
    expect(fetched.usedBy).toMatchObject({ tools: [], agents: [], others: [] });

    const updated = await client.conversationalAi.secrets.update(created.secretId, { name: 'AAA_RENAMED', value: `${value}-2` });
    expect(updated).toEqual({ type: 'stored', secretId: created.secretId, name: 'AAA_RENAMED' });
    const first = await client.conversationalAi.secrets.list({ pageSize: 1 });
    expect(first.secrets[0]?.name).toBe('AAA_RENAMED');

    for (const path of ['/v1/convai/secrets', `/v1/convai/secrets/${created.secretId}`]) {
      const reply = await raw(emulator(), 'GET', path, { apiKey: FULL_KEY });
      expect(reply.text).not.toContain(value);
    }

    const deleted = await raw(emulator(), 'DELETE', `/v1/convai/secrets/${created.secretId}`, { apiKey: FULL_KEY });
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    const gone = await sdkError(client.conversationalAi.secrets.get(created.secretId));
    expect(gone.statusCode).toBe(404);
    expect(gone.body).toMatchObject({ detail: { status: 'secret_not_found' } });
  });

  it('deletes through the SDK', async () => {
    const client = sdk(emulator());
    const created = await client.conversationalAi.secrets.create({ name: 'TO_DELETE', value: 'v' });
    await expect(client.conversationalAi.secrets.delete(created.secretId)).resolves.toBeUndefined();
    expect(await findByName('TO_DELETE')).toBeUndefined();
  });

  it('refuses to delete a secret in use, names who uses it, and keeps it', async () => {
    const client = sdk(emulator());
    const calendar = await findByName('GOOGLE_CALENDAR_TOKEN');
    const refused = await sdkError(client.conversationalAi.secrets.delete(calendar?.secretId ?? ''));
    expect(refused.statusCode).toBe(400);
    const detail = (refused.body as { detail: { status: string; message: string } }).detail;
    expect(detail.status).toBe('secret_in_use');
    expect(detail.message).toContain('check_calendar_availability');
    expect(await findByName('GOOGLE_CALENDAR_TOKEN')).toBeDefined();

    const webhookOnly = await findByName('WEBHOOK_SIGNING_SECRET');
    const refusedWebhook = await sdkError(client.conversationalAi.secrets.delete(webhookOnly?.secretId ?? ''));
    expect((refusedWebhook.body as { detail: { message: string } }).detail.message).toContain('webhook');
  });

  it('answers 404 for unknown ids, decoding percent-encoded path ids', async () => {
    const client = sdk(emulator());
    const calls = [
      () => client.conversationalAi.secrets.get('nope'),
      () => client.conversationalAi.secrets.update('nope', { name: 'X', value: 'y' }),
      () => client.conversationalAi.secrets.delete('nope'),
      () => client.conversationalAi.secrets.getDependencies('nope', 'tools'),
    ];
    for (const call of calls) {
      const error = await sdkError(call());
      expect(error.statusCode).toBe(404);
      expect(error.body).toEqual({ detail: { status: 'secret_not_found', message: 'Secret with id nope was not found.' } });
    }
    const encoded = await raw(emulator(), 'GET', '/v1/convai/secrets/no%2Fsuch%20id', { apiKey: FULL_KEY });
    expect((encoded.json as { detail: { message: string } }).detail.message).toContain('no/such id');
  });

  it("refuses names outside the app's rule with 422 string_pattern_mismatch or string_too_long", async () => {
    for (const [name, type] of [
      ['has space', 'string_pattern_mismatch'],
      ['9STARTS_WITH_DIGIT', 'string_pattern_mismatch'],
      ['x'.repeat(101), 'string_too_long'],
    ] as const) {
      const reply = await raw(emulator(), 'POST', '/v1/convai/secrets', { apiKey: FULL_KEY, body: { type: 'new', name, value: 'v' } });
      expect(reply.status).toBe(422);
      expect((reply.json as { detail: { type: string; loc: string[] }[] }).detail[0]).toMatchObject({ type, loc: ['body', 'name'] });
    }
  });

  it('validates create and update bodies like pydantic', async () => {
    const post = (body: unknown) => raw(emulator(), 'POST', '/v1/convai/secrets', { apiKey: FULL_KEY, body });
    const missingValue = await post({ type: 'new', name: 'A' });
    expect(missingValue.status).toBe(422);
    expect(missingValue.json).toEqual({
      detail: [{ type: 'missing', loc: ['body', 'value'], msg: 'Field required', input: { type: 'new', name: 'A' } }],
    });
    expect((await post({ type: 'stored', name: 'A', value: 'v' })).json).toMatchObject({
      detail: [{ type: 'literal_error', loc: ['body', 'type'], msg: "Input should be 'new'" }],
    });
    expect((await post({ type: 'new', name: 5, value: 'v' })).json).toMatchObject({
      detail: [{ type: 'string_type', loc: ['body', 'name'] }],
    });
    const badJson = await raw(emulator(), 'POST', '/v1/convai/secrets', { apiKey: FULL_KEY, rawBody: '{"type":' });
    expect(badJson.status).toBe(422);
    expect(badJson.json).toMatchObject({ detail: [{ type: 'json_invalid', loc: ['body', 0] }] });

    const calendar = await findByName('GOOGLE_CALENDAR_TOKEN');
    const patch = await raw(emulator(), 'PATCH', `/v1/convai/secrets/${calendar?.secretId}`, {
      apiKey: FULL_KEY,
      body: { type: 'new', name: 'X', value: 'v' },
    });
    expect(patch.json).toMatchObject({ detail: [{ type: 'literal_error', loc: ['body', 'type'], msg: "Input should be 'update'" }] });
    const missingUpdateValue = await raw(emulator(), 'PATCH', `/v1/convai/secrets/${calendar?.secretId}`, {
      apiKey: FULL_KEY,
      body: { type: 'update', name: 'X' },
    });
    expect(missingUpdateValue.json).toMatchObject({ detail: [{ type: 'missing', loc: ['body', 'value'] }] });
  });
});

describe('secrets: dependencies route', () => {
  const emulator = useEmulator();

  it('pages each resource type with its own cursor', async () => {
    const client = sdk(emulator());
    const { secrets } = await client.conversationalAi.secrets.list({ search: 'GOOGLE_CALENDAR_TOKEN' });
    const id = secrets[0]?.secretId ?? '';
    const tools = await client.conversationalAi.secrets.getDependencies(id, 'tools');
    expect(tools.dependencies).toHaveLength(2);
    expect(tools.nextCursor ?? null).toBeNull();

    const agents: unknown[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await client.conversationalAi.secrets.getDependencies(id, 'agents', { pageSize: 1, cursor });
      agents.push(...page.dependencies);
      cursor = page.nextCursor ?? undefined;
      pages += 1;
    } while (cursor !== undefined);
    expect(pages).toBe(agents.length);
    expect(agents.length).toBeGreaterThanOrEqual(2);

    const twilio = (await client.conversationalAi.secrets.list({ search: 'TWILIO_AUTH_TOKEN' })).secrets[0]?.secretId ?? '';
    const phones = await client.conversationalAi.secrets.getDependencies(twilio, 'phone_numbers');
    expect(phones.dependencies).toEqual([
      expect.objectContaining({ phoneNumber: '+14155550123', provider: 'twilio' }),
      expect.objectContaining({ phoneNumber: '+12125550187', provider: 'twilio' }),
    ]);
  });

  it('defaults to pages of 20 and refuses an unknown resource type with 422', async () => {
    const bench = await startEmulator({ keys: [{ key: 'sk_deps', seed: 'bench:3000' }] });
    try {
      const client = sdk(bench, 'sk_deps');
      const { secrets } = await client.conversationalAi.secrets.list({ dependencyLimit: 1 });
      const busy = secrets.find((secret) => secret.usedBy.agentsHasMore || secret.usedBy.toolsHasMore);
      expect(busy).toBeDefined();
      const { secrets: full } = await client.conversationalAi.secrets.list({ search: busy?.name ?? '' });
      const type = busy?.usedBy.agentsHasMore ? 'agents' : 'tools';
      const total = type === 'agents' ? full[0]?.usedBy.agents.length : full[0]?.usedBy.tools.length;
      const page = await client.conversationalAi.secrets.getDependencies(busy?.secretId ?? '', type);
      expect(page.dependencies.length).toBe(Math.min(20, total ?? 0));
      const wrongType = await raw(bench, 'GET', `/v1/convai/secrets/${busy?.secretId}/dependencies/widgets`, { apiKey: 'sk_deps' });
      expect(wrongType.status).toBe(422);
      expect(wrongType.json).toEqual({
        detail: [
          {
            type: 'enum',
            loc: ['path', 'resource_type'],
            msg: "Input should be 'tools', 'agents' or 'phone_numbers'",
            input: 'widgets',
            ctx: { expected: "'tools', 'agents' or 'phone_numbers'" },
          },
        ],
      });
    } finally {
      await bench.close();
    }
  });
});

describe('secrets: options', () => {
  it('searches case-insensitively and refuses in-use deletes with the configured status', async () => {
    const emulator = await startEmulator({ keys: [{ key: FULL_KEY }], caseSensitiveSearch: false, inUseDeleteStatus: 409 });
    try {
      const client = sdk(emulator);
      const page = await client.conversationalAi.secrets.list({ search: 'google', pageSize: 1 });
      expect(page.secrets.map((secret) => secret.name)).toEqual(['GOOGLE_CALENDAR_TOKEN']);
      const refused = await sdkError(client.conversationalAi.secrets.delete(page.secrets[0]?.secretId ?? ''));
      expect(refused.statusCode).toBe(409);
    } finally {
      await emulator.close();
    }
  });
});
