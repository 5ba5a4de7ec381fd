import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { channelNames, channels } from '../../shared/contract';
import type { Domain } from '../app/composition';
import { exampleRequests } from '../../../test/support/example-requests';
import {
  buildDomain,
  callError,
  clearKeychainService,
  databaseSnapshot,
  keychainAccounts,
  removeTempDirs,
  testKeychainService,
} from '../../../test/support/harness';

interface FieldCase {
  path: string[];
  schema: z.ZodType;
  optional: boolean;
}

/** Every field of a request schema, nested objects included, with whether it may be left out. */
function fieldsOf(schema: z.ZodType, prefix: string[] = []): FieldCase[] {
  if (!(schema instanceof z.ZodObject)) return [];
  return Object.entries(schema.shape as Record<string, z.ZodType>).flatMap(([key, field]) => {
    const path = [...prefix, key];
    const optional = field instanceof z.ZodOptional;
    const inner = unwrap(field);
    return [{ path, schema: inner, optional }, ...fieldsOf(inner, path)];
  });
}

/** zod 4 keeps an array's .max() as a check in its definition. */
function maxLengthCheckOf(schema: z.ZodArray): number | undefined {
  const checks = (schema._zod.def.checks ?? []) as { _zod: { def: { check: string; maximum?: number } } }[];
  return checks.find((c) => c._zod.def.check === 'max_length')?._zod.def.maximum;
}

function unwrap(schema: z.ZodType): z.ZodType {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable) return unwrap(schema.unwrap() as z.ZodType);
  return schema;
}

/** A value of the wrong type for a field. */
function wrongTypeFor(schema: z.ZodType): unknown {
  if (schema instanceof z.ZodString || schema instanceof z.ZodEnum) return 42;
  if (
    schema instanceof z.ZodNumber ||
    schema instanceof z.ZodBoolean ||
    schema instanceof z.ZodArray ||
    schema instanceof z.ZodObject ||
    schema instanceof z.ZodRecord ||
    // A discriminated union of objects (a connection definition: its fields are tested in kept-connections.int.test.ts).
    schema instanceof z.ZodDiscriminatedUnion
  )
    return 'wrong';
  // A union of strings or of objects (a backup key: a passphrase or a recovery key): a number is neither.
  if (schema instanceof z.ZodUnion) return 42;
  throw new Error(`no wrong-type value for ${schema.constructor.name}`);
}

function withField(request: unknown, path: string[], value: unknown | typeof REMOVE): unknown {
  const copy = structuredClone(request) as Record<string, unknown>;
  let target = copy;
  for (const key of path.slice(0, -1)) target = target[key] as Record<string, unknown>;
  if (value === REMOVE) delete target[path.at(-1)!];
  else target[path.at(-1)!] = value;
  return copy;
}
const REMOVE = Symbol('remove');

const keychainService = testKeychainService();
let domain: Domain;
let before: { db: unknown; keychain: string[] };

beforeAll(async () => {
  domain = buildDomain({ keychainService });
  await domain.reconciled;
  before = { db: databaseSnapshot(domain.db), keychain: await keychainAccounts(keychainService) };
});

afterAll(async () => {
  // Nothing any bad request did may show in the database or the keychain.
  expect(databaseSnapshot(domain.db)).toEqual(before.db);
  expect(await keychainAccounts(keychainService)).toEqual(before.keychain);
  await domain.close();
  await clearKeychainService(keychainService);
  removeTempDirs();
});

describe.each(channelNames.map((channel) => [channel]))('%s rejects bad input', (channel) => {
  const example = exampleRequests[channel];
  const schema = channels[channel].request as z.ZodType;

  it('accepts the example (so the cases below fail for the reason they name)', () => {
    expect(schema.safeParse(example).success).toBe(true);
  });

  it.each([null, 'text', 42, []])('rejects a request that is not an object (%j)', async (bad) => {
    const error = await callError(domain, channel, bad);
    expect(error.code).toBe('invalid_request');
    expect(error.message).toMatch(/^Invalid request: request must be an object\.$/);
  });

  it('rejects an unknown field', async () => {
    const error = await callError(domain, channel, { ...example, sneaky: 1 });
    expect(error).toMatchObject({ code: 'invalid_request', message: 'Invalid request: request has unknown field "sneaky".' });
  });

  for (const field of fieldsOf(schema)) {
    const name = field.path.join('.');
    if (!field.optional) {
      it(`rejects a missing ${name}`, async () => {
        const error = await callError(domain, channel, withField(example, field.path, REMOVE));
        expect(error).toMatchObject({ code: 'invalid_request', field: name, message: `Invalid request: ${name} is required.` });
      });
    }
    it(`rejects a ${name} of the wrong type`, async () => {
      const error = await callError(domain, channel, withField(example, field.path, wrongTypeFor(field.schema)));
      expect(error.code).toBe('invalid_request');
      expect(error.field).toBe(name);
      expect(error.message).toMatch(new RegExp(`^Invalid request: ${name.replace('.', '\\.')} must be `));
    });
    const maxLength = field.schema instanceof z.ZodString ? field.schema.maxLength : null;
    if (maxLength !== null) {
      it(`rejects an oversized ${name} (${maxLength + 1} characters)`, async () => {
        const error = await callError(domain, channel, withField(example, field.path, 'x'.repeat(maxLength + 1)));
        expect(error).toMatchObject({ code: 'invalid_request', field: name });
        expect(error.message).toContain(`${name} must be at most ${maxLength} characters`);
      });
    }
    const maxItems = field.schema instanceof z.ZodArray ? maxLengthCheckOf(field.schema) : undefined;
    if (maxItems !== undefined) {
      const max = maxItems;
      it(`rejects a ${name} with more than ${max} entries`, async () => {
        const error = await callError(
          domain,
          channel,
          withField(
            example,
            field.path,
            Array.from({ length: max + 1 }, (_, i) => `id-${i}`),
          ),
        );
        expect(error).toMatchObject({ code: 'invalid_request', field: name });
      });
    }
    if (field.schema instanceof z.ZodNumber && field.schema.isInt) {
      it(`rejects a fractional ${name}`, async () => {
        const error = await callError(domain, channel, withField(example, field.path, 1.5));
        expect(error).toMatchObject({ code: 'invalid_request', field: name, message: `Invalid request: ${name} must be a whole number.` });
      });
    }
  }
});

describe('requests that are well-formed but wrong', () => {
  it('names an unknown channel', async () => {
    expect(await callError(domain, 'secrets:dumpAll', {})).toMatchObject({
      code: 'invalid_request',
      message: 'Invalid request "secrets:dumpAll".'.replace('Invalid request', 'Unknown request'),
    });
  });

  it('refuses a custom base URL that would send the key in clear text, or carries credentials', async () => {
    const remote = await callError(domain, 'workspaces:add', {
      label: 'X',
      residency: 'custom',
      baseUrl: 'http://api.example.com',
      apiKey: 'sk_example_key',
    });
    expect(remote).toMatchObject({
      field: 'baseUrl',
      message: 'Invalid request: baseUrl must use https (plain http is only allowed for 127.0.0.1 or localhost).',
    });
    const userinfo = await callError(domain, 'workspaces:add', {
      label: 'X',
      residency: 'custom',
      baseUrl: 'https://u:p@api.example.com',
      apiKey: 'sk_example_key',
    });
    expect(userinfo.field).toBe('baseUrl');
    const missing = await callError(domain, 'workspaces:add', { label: 'X', residency: 'custom', apiKey: 'sk_example_key' });
    expect(missing).toMatchObject({ field: 'baseUrl', message: 'Invalid request: baseUrl is required for a custom URL.' });
  });

  it('refuses blank labels and keys with spaces', async () => {
    expect(await callError(domain, 'workspaces:add', { label: '   ', residency: 'default', apiKey: 'sk_example_key' })).toMatchObject({
      field: 'label',
      message: 'Invalid request: label must not be empty.',
    });
    expect(await callError(domain, 'workspaces:add', { label: 'A', residency: 'default', apiKey: 'sk_example key' })).toMatchObject({
      field: 'apiKey',
      message: 'Invalid request: apiKey must not contain spaces or line breaks.',
    });
  });

  it.each([
    ['a quote', 'sk_"example_key'],
    ['a backslash', 'sk_example\\key'],
    ['a space inside', 'sk_example key'],
    ['non-ASCII letters', 'sk_exämple_kéy'],
    ['a non-Latin-1 character', 'sk_example_key_€'],
    ['too few characters', 'sk_abcd'],
  ])('refuses an API key with %s, naming apiKey, and keeps nothing', async (_what, apiKey) => {
    const before = databaseSnapshot(domain.db);
    for (const [channel, request] of [
      ['workspaces:add', { label: 'A', residency: 'default', apiKey }],
      ['workspaces:replaceKey', { workspaceId: 'w', apiKey }],
    ] as const) {
      const error = await callError(domain, channel, request);
      expect(error).toMatchObject({ code: 'invalid_request', field: 'apiKey' });
      expect(error.message).toMatch(/^Invalid request: apiKey /);
      expect(error.message).not.toContain(apiKey);
    }
    expect(databaseSnapshot(domain.db)).toEqual(before);
    expect(await keychainAccounts(keychainService)).toEqual([]);
  });

  it('says when a workspace does not exist', async () => {
    expect(await callError(domain, 'workspaces:rename', { workspaceId: 'nope', label: 'A' })).toMatchObject({ code: 'not_found' });
    expect(await callError(domain, 'inventory:getSecret', { workspaceId: 'nope', secretId: 's' })).toMatchObject({ code: 'not_found' });
  });
});
