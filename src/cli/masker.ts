/**
 * Masks secret values in a stream of output as it passes (akr run's child's stdout and stderr).
 * A value may arrive split across chunks: the longest tail that could still be the start of a
 * value is held back until the next chunk says whether it is one. Works on bytes, so a split in
 * the middle of a UTF-8 character changes nothing.
 */

/** Shorter values are not masked: masking "1" or "yes" would garble the output and hide nothing. */
export const MIN_MASKED_LENGTH = 6;
export const MASK = Buffer.from('********');

export class StreamMasker {
  readonly #needles: Buffer[];
  #held = Buffer.alloc(0);

  constructor(values: Iterable<string>) {
    const unique = new Set([...values].filter((v) => v.length >= MIN_MASKED_LENGTH));
    // Longest first, so a value that contains another is masked whole.
    this.#needles = [...unique].map((v) => Buffer.from(v, 'utf8')).sort((a, b) => b.length - a.length);
  }

  /** The part of the output so far that is safe to show now. */
  push(chunk: Buffer): Buffer {
    if (this.#needles.length === 0) return chunk;
    return this.#scan(this.#held.length === 0 ? chunk : Buffer.concat([this.#held, chunk]), false);
  }

  /** Whatever was held back, once the stream has ended. */
  end(): Buffer {
    const rest = this.#held;
    this.#held = Buffer.alloc(0);
    return rest.length === 0 ? rest : this.#scan(rest, true);
  }

  #scan(data: Buffer, final: boolean): Buffer {
    const out: Buffer[] = [];
    let position = 0;
    for (;;) {
      let best = -1;
      let bestLength = 0;
      for (const needle of this.#needles) {
        const at = data.indexOf(needle, position);
        if (at !== -1 && (best === -1 || at < best || (at === best && needle.length > bestLength))) {
          best = at;
          bestLength = needle.length;
        }
      }
      if (best === -1) break;
      // A longer value may be on its way from here: wait for it rather than unmask its tail.
      if (!final && this.#couldGrow(data, best, bestLength)) break;
      out.push(data.subarray(position, best), MASK);
      position = best + bestLength;
    }
    const rest = data.subarray(position);
    const hold = final ? 0 : this.#partialTail(rest);
    out.push(rest.subarray(0, rest.length - hold));
    this.#held = Buffer.from(rest.subarray(rest.length - hold));
    return Buffer.concat(out);
  }

  #couldGrow(data: Buffer, at: number, length: number): boolean {
    const tail = data.subarray(at);
    return this.#needles.some((n) => n.length > length && tail.length < n.length && n.subarray(0, tail.length).equals(tail));
  }

  /** The length of the longest tail of `rest` that is a proper prefix of some value. */
  #partialTail(rest: Buffer): number {
    let longest = 0;
    for (const needle of this.#needles) {
      for (let length = Math.min(needle.length - 1, rest.length); length > longest; length--) {
        if (rest.subarray(rest.length - length).equals(needle.subarray(0, length))) {
          longest = length;
          break;
        }
      }
    }
    return longest;
  }
}
