import { foldForSearch } from '../../../shared/search';

/**
 * Where a search matches a name, found the way main searches (shared/search.ts: case, `_`, `-`
 * and runs of spaces do not matter), as [start, end) ranges of the original name.
 */
export function matchRanges(name: string, query: string): [number, number][] {
  const needle = foldForSearch(query.trim());
  if (!needle) return [];
  // Fold the name one character at a time, remembering where each folded character came from.
  let folded = '';
  const origin: number[] = [];
  let inSeparator = false;
  for (let i = 0; i < name.length; i++) {
    const char = name[i]!;
    if (/[\s_-]/.test(char)) {
      if (!inSeparator) {
        folded += ' ';
        origin.push(i);
      }
      inSeparator = true;
      continue;
    }
    inSeparator = false;
    // Lower case may be longer than the letter (İ): each unit points back to it.
    const lower = char.toLowerCase();
    folded += lower;
    for (let k = 0; k < lower.length; k++) origin.push(i);
  }
  const ranges: [number, number][] = [];
  let from = 0;
  for (;;) {
    const at = folded.indexOf(needle, from);
    if (at === -1) break;
    const start = origin[at]!;
    // The search is trimmed, so it ends on a letter: its end is that letter's.
    ranges.push([start, origin[at + needle.length - 1]! + 1]);
    from = at + needle.length;
  }
  return ranges;
}
