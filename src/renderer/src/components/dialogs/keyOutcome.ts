import type { z } from 'zod';
import type { IpcError } from '../../../../shared/errors';
import type { KeyOutcome } from '../../../../shared/schemas/workspaces';

/** What a key dialog asks the user after main stopped short of saving. */
export type Confirmation =
  | { kind: 'unverified'; message: string }
  | { kind: 'limited'; message: string }
  | { kind: 'mismatch'; message: string };

/** What answering "yes" to a confirmation adds to the next attempt (earlier answers are kept). */
export const acceptance: Record<Confirmation['kind'], { saveUnverified?: true; acceptLimitedKey?: true; acceptWorkspaceMismatch?: true }> = {
  unverified: { saveUnverified: true },
  limited: { acceptLimitedKey: true },
  mismatch: { acceptWorkspaceMismatch: true },
};

export function confirmationOf(outcome: KeyOutcome): Confirmation | null {
  if (outcome.outcome === 'confirm_unverified') return { kind: 'unverified', message: outcome.problem.message };
  if (outcome.outcome === 'confirm_workspace_mismatch') return { kind: 'mismatch', message: outcome.message };
  if (outcome.outcome === 'confirm_limited_key') return { kind: 'limited', message: outcome.message };
  return null;
}

/** Field errors from a failed client-side parse, in the words of the form's labels. */
export function fieldErrors<F extends string>(issues: z.core.$ZodIssue[], labels: Record<F, string>): Partial<Record<F, string>> {
  const errors: Partial<Record<F, string>> = {};
  for (const issue of issues) {
    const field = String(issue.path[0] ?? '') as F;
    if (!(field in labels) || errors[field]) continue;
    errors[field] = `${labels[field]} ${issue.message.replace(/\.$/, '')}.`;
  }
  return errors;
}

/**
 * The form field a server error is about, and what to show under it: the error's message when
 * it names the field, nothing more (the alert says it) when the key itself was refused.
 */
export function fieldOfError<F extends string>(error: IpcError, labels: Record<F, string>): { field: F; message: string } | null {
  if (error.field) {
    const field = error.field.split('.')[0] as F;
    if (field in labels) return { field, message: error.message };
  }
  if ((error.code === 'invalid_key' || error.code === 'missing_permission') && 'apiKey' in labels) return { field: 'apiKey' as F, message: '' };
  return null;
}
