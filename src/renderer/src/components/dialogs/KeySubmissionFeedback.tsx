import type { IpcError } from '../../../../shared/errors';
import type { Confirmation } from './keyOutcome';

/** The error or the question a key dialog shows after main answered. */
export function KeySubmissionFeedback({ serverError, confirm, advice }: { serverError: IpcError | null; confirm: Confirmation | null; advice?: Partial<Record<Confirmation['kind'], string>> }) {
  return (
    <>
      {serverError ? (
        <div className="callout callout-error" role="alert">
          {serverError.message}
        </div>
      ) : null}
      {confirm ? (
        <div className="callout callout-warn" role="alert">
          <p>{confirm.kind === 'unverified' ? `The key could not be checked: ${confirm.message}` : confirm.message}</p>
          {advice?.[confirm.kind] ? <p className="muted">{advice[confirm.kind]}</p> : null}
        </div>
      ) : null}
    </>
  );
}
