/**
 * Text cut to at most `max` characters at a word boundary, with an ellipsis when cut: a message
 * that quotes someone else's words never ends mid-word ("is still us…").
 */
export function cutAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  const room = text.slice(0, max - 1);
  const space = room.search(/\s\S*$/);
  // A single word longer than half the room is cut where it must be.
  const cut = space > max / 2 ? room.slice(0, space) : room;
  return `${cut.replace(/[\s,;:.\-–—]+$/, '')}…`;
}
