import { useEffect, useRef, useState } from 'react';
import type { IpcError } from '../../../../shared/errors';
import type { KeyOutcome } from '../../../../shared/schemas/workspaces';
import { call, KeyringError, toIpcError } from '../../keyring';
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
  const checking = useRef(false);
  const confirmRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
      // Closed (Cancel, Escape) while the key was being checked: stop the check, keep nothing.
      if (checking.current) void call((api) => api.workspaces.cancelKeyCheck({})).catch(() => undefined);
    };
  }, []);
  useEffect(() => {
    if (confirm) confirmRef.current?.focus();
  }, [confirm]);

  const run = async (send: () => Promise<KeyOutcome>) => {
    if (busy) return;
    setServerError(null);
    setBusy(true);
    checking.current = true;
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
      // Only the dialog's own closing cancels a check, and then nobody is left to tell.
      const problem = caught instanceof KeyringError ? caught.error : toIpcError(caught);
      setServerError(problem);
      setConfirm(null);
      handlers.onError(problem);
    } finally {
      checking.current = false;
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
