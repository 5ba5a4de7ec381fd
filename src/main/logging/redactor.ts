/**
 * Scrubs secrets out of text before it is logged or sent to the renderer. The app never puts a
 * secret in a message on purpose; this is the second line of defence. It knows the values this
 * process has handled and the shapes of ElevenLabs keys.
 */
export class Redactor {
  readonly #values = new Set<string>();

  /** Remembers a value that must never appear in output. Short values would redact noise. */
  add(value: string): void {
    if (value.length >= 8) this.#values.add(value);
  }

  forget(value: string): void {
    this.#values.delete(value);
  }

  scrub(text: string): string {
    let result = text;
    for (const value of this.#values) {
      if (result.includes(value)) result = result.split(value).join('[redacted]');
    }
    return result
      .replace(/\bsk_[A-Za-z0-9]{16,}\b/g, 'sk_[redacted]')
      .replace(/(xi-api-key["'\s:=]+)[^\s"',}]+/gi, '$1[redacted]')
      .replace(/(bearer\s+)[A-Za-z0-9._~+/-]{8,}=*/gi, '$1[redacted]');
  }
}
