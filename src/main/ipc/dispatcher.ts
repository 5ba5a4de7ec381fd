import type { z } from 'zod';
import { channels, type ChannelName, type ParsedRequestOf, type ReplyOf } from '../../shared/contract';
import type { IpcError, IpcReply } from '../../shared/errors';
import { isAppError } from '../errors';
import type { Logger } from '../logging/logger';
import type { Redactor } from '../logging/redactor';

/** One handler per channel; the type makes a missing one a compile error. */
export type Handlers = {
  [C in ChannelName]: (request: ParsedRequestOf<C>) => ReplyOf<C> | Promise<ReplyOf<C>>;
};

export type Dispatch = (channel: string, request: unknown) => Promise<IpcReply<unknown>>;

/**
 * The one entry point for every request from the renderer, whatever the transport: validates
 * the request against the contract before anything runs, teaches the redactor the credentials
 * it carries, then validates the reply (which also strips any field the contract does not
 * declare), scrubs it, and turns every failure into plain data.
 */
export function createDispatcher(handlers: Handlers, deps: { log: Logger; redactor: Redactor }): Dispatch {
  return async (channel, request) => {
    if (!Object.hasOwn(channels, channel)) {
      return failure({ code: 'invalid_request', message: `Unknown request "${String(channel).slice(0, 64)}".` });
    }
    const name = channel as ChannelName;
    const spec = channels[name] as unknown as {
      request: z.ZodType;
      reply: z.ZodType;
      credentials?: (request: unknown) => string[];
      revealsValue?: true;
    };
    const parsed = spec.request.safeParse(request);
    if (!parsed.success) {
      return failure(deps.redactor.scrubDeep(describeInvalidRequest(parsed.error.issues, request)));
    }
    for (const credential of spec.credentials?.(parsed.data) ?? []) deps.redactor.add(credential);
    try {
      const handler = handlers[name] as (request: unknown) => unknown;
      const reply = await handler(parsed.data);
      const data: unknown = spec.reply.parse(reply);
      // An explicit reveal is the one reply meant to carry a value.
      return { ok: true, data: spec.revealsValue ? data : deps.redactor.scrubDeep(data) };
    } catch (error) {
      if (isAppError(error)) return failure(deps.redactor.scrubDeep(error.toIpcError()));
      deps.log.error('request failed', {
        channel: name,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      });
      return failure({
        code: 'internal',
        message: 'Something went wrong inside Agent Keyring. Nothing was changed; details are in the log.',
      });
    }
  };
}

function failure(error: IpcError): IpcReply<never> {
  return { ok: false, error };
}

/** A readable message naming the first field at fault, e.g. `label: must not be empty`. */
export function describeInvalidRequest(issues: z.core.$ZodIssue[], request: unknown): IpcError {
  const issue = issues[0];
  if (!issue) return { code: 'invalid_request', message: 'Invalid request.' };
  const field = issue.path.map(String).join('.');
  const subject = field || 'request';
  const missing = field !== '' && valueAt(request, issue.path) === undefined && issue.code !== 'custom';
  let problem: string;
  switch (missing ? 'missing' : issue.code) {
    case 'missing':
      problem = 'is required';
      break;
    case 'invalid_type':
      problem = `must be ${article((issue as { expected: string }).expected)}`;
      break;
    case 'unrecognized_keys': {
      const { keys } = issue as z.core.$ZodIssueUnrecognizedKeys;
      problem = `has unknown field${keys.length > 1 ? 's' : ''} ${keys.map((k) => `"${k}"`).join(', ')}`;
      break;
    }
    case 'invalid_value':
      problem = `must be one of ${(issue as z.core.$ZodIssueInvalidValue).values.map((v) => JSON.stringify(v)).join(', ')}`;
      break;
    case 'too_big': {
      const { maximum, origin } = issue as z.core.$ZodIssueTooBig;
      problem = issue.message.startsWith('Too big')
        ? `must be at most ${String(maximum)}${origin === 'string' ? ' characters' : ''}`
        : issue.message;
      break;
    }
    case 'too_small': {
      const { minimum, origin } = issue as z.core.$ZodIssueTooSmall;
      problem = issue.message.startsWith('Too small')
        ? `must be at least ${String(minimum)}${origin === 'string' ? ' characters' : ''}`
        : issue.message;
      break;
    }
    case 'invalid_union':
      problem = unionProblem(issue as z.core.$ZodIssueInvalidUnion);
      break;
    case 'invalid_key': {
      // A map's key (its path ends with the key): zod's own text ("Invalid key in record") says neither which nor why.
      const inner = (issue as z.core.$ZodIssueInvalidKey).issues[0];
      problem = `is not an allowed key${inner ? `: it ${inner.message}` : ''}`;
      break;
    }
    default:
      problem = issue.message;
  }
  return { code: 'invalid_request', message: `Invalid request: ${subject} ${problem}.`, ...(field ? { field } : {}) };
}

/** A union said in words: the discriminator's values, or the types any of its options takes. */
function unionProblem(issue: z.core.$ZodIssueInvalidUnion): string {
  const { options } = issue as { options?: unknown[] };
  if (Array.isArray(options)) return `must be one of ${options.map((v) => JSON.stringify(v)).join(', ')}`;
  const expected = issue.errors.map((branch) => {
    const only = branch.length === 1 ? branch[0] : undefined;
    return only?.code === 'invalid_type' && only.path.length === 0 ? (only as { expected: string }).expected : undefined;
  });
  if (expected.every((e) => e !== undefined)) return `must be ${[...new Set(expected)].map(article).join(' or ')}`;
  return issue.message;
}

function valueAt(value: unknown, path: PropertyKey[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function article(expected: string): string {
  if (expected === 'int') return 'a whole number';
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}
