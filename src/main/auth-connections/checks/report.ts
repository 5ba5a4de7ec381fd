// What a check reports: steps in the order they ran, each passed, failed, a warning or skipped,
// in sentences, and the public facts learnt (expiry, scopes, key size). Every report leaves
// through `finish`, which scrubs it of every credential the check handled or received.
import type { CheckReport, CheckStep, ConnectionAuthType } from '../../../shared/schemas/connection-definitions';
import { AppError } from '../../errors';
import type { Logger } from '../../logging/logger';
import { MIN_REDACTED_LENGTH, Redactor } from '../../logging/redactor';
import { CheckFetchError } from './check-fetch';

export type { CheckReport, CheckStep } from '../../../shared/schemas/connection-definitions';
export type StepOutcome = CheckStep['outcome'];
type CheckFact = CheckReport['facts'][string];

/** Builds one check's report; `secret()` teaches it a value it must never show. */
export class CheckRecorder {
  readonly steps: CheckStep[] = [];
  readonly facts: Record<string, CheckFact> = {};
  readonly #redactor = new Redactor();
  /** Values too short for the redactor (it would blank ordinary words): replaced in server text only. */
  readonly #short = new Set<string>();
  readonly #started = Date.now();

  constructor(
    readonly authType: ConnectionAuthType,
    secrets: Iterable<string>,
  ) {
    for (const value of secrets) this.secret(value);
  }

  /** A value that must never appear: a credential, a signed assertion, a received token. */
  secret(value: string | undefined): void {
    if (!value) return;
    if (value.length >= MIN_REDACTED_LENGTH) this.#redactor.add(value);
    else for (const form of [value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)]) this.#short.add(form);
  }

  step(label: string, outcome: StepOutcome, detail: string): void {
    this.steps.push({ label, outcome, detail });
  }

  /** Server text, cut to a readable length; it is scrubbed again when the report is finished. */
  serverText(text: string, max = 200): string {
    let clean = this.#redactor.scrub(text.replace(/\s+/g, ' ').trim());
    for (const value of this.#short) clean = clean.split(value).join('[redacted]');
    return clean.length > max ? `${clean.slice(0, max)}…` : clean;
  }

  /** Records a failure thrown by a step: the app's own messages as they are, anything else as a bug. */
  failure(label: string, error: unknown): void {
    if (error instanceof AppError || error instanceof CheckFetchError) this.step(label, 'failed', error.message);
    else this.step(label, 'failed', 'The check stopped on an unexpected error (details are not shown; they could hold a credential).');
  }

  finish(logger?: Logger): CheckReport {
    const failed = this.steps.find((s) => s.outcome === 'failed');
    const warned = this.steps.find((s) => s.outcome === 'warning');
    const last = [...this.steps].reverse().find((s) => s.outcome !== 'skipped');
    const report: CheckReport = {
      authType: this.authType,
      outcome: failed ? 'failed' : warned ? 'warning' : 'passed',
      summary: (failed ?? warned ?? last)?.detail ?? 'Nothing was checked.',
      steps: this.steps,
      facts: this.facts,
      durationMs: Date.now() - this.#started,
    };
    const scrubbed = this.#redactor.scrubDeep(report);
    logger?.info('auth connection checked', { authType: scrubbed.authType, outcome: scrubbed.outcome, summary: scrubbed.summary });
    return scrubbed;
  }
}
