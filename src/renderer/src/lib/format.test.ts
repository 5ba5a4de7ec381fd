import { describe, expect, it } from 'vitest';
import { shortRelativeTime } from './format';

describe('shortRelativeTime', () => {
  const now = Date.UTC(2026, 9, 1, 12, 0);
  const minute = 60_000;

  it('is short enough for the sidebar at every age', () => {
    expect(shortRelativeTime(now - 10_000, now)).toBe('just now');
    expect(shortRelativeTime(now + 5 * minute, now)).toBe('just now');
    expect(shortRelativeTime(now - 50_000, now)).toBe('1 min ago');
    expect(shortRelativeTime(now - 59 * minute, now)).toBe('59 min ago');
    expect(shortRelativeTime(now - 3 * 60 * minute, now)).toBe('3 h ago');
    expect(shortRelativeTime(now - 30 * 60 * minute, now)).toBe('yesterday');
    expect(shortRelativeTime(now - 4 * 24 * 60 * minute, now)).toBe('4 days ago');
    expect(shortRelativeTime(now - 15 * 24 * 60 * minute, now)).toBe('2 wk ago');
    expect(shortRelativeTime(now - 90 * 24 * 60 * minute, now)).toBe('3 mo ago');
    expect(shortRelativeTime(now - 800 * 24 * 60 * minute, now)).toBe('2 yr ago');
  });
});
