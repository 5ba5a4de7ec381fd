import { createHash } from 'node:crypto';
import type { Clipboard } from '../ports/clipboard';
import type { Clock } from '../ports/clock';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * Copies secrets (values, tokens) to the system clipboard from main, so they never visit the
 * renderer, and clears the clipboard after a while unless something else was copied since.
 * One per app: a new copy replaces the previous one's timer.
 */
export class SecretClipboard {
  /** What this app last put on the clipboard (a hash, never the text) and its clearing timer. */
  #copied: { hash: string; cancel: () => void } | null = null;

  constructor(
    private readonly clipboard: Clipboard,
    private readonly clock: Clock,
    private readonly clearAfterSeconds: () => number,
  ) {}

  /** Writes the text and returns when it will be cleared. */
  copy(text: string): { clearsAt: number } {
    this.#copied?.cancel();
    this.clipboard.write(text);
    const ms = this.clearAfterSeconds() * 1000;
    this.#copied = { hash: sha256(text), cancel: this.clock.after(ms, () => this.clear()) };
    return { clearsAt: this.clock.now() + ms };
  }

  /** Clears the clipboard if it still holds what this app copied (also at quit). */
  clear(): void {
    if (!this.#copied) return;
    this.#copied.cancel();
    if (sha256(this.clipboard.read()) === this.#copied.hash) this.clipboard.write('');
    this.#copied = null;
  }
}
