import { LIMITS } from '../../shared/limits';

/**
 * The shortest value the redactor learns: shorter ones would blank ordinary words. Every API key
 * the app accepts is at least this long (ApiKeySchema), so none is ever too short to redact.
 */
export const MIN_REDACTED_LENGTH = LIMITS.minCredential;

const REDACTED = '[redacted]';

/**
 * Scrubs secrets out of text and data before they are logged, stored, or sent to the renderer.
 * The app never puts a secret in a message on purpose; this is the second line of defence, and
 * every reply, event, stored problem and log line passes through the same one. It knows the
 * values this process has handled (in the forms they take inside JSON and URLs too) and the
 * shapes of ElevenLabs keys and bearer tokens.
 */
export class Redactor {
  readonly #values = new Set<string>();

  /** Remembers a value that must never appear in output, with its JSON- and URL-escaped forms. */
  add(value: string): void {
    if (value.length < MIN_REDACTED_LENGTH) return;
    for (const form of formsOf(value)) this.#values.add(form);
  }

  forget(value: string): void {
    for (const form of formsOf(value)) this.#values.delete(form);
  }

  scrub(text: string): string {
    let result = text;
    for (const value of this.#values) {
      if (result.includes(value)) result = result.split(value).join(REDACTED);
    }
    return result
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
}

/** A redactor that knows only these values (for one operation's credentials). */
export function redactorFor(values: Iterable<string>): Redactor {
  const redactor = new Redactor();
  for (const value of values) redactor.add(value);
  return redactor;
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
