import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState, type RefObject } from 'react';
import type { IpcError } from '../../../../shared/errors';
import type { KeyOutcome } from '../../../../shared/schemas/workspaces';
import { call, toIpcError } from '../../keyring';
import { acceptance, confirmationOf, type Confirmation, type Confirmations } from './keyOutcome';

/**
 * The shared life of a dialog that sends an API key (add workspace, replace key): busy while
 * main checks it, then saved, a question for the user (unverified, limited key, other
 * workspace), or an error. Answers to earlier questions are kept for the next attempt. The key
 * itself stays in the dialog's form.
 */
export function useKeySubmission<Request>(options: {
  send: (request: Request & Confirmations) => Promise<KeyOutcome>;
  onSaved: () => void;
  /** Puts a server error on the field it is about; false when it is about no field. */
  onFieldError: (problem: IpcError) => boolean;
  /** The question's "yes" button, focused when a question is asked. */
  confirmRef: RefObject<HTMLButtonElement | null>;
}) {
  const { confirmRef } = options;
  const [confirm, setConfirm] = useState<Confirmation | null>(null);
  const [formError, setFormError] = useState<IpcError | null>(null);
  const [accepted, setAccepted] = useState<Confirmations>({});
  const mutation = useMutation({ mutationFn: options.send });
  const busy = mutation.isPending;

  // Closed (Cancel, Escape) while the key was being checked: stop the check, keep nothing.
  const checking = useRef(false);
  useEffect(() => {
    checking.current = busy;
  }, [busy]);
  useEffect(
    () => () => {
      if (checking.current) void call((api) => api.workspaces.cancelKeyCheck({})).catch(() => undefined);
    },
    [],
  );
  useEffect(() => {
    if (confirm) confirmRef.current?.focus();
  }, [confirm, confirmRef]);

  /** Sends the form's request with the answers given so far (none for a fresh submit). */
  const send = (request: Request, confirmations: Confirmations) => {
    if (busy) return;
    setAccepted(confirmations);
    setFormError(null);
    // Per-call callbacks: they do not run once the dialog is gone.
    mutation.mutate(
      { ...request, ...confirmations },
      {
        onSuccess: (outcome) => {
          if (outcome.outcome === 'saved') options.onSaved();
          else setConfirm(confirmationOf(outcome));
        },
        onError: (caught) => {
          const problem = toIpcError(caught);
          setConfirm(null);
          if (!options.onFieldError(problem)) setFormError(problem);
        },
      },
    );
  };

  return {
    busy,
    confirm,
    formError,
    /** The submit button: a fresh attempt. */
    submit: (request: Request) => send(request, {}),
    /** The question's "yes": this answer and the earlier ones. */
    accept: (request: Request) => confirm && send(request, { ...accepted, ...acceptance[confirm.kind] }),
    /** Any edit makes an earlier question or error moot. */
    clear: () => {
      setConfirm(null);
      setFormError(null);
    },
  };
}
