// Command line of `npm run emulator`. Kept apart from cli.ts so it can be tested without
// starting anything.
import { InvalidFieldError } from './errors';
import { parseFaultSpec } from './faults';
import { parseApiKey, parsePermission, parseSeed } from './keys';
import type { EmulatorKey, EmulatorOptions, FaultSpec } from './types';

export const USAGE = `Usage: npm run emulator -- [options]
  --port P                       port to listen on (default 8787; 0 picks a free one)
  --host H                       loopback address (default 127.0.0.1)
  --seed demo|empty|bench:N[:V]  seed for keys without their own (default demo)
  --key KEY[:PERMS]              an API key, repeatable; PERMS is comma-separated
                                 (convai_read, convai_write, user_read, workspace_read,
                                 workspace_write); without PERMS a key has them all
  --case-insensitive-search      prefix search ignores case
  --in-use-delete-status N       status for refusing to delete an in-use secret (default 400)
  --fault SPEC                   e.g. status=429,retryAfter=1,count=3 (fields of FaultSpec); repeatable
  --help                         show this help`;

export const DEFAULT_CLI_PORT = 8787;

export interface CliOptions {
  help: boolean;
  emulator: EmulatorOptions & { port: number; keys: EmulatorKey[] };
  faults: FaultSpec[];
}

const NUMERIC_FAULT_FIELDS = new Set(['status', 'rateLimitReset', 'delayMs', 'count']);

function parseInteger(flag: string, raw: string): number {
  if (!/^\d+$/.test(raw)) throw new InvalidFieldError(flag, `expected a whole number, got ${JSON.stringify(raw)}`);
  return Number(raw);
}

/** KEY[:PERMS]; `KEY:` (empty PERMS) is a valid key with no permissions at all. */
export function parseKeyArgument(raw: string): EmulatorKey {
  const colon = raw.indexOf(':');
  const key = parseApiKey(colon === -1 ? raw : raw.slice(0, colon), '--key');
  if (colon === -1) return { key };
  const perms = raw.slice(colon + 1);
  const permissions = perms === '' ? [] : perms.split(',').map((name) => parsePermission(name.trim(), '--key'));
  return { key, permissions };
}

function faultFieldValue(field: string, raw: string | undefined): unknown {
  const flags = new Set(['malformed', 'afterHandling']);
  if (raw === undefined) return flags.has(field) ? true : '';
  if (NUMERIC_FAULT_FIELDS.has(field)) return /^\d+$/.test(raw) ? Number(raw) : raw;
  if (field === 'retryAfter') return /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
  if (flags.has(field)) return raw === 'true' ? true : raw === 'false' ? false : raw;
  return raw;
}

/** `status=429,retryAfter=1,count=3`. Splits only before `name=` so an HTTP date can keep its commas. */
export function parseFaultArgument(raw: string): FaultSpec {
  const spec: Record<string, unknown> = {};
  for (const part of raw.split(/,(?=\s*[A-Za-z]+(?:=|,|$))/)) {
    const [field = '', ...rest] = part.trim().split('=');
    spec[field] = faultFieldValue(field, rest.length === 0 ? undefined : rest.join('='));
  }
  try {
    return parseFaultSpec(spec);
  } catch (error) {
    if (error instanceof InvalidFieldError) throw new InvalidFieldError('--fault', error.message);
    throw error;
  }
}

/** Throws InvalidFieldError naming the argument. */
export function parseCliArgs(argv: readonly string[]): CliOptions {
  const options: CliOptions = { help: false, emulator: { port: DEFAULT_CLI_PORT, keys: [] }, faults: [] };
  // `--flag=value` is the same as `--flag value`.
  const args = argv.flatMap((arg) => {
    const equals = arg.indexOf('=');
    return arg.startsWith('--') && equals !== -1 ? [arg.slice(0, equals), arg.slice(equals + 1)] : [arg];
  });
  for (let i = 0; i < args.length; i += 1) {
    const flag = args[i] as string;
    const value = (): string => {
      const next = args[i + 1];
      if (next === undefined) throw new InvalidFieldError(flag, 'needs a value');
      i += 1;
      return next;
    };
    switch (flag) {
      case '--help':
        options.help = true;
        break;
      case '--port': {
        const port = parseInteger(flag, value());
        if (port > 65535) throw new InvalidFieldError(flag, `expected a port from 0 to 65535, got ${port}`);
        options.emulator.port = port;
        break;
      }
      case '--host':
        options.emulator.host = value();
        break;
      case '--seed':
        options.emulator.seed = parseSeed(value(), flag);
        break;
      case '--key':
        options.emulator.keys.push(parseKeyArgument(value()));
        break;
      case '--case-insensitive-search':
        options.emulator.caseSensitiveSearch = false;
        break;
      case '--in-use-delete-status':
        options.emulator.inUseDeleteStatus = parseInteger(flag, value());
        break;
      case '--fault':
        options.faults.push(parseFaultArgument(value()));
        break;
      default:
        throw new InvalidFieldError(flag, 'unknown argument (see --help)');
    }
  }
  return options;
}
