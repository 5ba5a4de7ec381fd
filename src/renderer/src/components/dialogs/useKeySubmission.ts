import { useEffect, useRef, useState } from 'react';
import type { IpcError } from '../../../../shared/errors';
import type { KeyOutcome } from '../../../../shared/schemas/workspaces';
import { KeyringError, toIpcError } from '../../keyring';
import { confirmationOf, type Confirmation } from './keyOutcome';

/**
 * The shared life of a dialog that sends an API key (add workspace, replace key): busy while
 * main checks it, then saved, a question for the user (unverified, other workspace), or an
 * error. The key itself stays in the dialog's own state.
 */
export function useKeySubmission(handlers: { onSaved: () => void; onError: (problem: IpcError) => void }) {
  const [busy, setBusy] = useState(false);
  const [confirm, setConfirm] = useState<Confirmation | null>(null);
  const [serverError, setServerError] = useState<IpcError | null>(null);
  const mounted = useRef(true);
  const confirmRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  useEffect(() => {
    if (confirm) confirmRef.current?.focus();
  }, [confirm]);

  const run = async (send: () => Promise<KeyOutcome>) => {
    if (busy) return;
    setServerError(null);
    setBusy(true);
    try {
      const outcome = await send();
      if (!mounted.current) return;
      if (outcome.outcome === 'saved') {
        handlers.onSaved();
        return;
      }
      setConfirm(confirmationOf(outcome));
    } catch (caught) {
      if (!mounted.current) return;
      const problem = caught instanceof KeyringError ? caught.error : toIpcError(caught);
      setServerError(problem);
      setConfirm(null);
      handlers.onError(problem);
    } finally {
      if (mounted.current) setBusy(false);
    }
  };

  /** Any edit makes an earlier question or error moot. */
  const clear = () => {
    setConfirm(null);
    setServerError(null);
  };

  return { busy, confirm, serverError, confirmRef, run, clear };
}
