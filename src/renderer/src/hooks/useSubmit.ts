import { useCallback, useState } from 'react';
import type { IpcError } from '../../../shared/errors';
import { toIpcError } from '../keyring';

/**
 * Busy and error state of a request that carries a secret value. Unlike a TanStack mutation it
 * keeps nothing of the request (a mutation keeps its variables in the cache for minutes): the
 * value stays in the form that sent it, and the form is reset once main has it.
 */
export function useSubmit() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);
  const run = useCallback(async <T>(send: () => Promise<T>): Promise<{ ok: true; data: T } | { ok: false; error: IpcError }> => {
    setBusy(true);
    setError(null);
    try {
      return { ok: true, data: await send() };
    } catch (caught) {
      const problem = toIpcError(caught);
      setError(problem);
      return { ok: false, error: problem };
    } finally {
      setBusy(false);
    }
  }, []);
  const reset = useCallback(() => setError(null), []);
  return { busy, error, run, reset };
}
