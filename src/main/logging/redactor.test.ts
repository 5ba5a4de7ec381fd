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

  it('returns clean plain data as it is, and copies only what held a value or is not plain data', () => {
    const redactor = new Redactor();
    redactor.add('canary-value-123456');
    const clean = { secrets: [{ id: 'sec_1', dependants: [['tool', 'tool_1', 'lookup_zendesk']] }], pages: 1 };
    expect(redactor.scrubDeep(clean)).toBe(clean);

    const dirty = { secrets: [clean.secrets[0], { id: 'sec_2', name: 'uses canary-value-123456' }], pages: 1 };
    const scrubbed = redactor.scrubDeep(dirty);
    expect(scrubbed).toEqual({ secrets: [clean.secrets[0], { id: 'sec_2', name: 'uses [redacted]' }], pages: 1 });
    expect(scrubbed).not.toBe(dirty);
    expect(scrubbed.secrets[0]).toBe(clean.secrets[0]);
    expect(dirty.secrets[1]).toEqual({ id: 'sec_2', name: 'uses canary-value-123456' });

    // A class instance is rebuilt from its own fields, as before: nothing of it passes unchecked.
    class Reply {
      constructor(readonly text: string) {}
    }
    const reply = redactor.scrubDeep({ reply: new Reply('fine') });
    expect(reply.reply).not.toBeInstanceOf(Reply);
    expect(reply.reply).toEqual({ text: 'fine' });
  });

  it('finds every known value the same way whether it knows a few or many', () => {
    const few = new Redactor();
    const many = new Redactor();
    for (let i = 0; i < 20; i++) many.add(`many-known-value-${i}-abcdef`);
    for (const redactor of [few, many]) redactor.add('sk_live_secret_value_1');
    const text = 'a sk_live_secret_value_1 b "sk_live_secret_value_1" c sk_live_secret_value';
    expect(few.scrub(text)).toBe('a [redacted] b "[redacted]" c sk_live_secret_value');
    expect(many.scrub(text)).toBe(few.scrub(text));
    few.forget('sk_live_secret_value_1');
    expect(few.scrub(text)).toBe(text);
  });
});
