import { describe, expect, it } from 'vitest';
import { Redactor } from './redactor';

describe('Redactor', () => {
  it('removes values it was told about, wherever they appear', () => {
    const redactor = new Redactor();
    redactor.add('canary-value-123456');
    expect(redactor.scrub('x canary-value-123456 y "canary-value-123456"')).toBe('x [redacted] y "[redacted]"');
  });

  it('removes ElevenLabs-shaped keys, xi-api-key headers and bearer tokens it was not told about', () => {
    const redactor = new Redactor();
    expect(redactor.scrub('key sk_0123456789abcdef0123456789abcdef')).toBe('key sk_[redacted]');
    expect(redactor.scrub('{"xi-api-key":"abc123secret"}')).toBe('{"xi-api-key":"[redacted]"}');
    expect(redactor.scrub('Authorization: Bearer ya29.a0AfH6SMBx')).toBe('Authorization: Bearer [redacted]');
  });

  it('ignores very short values, which would redact ordinary words', () => {
    const redactor = new Redactor();
    redactor.add('abc');
    expect(redactor.scrub('abc')).toBe('abc');
  });
});

describe('Redactor forms and data', () => {
  it('finds a value in its JSON-escaped and URL-encoded forms too', () => {
    const redactor = new Redactor();
    const value = 'pa"ss\\word/ü+1';
    redactor.add(value);
    expect(redactor.scrub(JSON.stringify({ value }))).toBe('{"value":"[redacted]"}');
    expect(redactor.scrub(`?v=${encodeURIComponent(value)}`)).toBe('?v=[redacted]');
  });

  it('scrubs every string inside plain data, keys included', () => {
    const redactor = new Redactor();
    redactor.add('canary-value-123456');
    expect(redactor.scrubDeep({ a: ['x canary-value-123456', 3, null], 'canary-value-123456': { b: true } })).toEqual({
      a: ['x [redacted]', 3, null],
      '[redacted]': { b: true },
    });
    expect(redactor.touches('canary-value-123456')).toBe(true);
    expect(redactor.touches('harmless')).toBe(false);
  });
});
