// Fault injection: error statuses, slow replies and malformed 2xx bodies for /v1 requests,
// so tests can prove how the app behaves under them (README: Faults).
import { ApiError, InvalidFieldError } from './errors';
import type { FaultSpec } from './types';
import { isPlainObject } from './validation';

const MAX_DELAY_MS = 600_000;

type FieldCheck = (value: unknown) => string | undefined;

const isInteger = (value: unknown, min: number, max: number): boolean =>
  typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;

/** Each check returns what is wrong with a value, or undefined. */
const FAULT_FIELDS: Record<keyof FaultSpec, FieldCheck> = {
  status: (v) => (isInteger(v, 400, 599) ? undefined : 'expected an integer HTTP status from 400 to 599'),
  retryAfter: (v) =>
    (typeof v === 'number' && v >= 0 && Number.isFinite(v)) || (typeof v === 'string' && v.trim() !== '')
      ? undefined
      : 'expected seconds (a number >= 0) or an HTTP date string',
  rateLimitReset: (v) => (isInteger(v, 0, Number.MAX_SAFE_INTEGER) ? undefined : 'expected unix seconds (an integer >= 0)'),
  delayMs: (v) => (isInteger(v, 0, MAX_DELAY_MS) ? undefined : `expected an integer from 0 to ${MAX_DELAY_MS}`),
  malformed: (v) => (typeof v === 'boolean' ? undefined : 'expected true or false'),
  afterHandling: (v) => (typeof v === 'boolean' ? undefined : 'expected true or false'),
  count: (v) => (isInteger(v, 1, Number.MAX_SAFE_INTEGER) ? undefined : 'expected an integer >= 1'),
  skip: (v) => (isInteger(v, 0, Number.MAX_SAFE_INTEGER) ? undefined : 'expected an integer >= 0'),
  pathPrefix: (v) => (typeof v === 'string' && v.startsWith('/') ? undefined : "expected a path starting with '/'"),
  method: (v) => (typeof v === 'string' && /^[A-Za-z]+$/.test(v) ? undefined : 'expected an HTTP method name such as GET'),
  key: (v) => (typeof v === 'string' && v !== '' ? undefined : 'expected an API key'),
};

function isFaultField(field: string): field is keyof FaultSpec {
  return Object.hasOwn(FAULT_FIELDS, field);
}

/** Checks a fault from the API, a control request or the CLI; throws InvalidFieldError. */
export function parseFaultSpec(value: unknown): FaultSpec {
  if (!isPlainObject(value)) throw new InvalidFieldError('body', 'expected a JSON object');
  for (const [field, fieldValue] of Object.entries(value)) {
    if (!isFaultField(field)) throw new InvalidFieldError(field, 'unknown field');
    if (fieldValue === undefined) continue;
    const problem = FAULT_FIELDS[field](fieldValue);
    if (problem !== undefined) throw new InvalidFieldError(field, problem);
  }
  const spec = value as FaultSpec;
  if (spec.afterHandling === true && spec.status === undefined) {
    throw new InvalidFieldError('afterHandling', 'a fault after handling the request needs a status to answer with');
  }
  if (spec.status === undefined && spec.delayMs === undefined && spec.malformed !== true) {
    throw new InvalidFieldError('status', 'a fault needs a status, a delayMs or malformed: true');
  }
  if (spec.malformed === true && spec.status !== undefined) {
    throw new InvalidFieldError('malformed', 'a malformed reply is a 200; it cannot have a status as well');
  }
  return { ...spec, ...(spec.method === undefined ? {} : { method: spec.method.toUpperCase() }) };
}

interface ActiveFault {
  spec: FaultSpec;
  /** Matching requests still to let through before the fault applies. */
  skipping: number;
  /** undefined: until cleared. */
  remaining: number | undefined;
}

export interface FaultTarget {
  method: string;
  path: string;
  apiKey: string | undefined;
}

export class FaultBook {
  private faults: ActiveFault[] = [];

  add(spec: FaultSpec): void {
    this.faults.push({ spec, skipping: spec.skip ?? 0, remaining: spec.count });
  }

  clear(): void {
    this.faults = [];
  }

  /** The first fault that matches the request, counted as used. */
  take(target: FaultTarget): FaultSpec | undefined {
    const active = this.faults.find(({ spec }) => matches(spec, target));
    if (active === undefined) return undefined;
    if (active.skipping > 0) {
      active.skipping -= 1;
      return undefined;
    }
    if (active.remaining !== undefined) {
      active.remaining -= 1;
      if (active.remaining === 0) this.faults = this.faults.filter((fault) => fault !== active);
    }
    return active.spec;
  }
}

function matches(spec: FaultSpec, target: FaultTarget): boolean {
  return (
    target.path.startsWith(spec.pathPrefix ?? '/v1/') &&
    (spec.method === undefined || spec.method === target.method) &&
    (spec.key === undefined || spec.key === target.apiKey)
  );
}

const STATUS_NAMES: Record<number, string> = {
  400: 'bad_request',
  403: 'forbidden',
  404: 'not_found',
  408: 'request_timeout',
  409: 'conflict',
};

function faultDetail(status: number): unknown {
  if (status === 401) return { status: 'invalid_api_key', message: 'Invalid API key' };
  if (status === 429) {
    return {
      type: 'rate_limit_error',
      code: 'rate_limit_exceeded',
      status: 'rate_limit_exceeded',
      message: 'You have exceeded the rate limit for this API key. Please slow down.',
      param: null,
    };
  }
  if (status >= 500) return { status: 'internal_error', message: 'An internal error occurred. Please try again.' };
  if (status === 422) return [{ type: 'value_error', loc: ['body'], msg: 'Value error, injected fault', input: null }];
  return { status: STATUS_NAMES[status] ?? 'error', message: `Request failed with status ${status}.` };
}

/** The error reply of a status fault, headers included only when the fault gives them. */
export function faultError(spec: FaultSpec & { status: number }): ApiError {
  const headers: Record<string, string> = {};
  if (spec.retryAfter !== undefined) headers['retry-after'] = String(spec.retryAfter);
  if (spec.rateLimitReset !== undefined) headers['x-ratelimit-reset'] = String(spec.rateLimitReset);
  return new ApiError(spec.status, faultDetail(spec.status), headers);
}

/**
 * A 200 body that breaks the SDK's response schema. The secrets list gets the failure seen in
 * the wild (an unknown dependant without `id`); every other route lacks all its required keys.
 */
export function malformedBody(routeKey: string): unknown {
  if (routeKey !== 'GET /v1/convai/secrets') return { unexpected: true };
  return {
    secrets: [
      {
        type: 'stored',
        secret_id: 'sec_malformed',
        name: 'MALFORMED_REPLY',
        used_by: { tools: [{ type: 'unknown' }], agents: [], others: [] },
      },
    ],
    next_cursor: null,
  };
}
