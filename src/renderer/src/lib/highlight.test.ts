import { describe, expect, it } from 'vitest';
import { matchRanges } from './highlight';

const marked = (name: string, query: string) => matchRanges(name, query).map(([s, e]) => name.slice(s, e));

describe('matchRanges', () => {
  it('folds case, underscores, dashes and spaces the way main searches', () => {
    expect(marked('OPENAI_API_KEY', 'api key')).toEqual(['API_KEY']);
    expect(marked('google-api-key', 'API_KEY')).toEqual(['api-key']);
    expect(marked('my  api__key', 'api key')).toEqual(['api__key']);
  });

  it('marks every match, and nothing for an empty search', () => {
    expect(marked('KEY_KEY', 'key')).toEqual(['KEY', 'KEY']);
    expect(matchRanges('KEY', '  ')).toEqual([]);
    expect(matchRanges('STRIPE', 'zen')).toEqual([]);
  });

  it('ignores spaces around the search, as the request does', () => {
    expect(marked('A__B', ' a ')).toEqual(['A']);
  });
});
