import type { FieldError } from 'react-hook-form';
import type { IpcError } from '../../../../shared/errors';
import type { KeyOutcome } from '../../../../shared/schemas/workspaces';

/** What a key dialog asks the user after main stopped short of saving. */
export type Confirmation =
  | { kind: 'unverified'; message: string }
  | { kind: 'limited'; message: string; missingPermissions: string[] }
  | { kind: 'mismatch'; message: string };

export type Confirmations = { saveUnverified?: true; acceptLimitedKey?: true; acceptWorkspaceMismatch?: true };

/** What answering "yes" to a confirmation adds to the next attempt (earlier answers are kept). */
export const acceptance: Record<Confirmation['kind'], Confirmations> = {
  unverified: { saveUnverified: true },
  limited: { acceptLimitedKey: true },
  mismatch: { acceptWorkspaceMismatch: true },
};

export function confirmationOf(outcome: KeyOutcome): Confirmation | null {
  if (outcome.outcome === 'confirm_unverified') return { kind: 'unverified', message: outcome.problem.message };
  if (outcome.outcome === 'confirm_workspace_mismatch') return { kind: 'mismatch', message: outcome.message };
  if (outcome.outcome === 'confirm_limited_key')
    return { kind: 'limited', message: outcome.message, missingPermissions: outcome.missingPermissions };
  return null;
}

/**
 * A field's error in the words of its label: the schema's "must not be empty" becomes "Name
 * must not be empty."; main's messages are sentences already and are shown as they are.
 */
export function fieldMessage(label: string, error: FieldError | undefined): string | undefined {
  if (!error?.message) return undefined;
  if (error.type === 'server') return error.message;
  return `${label} ${error.message.replace(/\.$/, '')}.`;
}

/**
 * The form field a server error is about: the field it names, or the key field when the key
 * itself was refused. Null when it is about no field (shown above the buttons instead).
 */
export function fieldOfError<F extends string>(error: IpcError, labels: Record<F, string>): F | null {
  if (error.field) {
    const field = error.field.split('.')[0] as F;
    if (field in labels) return field;
  }
  if ((error.code === 'invalid_key' || error.code === 'missing_permission') && 'apiKey' in labels) return 'apiKey' as F;
  return null;
}

/** "Another workspace is already called “Staging”." when a name is taken (case and spaces aside). */
export function duplicateLabelWarning(label: string, others: { label: string }[]): string | undefined {
  const wanted = label.trim().toLowerCase();
  if (!wanted) return undefined;
  const same = others.find((w) => w.label.trim().toLowerCase() === wanted);
  return same
    ? `Another workspace is already called “${same.label}”. A different name tells them apart in the sidebar and in lists.`
    : undefined;
}
