// Checking keys, permissions and seed names given by options, control endpoints and the CLI.
import { InvalidFieldError } from './errors';
import { EMULATOR_PERMISSIONS, type EmulatorKey, type EmulatorPermission, type EmulatorSeed } from './types';
import { isPlainObject } from './validation';

export const MAX_BENCH_SECRETS = 100_000;

export const MAX_BENCH_VARIABLES = 10_000;

export function parseSeed(value: unknown, field = 'seed'): EmulatorSeed {
  if (value === 'demo' || value === 'empty') return value;
  const bench = typeof value === 'string' ? /^bench:(\d+)(?::(\d+))?$/.exec(value) : null;
  if (bench && Number(bench[1]) <= MAX_BENCH_SECRETS) {
    if (bench[2] === undefined) return `bench:${Number(bench[1])}`;
    if (Number(bench[2]) <= MAX_BENCH_VARIABLES) return `bench:${Number(bench[1])}:${Number(bench[2])}`;
  }
  throw new InvalidFieldError(
    field,
    `expected demo, empty, bench:N or bench:N:V (N secrets from 0 to ${MAX_BENCH_SECRETS}, V environment variables from 0 to ${MAX_BENCH_VARIABLES}), got ${JSON.stringify(value)}`,
  );
}

export function parsePermission(value: unknown, field = 'permissions'): EmulatorPermission {
  const known = EMULATOR_PERMISSIONS.find((permission) => permission === value);
  if (known === undefined) {
    const known = EMULATOR_PERMISSIONS.join(', ');
    throw new InvalidFieldError(field, `unknown permission ${JSON.stringify(value)}; known: ${known}`);
  }
  return known;
}

export function parseApiKey(value: unknown, field = 'key'): string {
  if (typeof value !== 'string' || !/^[\x21-\x7e]{1,200}$/.test(value)) {
    throw new InvalidFieldError(field, 'expected 1 to 200 printable characters without spaces');
  }
  return value;
}

const KEY_FIELDS = new Set(['key', 'permissions', 'seed']);

export function parseEmulatorKey(value: unknown): EmulatorKey {
  if (!isPlainObject(value)) throw new InvalidFieldError('body', 'expected a JSON object');
  const unknownField = Object.keys(value).find((field) => !KEY_FIELDS.has(field));
  if (unknownField !== undefined) throw new InvalidFieldError(unknownField, 'unknown field');
  const parsed: EmulatorKey = { key: parseApiKey(value.key) };
  if (value.permissions !== undefined) {
    if (!Array.isArray(value.permissions)) {
      throw new InvalidFieldError('permissions', 'expected an array of permission names');
    }
    parsed.permissions = value.permissions.map((permission) => parsePermission(permission));
  }
  if (value.seed !== undefined) parsed.seed = parseSeed(value.seed);
  return parsed;
}

export function describePermissions(permissions: readonly EmulatorPermission[]): string {
  if (permissions.length === EMULATOR_PERMISSIONS.length) return 'all';
  return permissions.length === 0 ? 'none' : permissions.join(',');
}
