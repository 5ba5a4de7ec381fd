import { LIMITS } from '../../shared/limits';

/**
 * The shortest value the redactor learns: shorter ones would blank ordinary words. Every API key
 * the app accepts is at least this long (ApiKeySchema), so none is ever too short to redact.
 */
export const MIN_REDACTED_LENGTH = LIMITS.minCredential;

const REDACTED = '[redacted]';
/** Text without any of these cannot hold a key or token shape the redactor knows. */
const SHAPE_MARKERS = /sk_|xi-api-key|bearer/i;

/**
 * Scrubs secrets out of text and data before they are logged, stored, or sent to the renderer.
 * The app never puts a secret in a message on purpose; this is the second line of defence, and
 * every reply, event, stored problem and log line passes through the same one. It knows the
 * values this process has handled (in the forms they take inside JSON and URLs too) and the
 * shapes of ElevenLabs keys and bearer tokens.
 */
export class Redactor {
  /**
   * Known values by their first MIN_REDACTED_LENGTH characters (longest first within a prefix),
   * so scrubbing a string costs one map lookup per position however many values are known: a
   * session that has read a thousand local secrets scrubs as fast as one that has read one.
   */
  readonly #byPrefix = new Map<string, string[]>();
  /** Rolling hashes of those prefixes: most positions are ruled out without building a string. */
  readonly #prefixHashes = new Set<number>();

  /** Remembers a value that must never appear in output, with its JSON- and URL-escaped forms. */
  add(value: string): void {
    if (value.length < MIN_REDACTED_LENGTH) return;
    for (const form of formsOf(value)) {
      const prefix = form.slice(0, MIN_REDACTED_LENGTH);
      const known = this.#byPrefix.get(prefix) ?? [];
      if (known.includes(form)) continue;
      known.push(form);
      known.sort((a, b) => b.length - a.length);
      this.#byPrefix.set(prefix, known);
      this.#prefixHashes.add(windowHash(prefix, 0));
    }
  }

  forget(value: string): void {
    for (const form of formsOf(value)) {
      const prefix = form.slice(0, MIN_REDACTED_LENGTH);
      const left = (this.#byPrefix.get(prefix) ?? []).filter((known) => known !== form);
      if (left.length > 0) this.#byPrefix.set(prefix, left);
      else this.#byPrefix.delete(prefix);
      // A hash shared with another prefix stays: it only costs a lookup.
      if (left.length === 0 && ![...this.#byPrefix.keys()].some((other) => windowHash(other, 0) === windowHash(prefix, 0))) {
        this.#prefixHashes.delete(windowHash(prefix, 0));
      }
    }
  }

  scrub(text: string): string {
    const known = this.#scrubKnown(text);
    // The shapes of keys and tokens nobody told it about; most text has none of their markers.
    if (!SHAPE_MARKERS.test(known)) return known;
    return known
      .replace(/\bsk_[A-Za-z0-9]{16,}\b/g, 'sk_[redacted]')
      .replace(/(xi-api-key["'\s:=]+)[^\s"',}]+/gi, '$1[redacted]')
      .replace(/(bearer\s+)[A-Za-z0-9._~+/-]{8,}=*/gi, '$1[redacted]');
  }

  /** The same value with every string inside it scrubbed; plain data in, plain data out. */
  scrubDeep<T>(value: T): T {
    return scrubValue(value, (text) => this.scrub(text)) as T;
  }

  /** Whether `text` holds anything this redactor would remove. */
  touches(text: string): boolean {
    return this.scrub(text) !== text;
  }

  /** Every occurrence of a known value replaced, scanning the text once. */
  #scrubKnown(text: string): string {
    if (this.#byPrefix.size === 0 || text.length < MIN_REDACTED_LENGTH) return text;
    let result = '';
    let copied = 0;
    let hash = windowHash(text, 0);
    for (let at = 0; at <= text.length - MIN_REDACTED_LENGTH;) {
      const match = this.#prefixHashes.has(hash)
        ? this.#byPrefix.get(text.slice(at, at + MIN_REDACTED_LENGTH))?.find((value) => text.startsWith(value, at))
        : undefined;
      if (match === undefined) {
        hash = rollHash(hash, text, at);
        at += 1;
        continue;
      }
      result += text.slice(copied, at) + REDACTED;
      at += match.length;
      copied = at;
      hash = windowHash(text, at);
    }
    return copied === 0 ? text : result + text.slice(copied);
  }
}

/** A redactor that knows only these values (for one operation's credentials). */
export function redactorFor(values: Iterable<string>): Redactor {
  const redactor = new Redactor();
  for (const value of values) redactor.add(value);
  return redactor;
}

const BASE = 31;
/** BASE^(window − 1), to take the outgoing character out of a rolling hash. */
const TOP = Array.from({ length: MIN_REDACTED_LENGTH - 1 }).reduce<number>((power) => Math.imul(power, BASE), 1);

/** The 32-bit polynomial hash of the MIN_REDACTED_LENGTH characters starting at `at`. */
function windowHash(text: string, at: number): number {
  let hash = 0;
  for (let i = at; i < at + MIN_REDACTED_LENGTH && i < text.length; i++) hash = (Math.imul(hash, BASE) + text.charCodeAt(i)) | 0;
  return hash;
}

/** The hash of the window one character further on. */
function rollHash(hash: number, text: string, at: number): number {
  const without = (hash - Math.imul(text.charCodeAt(at), TOP)) | 0;
  return (Math.imul(without, BASE) + text.charCodeAt(at + MIN_REDACTED_LENGTH)) | 0;
}

function formsOf(value: string): string[] {
  const forms = new Set([value, JSON.stringify(value).slice(1, -1)]);
  try {
    forms.add(encodeURIComponent(value));
  } catch {
    // A lone surrogate cannot be URL-encoded, so it cannot appear in that form either.
  }
  return [...forms];
}

function scrubValue(value: unknown, scrub: (text: string) => string): unknown {
  if (typeof value === 'string') return scrub(value);
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, scrub));
  if (value !== null && typeof value === 'object') {
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) result[scrub(key)] = scrubValue(item, scrub);
    return result;
  }
  return value;
}
