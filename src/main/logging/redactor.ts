import { LIMITS } from '../../shared/limits';

/**
 * The shortest value the redactor learns: shorter ones would blank ordinary words. Every API key
 * the app accepts is at least this long (ApiKeySchema), so none is ever too short to redact.
 */
export const MIN_REDACTED_LENGTH = LIMITS.minCredential;

const REDACTED = '[redacted]';
/**
 * Up to this many known forms (an API call's key and values: three forms each), text is first
 * searched for each natively; the rolling hash below is for the many values main may know.
 */
const FEW_FORMS = 12;
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
  /** How many forms are known: while they are few, a native search rules text out faster than the hash. */
  #formCount = 0;

  /** Remembers a value that must never appear in output, with its JSON- and URL-escaped forms. */
  add(value: string): void {
    if (value.length < MIN_REDACTED_LENGTH) return;
    for (const form of formsOf(value)) {
      const prefix = form.slice(0, MIN_REDACTED_LENGTH);
      const known = this.#byPrefix.get(prefix) ?? [];
      if (known.includes(form)) continue;
      known.push(form);
      this.#formCount += 1;
      known.sort((a, b) => b.length - a.length);
      this.#byPrefix.set(prefix, known);
      this.#prefixHashes.add(windowHash(prefix, 0));
    }
  }

  forget(value: string): void {
    for (const form of formsOf(value)) {
      const prefix = form.slice(0, MIN_REDACTED_LENGTH);
      const before = this.#byPrefix.get(prefix) ?? [];
      const left = before.filter((known) => known !== form);
      this.#formCount -= before.length - left.length;
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

  /**
   * The same value with every string inside it scrubbed; plain data in, plain data out. Arrays
   * and plain objects nothing in which needed scrubbing are returned as they are, not copied (a
   * page of 10,000 listed secrets is checked without being rebuilt).
   */
  scrubDeep<T>(value: T): T {
    return scrubValue(value, (text) => this.scrub(text)) as T;
  }

  /** Whether `text` holds anything this redactor would remove. */
  touches(text: string): boolean {
    return this.scrub(text) !== text;
  }

  /** Whether any known form occurs in the text (native substring search). */
  #knownIn(text: string): boolean {
    for (const forms of this.#byPrefix.values()) for (const form of forms) if (text.includes(form)) return true;
    return false;
  }

  /** Every occurrence of a known value replaced, scanning the text once. */
  #scrubKnown(text: string): string {
    if (this.#byPrefix.size === 0 || text.length < MIN_REDACTED_LENGTH) return text;
    if (this.#formCount <= FEW_FORMS && !this.#knownIn(text)) return text;
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
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const clean = scrubValue(item, scrub);
      if (copy) copy.push(clean);
      else if (clean !== item) (copy = value.slice(0, i)).push(clean);
    }
    return copy ?? value;
  }
  if (value !== null && typeof value === 'object') {
    const source = value as Record<string, unknown>;
    const keys = Object.keys(source);
    // Anything but plain data (a class instance, a Date) is always rebuilt from its own fields.
    const prototype: unknown = Object.getPrototypeOf(value);
    let copy: Record<string, unknown> | undefined = prototype === Object.prototype || prototype === null ? undefined : {};
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const item = source[key];
      const cleanKey = scrub(key);
      const clean = scrubValue(item, scrub);
      if (!copy && (cleanKey !== key || clean !== item)) {
        copy = {};
        for (const earlier of keys.slice(0, i)) copy[earlier] = source[earlier];
      }
      if (copy) copy[cleanKey] = clean;
    }
    return copy ?? value;
  }
  return value;
}
