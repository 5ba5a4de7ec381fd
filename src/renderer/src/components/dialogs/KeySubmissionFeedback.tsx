import type { IpcError } from '../../../../shared/errors';
import type { Confirmation } from './keyOutcome';

/**
 * The question a key dialog asks after main answered, or an error that is about no field (an
 * error about a field is shown under that field only).
 */
export function KeySubmissionFeedback({
  formError,
  confirm,
  advice,
}: {
  formError: IpcError | null;
  confirm: Confirmation | null;
  advice?: Partial<Record<Confirmation['kind'], string>>;
}) {
  return (
    <>
      {formError ? (
        <div className="callout callout-error" role="alert">
          {formError.message}
        </div>
      ) : null}
      {confirm ? (
        <div className="callout callout-warn" role="alert">
          <p>{confirm.kind === 'unverified' ? `The key could not be checked: ${confirm.message}` : confirm.message}</p>
          {confirm.kind === 'limited' && confirm.missingPermissions.length ? (
            <p>It lacks: {confirm.missingPermissions.join(', ')}.</p>
          ) : null}
          {advice?.[confirm.kind] ? <p className="muted">{advice[confirm.kind]}</p> : null}
        </div>
      ) : null}
    </>
  );
}
