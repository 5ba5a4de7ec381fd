import { describe, expect, it } from 'vitest';
import { credentialShape, describeCredentialShape, ENTROPY_THRESHOLD, shannonEntropy } from './credential-shape';

// Built at run time from a fixed-seed generator, so no key-shaped literal sits in the source.
let seed = 20_251_204;
const random = (length: number, alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789') => {
  let text = '';
  for (let i = 0; i < length; i += 1) {
    seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
    text += alphabet[(seed >>> 16) % alphabet.length];
  }
  return text;
};

describe('credentialShape', () => {
  it.each([
    ['sk_', `sk_${random(32)}`],
    ['sk-', `sk-proj-${random(40)}`],
    ['xoxb-', `xoxb-${'1234567890'}-${random(24)}`],
    ['ghp_', `ghp_${random(36)}`],
    ['AKIA', `AKIA${random(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`],
    ['github_pat_', `github_pat_${random(40)}`],
  ])('flags a value starting the way %s keys do', (prefix, value) => {
    expect(credentialShape(value)).toEqual({ kind: 'key_prefix', prefix, length: value.length });
  });

  it('finds a key inside a URL query', () => {
    expect(credentialShape(`https://api.example.com/v1?key=sk_${random(30)}`)).toMatchObject({ kind: 'key_prefix', prefix: 'sk_' });
  });

  it('flags a long random-looking run (high Shannon entropy) and says why without the value', () => {
    const value = `https://hooks.example.com/services/${random(40)}`;
    const shape = credentialShape(value);
    expect(shape).toMatchObject({ kind: 'high_entropy', runLength: 40 });
    const said = describeCredentialShape(shape!);
    expect(said).toMatch(/40 random-looking characters/);
    expect(said).not.toContain(value.slice(-40));
  });

  it.each([
    'https://api.brightsmile-dental.example/v2',
    'https://staging-api.brightsmile-dental.example/v2',
    'front-desk@brightsmile-dental.example',
    '+14155550123',
    'STAGING_DATABASE_CONNECTION_NAME_FOR_REPORTS',
    '123e4567-e89b-12d3-a456-426614174000',
    'skip_this_step',
    'sk_',
    'a sentence with several ordinary words in it, nothing more',
    'patient_reminder_template_2024_v2',
  ])('leaves an ordinary value alone: %s', (value) => {
    expect(credentialShape(value)).toBeNull();
  });

  it('measures entropy in bits per character', () => {
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abcd')).toBe(2);
    expect(shannonEntropy(random(64))).toBeGreaterThan(ENTROPY_THRESHOLD);
  });
});
