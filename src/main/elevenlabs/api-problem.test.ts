import { describe, expect, it } from 'vitest';
import { toApiProblem } from './api-problem';

const headers = (values: Record<string, string>) => ({ get: (name: string) => values[name.toLowerCase()] ?? null });
const sdkError = (statusCode: number | undefined, body?: unknown, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(statusCode ? `Status code: ${statusCode}` : 'fetch failed'), { statusCode, body, ...extra });

describe('toApiProblem', () => {
  it('tells an invalid key from a valid key lacking a permission (both are 401)', () => {
    const invalid = toApiProblem(sdkError(401, { detail: { status: 'invalid_api_key', message: 'Invalid API key' } }), 'api.elevenlabs.io');
    expect(invalid.code).toBe('invalid_key');
    expect(invalid.message).toMatch(/did not accept this API key \(invalid_api_key\)/);

    const scoped = toApiProblem(
      sdkError(401, {
        detail: { status: 'missing_permissions', message: 'The API key you used is missing the permission user_read to execute this operation.' },
      }),
      'api.elevenlabs.io',
    );
    expect(scoped.code).toBe('missing_permission');
    expect(scoped.extra.permission).toBe('user_read');
    expect(scoped.message).toMatch(/valid but lacks the user_read permission/);
  });

  it('says when to retry after a 429, from Retry-After seconds, an HTTP date, or X-RateLimit-Reset', () => {
    const now = () => Date.parse('2026-01-01T00:00:00Z');
    const seconds = toApiProblem(sdkError(429, { detail: { code: 'rate_limit_exceeded' } }, { rawResponse: { headers: headers({ 'retry-after': '7' }) } }), 'h', now);
    expect(seconds.code).toBe('rate_limited');
    expect(seconds.extra.retryAfterSeconds).toBe(7);
    expect(seconds.message).toBe('ElevenLabs is rate-limiting this key (rate_limit_exceeded). Try again in 7 s.');

    const date = toApiProblem(sdkError(429, {}, { rawResponse: { headers: headers({ 'retry-after': 'Thu, 01 Jan 2026 00:02:00 GMT' }) } }), 'h', now);
    expect(date.extra.retryAfterSeconds).toBe(120);
    expect(date.message).toMatch(/Try again in 2 min/);

    const reset = toApiProblem(sdkError(429, {}, { rawResponse: { headers: headers({ 'x-ratelimit-reset': String(now() / 1000 + 30) }) } }), 'h', now);
    expect(reset.extra.retryAfterSeconds).toBe(30);

    const unknown = toApiProblem(sdkError(429, {}), 'h', now);
    expect(unknown.extra.retryAfterSeconds).toBeUndefined();
    expect(unknown.message).toMatch(/Wait a moment/);
  });

  it('maps server errors, 404, 422 details, timeouts, unreachable hosts and parse failures', () => {
    expect(toApiProblem(sdkError(503), 'api.eu.residency.elevenlabs.io').message).toBe(
      'ElevenLabs had a server error (HTTP 503 from api.eu.residency.elevenlabs.io). Try again later.',
    );
    expect(toApiProblem(sdkError(404), 'h').code).toBe('remote_not_found');
    const invalid = toApiProblem(sdkError(422, { detail: [{ loc: ['query', 'page_size'], msg: 'Input should be less than or equal to 100', type: 'less_than_equal' }] }), 'h');
    expect(invalid.code).toBe('remote_rejected');
    expect(invalid.message).toMatch(/query\.page_size: Input should be less than or equal to 100/);
    expect(toApiProblem(Object.assign(new Error('"timeout"'), { cause: 'timeout' }), 'h').code).toBe('timeout');
    expect(toApiProblem(sdkError(undefined), '127.0.0.1:9').message).toBe(
      "Could not reach 127.0.0.1:9. Check your internet connection or the workspace's address.",
    );
    const parse = Object.assign(new Error('response -> secrets -> [0]: Missing required key "name"'), { name: 'ParseError' });
    expect(toApiProblem(parse, 'h').code).toBe('unexpected_response');
  });
});
