import { describe, expect, it } from 'vitest';
import { StreamMasker } from './masker';

function through(values: string[], chunks: (string | Buffer)[]): string {
  const masker = new StreamMasker(values);
  const out = chunks.map((chunk) => masker.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk)));
  out.push(masker.end());
  return Buffer.concat(out).toString('utf8');
}

describe('StreamMasker', () => {
  const secret = 'sk_live_0123456789';
  const text = `before ${secret} middle ${secret} after`;

  it('masks a value split at every possible point across two chunks', () => {
    for (let cut = 0; cut <= text.length; cut++) {
      expect(through([secret], [text.slice(0, cut), text.slice(cut)])).toBe('before ******** middle ******** after');
    }
  });

  it('masks a value arriving one byte at a time, and a multi-byte value split inside a character', () => {
    expect(
      through(
        [secret],
        [...Buffer.from(text)].map((b) => Buffer.from([b])),
      ),
    ).toBe('before ******** middle ******** after');
    const accented = 'pässwörd-ünïcode';
    const bytes = Buffer.from(`x${accented}y`);
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(through([accented], [bytes.subarray(0, cut), bytes.subarray(cut)])).toBe('x********y');
    }
  });

  it('masks the longer of two values that share a start, even when the shorter arrives first', () => {
    expect(through(['abcdef', 'abcdefghij'], ['xx abcdef', 'ghij yy'])).toBe('xx ******** yy');
    expect(through(['abcdef', 'abcdefghij'], ['xx abcdef', ' yy'])).toBe('xx ******** yy');
  });

  it('holds back only what could still be a value, and gives back a near miss whole', () => {
    const masker = new StreamMasker([secret]);
    expect(masker.push(Buffer.from('output sk_live_01')).toString()).toBe('output ');
    expect(masker.push(Buffer.from('X')).toString()).toBe('sk_live_01X');
    expect(masker.push(Buffer.from('tail sk_')).toString()).toBe('tail ');
    expect(masker.end().toString()).toBe('sk_');
  });

  it('leaves very short values alone (masking them would garble everything and hide nothing)', () => {
    expect(through(['abc'], ['abc abc'])).toBe('abc abc');
  });
});
