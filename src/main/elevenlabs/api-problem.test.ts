import { describe, expect, it } from 'vitest';
import { redactorFor } from '../logging/redactor';
import { MAX_QUOTED_SERVER_TEXT, toApiProblem } from './api-problem';
import { RedirectRefusedError } from './guarded-fetch';

const headers = (values: Record<string, string>) => ({ get: (name: string) => values[name.toLowerCase()] ?? null });
const sdkError = (statusCode: number | undefined, body?: unknown, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(statusCode ? `Status code: ${statusCode}\nBody: ${JSON.stringify(body)}` : 'fetch failed'), {
    statusCode,
    body,
    ...extra,
  });
const at = (host: string, extra: Record<string, unknown> = {}) => ({ host, ...extra });

describe('toApiProblem', () => {
  it('tells an invalid key from a valid key lacking a permission (both are 401)', () => {
    const invalid = toApiProblem(
      sdkError(401, { detail: { status: 'invalid_api_key', message: 'Invalid API key' } }),
      at('api.elevenlabs.io'),
    );
    expect(invalid.code).toBe('invalid_key');
    expect(invalid.message).toMatch(/did not accept this API key \(invalid_api_key\)/);

    const scoped = toApiProblem(
      sdkError(401, {
        detail: {
          status: 'missing_permissions',
          message: 'The API key you used is missing the permission user_read to execute this operation.',
        },
      }),
      at('api.elevenlabs.io'),
    );
    expect(scoped.code).toBe('missing_permission');
    expect(scoped.extra.permission).toBe('user_read');
    expect(scoped.message).toMatch(/valid but lacks the user_read permission/);
  });

  it('says when to retry after a 429, from Retry-After seconds, an HTTP date, or X-RateLimit-Reset', () => {
    const now = () => Date.parse('2026-01-01T00:00:00Z');
    const seconds = toApiProblem(
      sdkError(429, { detail: { code: 'rate_limit_exceeded' } }, { rawResponse: { headers: headers({ 'retry-after': '7' }) } }),
      at('h', { now }),
    );
    expect(seconds.code).toBe('rate_limited');
    expect(seconds.extra.retryAfterSeconds).toBe(7);
    expect(seconds.message).toBe('ElevenLabs is rate-limiting this key (rate_limit_exceeded). Try again in 7 s.');

    const date = toApiProblem(
      sdkError(429, {}, { rawResponse: { headers: headers({ 'retry-after': 'Thu, 01 Jan 2026 00:02:00 GMT' }) } }),
      at('h', { now }),
    );
    expect(date.extra.retryAfterSeconds).toBe(120);
    expect(date.message).toMatch(/Try again in 2 min/);

    const reset = toApiProblem(
      sdkError(429, {}, { rawResponse: { headers: headers({ 'x-ratelimit-reset': String(now() / 1000 + 30) }) } }),
      at('h', { now }),
    );
    expect(reset.extra.retryAfterSeconds).toBe(30);

    const unknown = toApiProblem(sdkError(429, {}), at('h', { now }));
    expect(unknown.extra.retryAfterSeconds).toBeUndefined();
    expect(unknown.message).toMatch(/Wait a moment/);

    const absurd = toApiProblem(
      sdkError(429, {}, { rawResponse: { headers: headers({ 'retry-after': '99999999999' }) } }),
      at('h', { now }),
    );
    expect(absurd.extra.retryAfterSeconds).toBe(86_400);
  });

  it('maps server errors, 404, 422 details, timeouts, unreachable hosts, redirects and parse failures', () => {
    expect(toApiProblem(sdkError(503), at('api.eu.residency.elevenlabs.io')).message).toBe(
      'ElevenLabs had a server error (HTTP 503 from api.eu.residency.elevenlabs.io). Try again later.',
    );
    expect(toApiProblem(sdkError(404), at('h')).code).toBe('remote_not_found');
    const invalid = toApiProblem(
      sdkError(422, {
        detail: [{ loc: ['query', 'page_size'], msg: 'Input should be less than or equal to 100', type: 'less_than_equal' }],
      }),
      at('h'),
    );
    expect(invalid.code).toBe('remote_rejected');
    expect(invalid.message).toMatch(/query\.page_size: Input should be less than or equal to 100/);
    expect(toApiProblem(Object.assign(new Error('"timeout"'), { cause: 'timeout' }), at('h')).code).toBe('timeout');
    // Nothing answering on a loopback or private address is no matter of the internet connection.
    expect(toApiProblem(sdkError(undefined), at('127.0.0.1:9')).message).toBe(
      'Nothing answers at 127.0.0.1:9 on this computer: is the emulator (or the server meant to be there) running?',
    );
    expect(toApiProblem(sdkError(undefined), at('[::1]:8787')).message).toMatch(/^Nothing answers at \[::1\]:8787 on this computer/);
    expect(toApiProblem(sdkError(undefined), at('192.168.1.20:8443')).message).toMatch(/on the local network/);
    expect(toApiProblem(sdkError(undefined), at('api.elevenlabs.io')).message).toBe(
      "Could not reach api.elevenlabs.io. Check your internet connection or the workspace's address.",
    );
    // fetch's own shape: TypeError('fetch failed') caused by the socket's ECONNREFUSED, under the SDK's error.
    const refused = Object.assign(new Error('fetch failed'), {
      cause: Object.assign(new TypeError('fetch failed'), {
        cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      }),
    });
    expect(toApiProblem(refused, at('127.0.0.1:45999'))).toMatchObject({
      code: 'unreachable',
      message:
        'Nothing answers at 127.0.0.1:45999 on this computer (the connection was refused): is the emulator (or the server meant to be there) running?',
    });
    const parse = Object.assign(new Error('response -> secrets -> [0]: Missing required key "name"'), { name: 'ParseError' });
    expect(toApiProblem(parse, at('h'))).toMatchObject({
      code: 'unexpected_response',
      message: 'h sent a reply Agent Keyring could not understand (at response.secrets[0]). Nothing was changed.',
    });
    const redirect = Object.assign(new Error('redirect'), { cause: new RedirectRefusedError(302) });
    expect(toApiProblem(redirect, at('h'))).toMatchObject({
      code: 'unexpected_response',
      message: expect.stringMatching(/redirect \(HTTP 302\)/),
    });
  });

  it('builds messages from what the app knows, never from server text as received', () => {
    const key = 'sk_0123456789abcdef0123456789abcdef0123456789abcdef';
    const credentials = redactorFor([key]);
    const problems = [
      toApiProblem(sdkError(401, { detail: { status: key, message: key } }), at('h', { credentials })),
      toApiProblem(
        sdkError(401, { detail: { status: 'missing_permissions', message: `missing the permission ${key} to` } }),
        at('h', { credentials }),
      ),
      toApiProblem(sdkError(429, { detail: { code: key } }), at('h', { credentials })),
      toApiProblem(sdkError(500, { detail: { message: key } }), at('h', { credentials })),
      toApiProblem(sdkError(400, { detail: { message: `In use by ${key}` } }), at('h', { credentials })),
      toApiProblem(sdkError(422, { detail: [{ loc: ['body', key], msg: `bad ${key}`, input: key }] }), at('h', { credentials })),
      toApiProblem(
        Object.assign(new Error(`response -> name: Expected string. Received "${key}"`), { name: 'ParseError' }),
        at('h', { credentials }),
      ),
    ];
    for (const problem of problems) {
      expect(JSON.stringify(problem.toIpcError())).not.toContain(key);
      expect(JSON.stringify(problem.toIpcError())).not.toContain('0123456789abcdef');
    }
    // Quoted prose is one short line, scrubbed; an odd loc is left out rather than shown.
    expect(problems[4]!.message).toBe('ElevenLabs refused the request (HTTP 400): In use by [redacted]');
    expect(problems[5]!.message).toBe('ElevenLabs refused the request (HTTP 422): bad [redacted]');
    const long = toApiProblem(sdkError(400, { detail: { message: `line one\nline two ${'x'.repeat(500)}` } }), at('h'));
    expect(long.message).not.toContain('\n');
    expect(long.message.length).toBeLessThan(MAX_QUOTED_SERVER_TEXT + 60);
    // Long server prose is cut between words, with an ellipsis: never mid-word.
    const prose = `Secret is in use by ${'agent Front Desk Receptionist, '.repeat(8)}`;
    const words = toApiProblem(sdkError(400, { detail: { status: 'secret_in_use', message: prose } }), at('h'));
    expect(words.message).toMatch(/…$/);
    const lastWord = words.message.replace(/…$/, '').split(' ').at(-1)!;
    expect(['Secret', 'is', 'in', 'use', 'by', 'agent', 'Front', 'Desk', 'Receptionist']).toContain(lastWord);
    // A permission is taken only in the shape of one.
    expect(problems[1]!.extra.permission).toBeUndefined();
    const odd = toApiProblem(
      sdkError(401, { detail: { status: 'missing_permissions', message: 'missing the permission Robert");DROP to' } }),
      at('h'),
    );
    expect(odd.extra.permission).toBeUndefined();
  });

  it('takes a cancellation only from the caller, never from the words of a reply', () => {
    expect(toApiProblem(sdkError(500, { detail: { message: 'The user aborted a request' } }), at('h')).code).toBe('server_error');
    expect(toApiProblem(new Error('The user aborted a request'), at('h', { aborted: true })).code).toBe('cancelled');
    expect(toApiProblem(new Error('The user aborted a request'), at('h')).code).toBe('unreachable');
  });
});
