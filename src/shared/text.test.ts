import { describe, expect, it } from 'vitest';
import { cutAtWord } from './text';

describe('cutAtWord', () => {
  it('leaves short text alone and cuts long text between words, with an ellipsis', () => {
    expect(cutAtWord('in use by agent Support', 40)).toBe('in use by agent Support');
    expect(cutAtWord('in use by agent Support Triage, phone number Sales', 30)).toBe('in use by agent Support…');
    expect(cutAtWord('one, two, three four', 12)).toBe('one, two…');
  });

  it('cuts a single overlong word where it must', () => {
    expect(cutAtWord('x'.repeat(50), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});
