import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useId, useRef, useState } from 'react';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import type { IpcError } from '../../../../shared/errors';
import { StartLinkRequestSchema, type LinkFlowEvent } from '../../../../shared/schemas/accounts';
import { CopyButton } from '../../components/CopyButton';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { fieldMessage } from '../../components/dialogs/keyOutcome';
import { call, toIpcError } from '../../keyring';
import { useNow } from '../../hooks/useNow';
import { useAccounts, useLinkFlow } from '../../queries/accounts';
import { closeAccountsDialog, replaceAccountsDialog, type AccountsDialog } from './dialogs';
import { countdown } from './time';

const LinkFormSchema = StartLinkRequestSchema.pick({ personLabel: true, providerId: true });
type LinkForm = z.input<typeof LinkFormSchema>;
type LinkRequest = z.output<typeof LinkFormSchema>;

const labels = { personLabel: 'Person', providerId: 'Provider' } as const;

interface StartedFlow {
  flowId: string;
  authorizeUrl: string;
  expiresAt: number;
  personLabel: string;
  providerId: string;
  providerName: string;
}

/**
 * Links (or reconnects) an account: main opens the provider's sign-in in the system browser and
 * waits on a loopback port; `accounts:flow` events say how it goes. One sign-in at a time:
 * closing the dialog while it waits cancels it and closes the port.
 */
export function LinkDialog({ request }: { request: Extract<AccountsDialog, { kind: 'link' }> }) {
  const data = useAccounts().data;
  const providers = data?.providers ?? [];
  const people = data?.people ?? [];
  const reconnecting = request.reconnectAccountId ? data?.accounts.find((a) => a.id === request.reconnectAccountId) : undefined;
  const [flow, setFlow] = useState<StartedFlow | null>(null);
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<IpcError | null>(null);
  const event = useLinkFlow(flow?.flowId ?? null);
  // Until main's first event arrives (it usually comes before the reply), the flow is waiting.
  const status: LinkFlowEvent['status'] | null = flow ? (event?.status ?? 'waiting') : null;
  const pending = status === 'waiting' || status === 'exchanging';
  const datalistId = useId();

  const { register, handleSubmit, setError, clearErrors, formState } = useForm<LinkForm, unknown, LinkRequest>({
    resolver: zodResolver(LinkFormSchema),
    defaultValues: {
      personLabel: request.personLabel ?? '',
      providerId: request.providerId ?? (providers.length === 1 ? providers[0]!.id : ''),
    },
    reValidateMode: 'onSubmit',
  });

  // Closed (Cancel, Escape) while waiting: stop the sign-in, close the port.
  const waiting = useRef(false);
  useEffect(() => {
    waiting.current = pending || starting;
  }, [pending, starting]);
  useEffect(
    () => () => {
      if (waiting.current) void call((api) => api.accounts.cancelLink({})).catch(() => undefined);
    },
    [],
  );

  const start = async (values: LinkRequest) => {
    if (starting) return;
    setStartError(null);
    setStarting(true);
    try {
      const started = await call((api) => api.accounts.startLink({ ...values, ...(reconnecting ? { accountId: reconnecting.id } : {}) }));
      setFlow({
        flowId: started.flowId,
        authorizeUrl: started.authorizeUrl,
        expiresAt: started.expiresAt,
        personLabel: values.personLabel,
        providerId: values.providerId,
        providerName: providers.find((p) => p.id === values.providerId)?.name ?? 'the provider',
      });
    } catch (caught) {
      const problem = toIpcError(caught);
      const field = problem.field?.split('.')[0];
      if (field === 'personLabel' || field === 'providerId') setError(field, { type: 'server', message: problem.message });
      else setStartError(problem);
    } finally {
      setStarting(false);
    }
  };

  // A code cannot be exchanged twice and a sign-in cannot be resumed: trying again is a new sign-in.
  const again = () => {
    if (!flow) return;
    const { personLabel, providerId } = flow;
    setFlow(null);
    void start({ personLabel, providerId });
  };

  const title = reconnecting ? `Reconnect ${reconnecting.personLabel} · ${reconnecting.providerName}` : 'Link an account';

  if (flow && status) {
    return (
      <Dialog title={title} onClose={closeAccountsDialog}>
        <FlowProgress flow={flow} status={status} event={event} onAgain={again} reconnect={Boolean(reconnecting)} />
      </Dialog>
    );
  }

  if (providers.length === 0 && data) {
    return (
      <Dialog title={title} onClose={closeAccountsDialog} size="small">
        <p className="dialog-intro">
          A person signs in at a provider through the OAuth app you registered there. Add that provider first: its client id (and secret
          where it needs one), and the redirect URI Agent Keyring shows you to register.
        </p>
        <div className="dialog-actions">
          <button type="button" className="button" onClick={closeAccountsDialog}>
            Cancel
          </button>
          <button
            type="button"
            className="button button-primary"
            onClick={() => replaceAccountsDialog({ kind: 'provider', providerId: null })}
          >
            Add a provider…
          </button>
        </div>
      </Dialog>
    );
  }

  const errors = formState.errors;
  return (
    <Dialog title={title} onClose={closeAccountsDialog} busy={starting}>
      <form className="dialog-form" noValidate onSubmit={(e) => void handleSubmit(start)(e)}>
        <p className="dialog-intro">
          {reconnecting
            ? `${reconnecting.personLabel} signs in at ${reconnecting.providerName} again in your browser. The account keeps its workspace secrets and dynamic variables.`
            : 'The provider’s sign-in page opens in your browser. When the person approves, the browser comes back to Agent Keyring, which keeps the tokens in the system keychain.'}
        </p>
        <fieldset className="plain-fieldset" disabled={starting || Boolean(reconnecting)}>
          <Field
            label={labels.personLabel}
            error={fieldMessage(labels.personLabel, errors.personLabel)}
            hint="Who the account belongs to, as your agents know them: “me”, “alice”, “test user”."
          >
            {(props) => (
              <input
                {...props}
                {...register('personLabel', { onChange: () => clearErrors('personLabel') })}
                className="input"
                list={datalistId}
                maxLength={40}
                autoComplete="off"
                placeholder="e.g. alice"
              />
            )}
          </Field>
          <datalist id={datalistId}>
            {people.map((p) => (
              <option key={p.id} value={p.label} />
            ))}
          </datalist>
          <Field label={labels.providerId} error={fieldMessage(labels.providerId, errors.providerId)}>
            {(props) => (
              <select {...props} {...register('providerId', { onChange: () => clearErrors('providerId') })} className="select">
                <option value="" disabled>
                  Choose a provider
                </option>
                {providers.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </fieldset>
        {startError ? (
          <div className="callout callout-error" role="alert">
            {startError.message}
          </div>
        ) : null}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={closeAccountsDialog}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={starting} aria-busy={starting || undefined}>
            {starting ? 'Opening the browser…' : 'Sign in in the browser'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function FlowProgress({
  flow,
  status,
  event,
  onAgain,
  reconnect,
}: {
  flow: StartedFlow;
  status: LinkFlowEvent['status'];
  event: LinkFlowEvent | null;
  onAgain(): void;
  reconnect: boolean;
}) {
  const now = useNow(1000);
  const doneRef = useRef<HTMLButtonElement>(null);
  const pending = status === 'waiting' || status === 'exchanging';
  useEffect(() => {
    if (!pending) doneRef.current?.focus();
  }, [pending]);
  const cancel = () => {
    void call((api) => api.accounts.cancelLink({})).catch(() => undefined);
    closeAccountsDialog();
  };

  let outcome: React.ReactNode = null;
  if (status === 'linked') {
    outcome = (
      <div className="callout callout-success link-outcome">
        <p>
          <strong>
            {reconnect ? 'Reconnected' : 'Linked'}: {flow.personLabel} · {flow.providerName}.
          </strong>
        </p>
        <p>Its tokens are in the system keychain; Agent Keyring refreshes them before they expire.</p>
      </div>
    );
  } else if (status === 'failed' && event?.problem?.code === 'cancelled') {
    outcome = (
      <div className="callout callout-warn link-outcome">
        <p>
          <strong>Sign-in cancelled at the provider.</strong>
        </p>
        <p>{event.problem.message}</p>
      </div>
    );
  } else if (status === 'failed') {
    outcome = (
      <div className="callout callout-error link-outcome">
        <p>
          <strong>{event?.problem?.code === 'issuer_mismatch' ? 'Sign-in refused: possible mix-up attack.' : 'Linking failed.'}</strong>
        </p>
        <p>{event?.problem?.message ?? 'The sign-in did not complete. Nothing was linked.'}</p>
        <p className="muted">This sign-in cannot be resumed: Try again starts a new one in your browser.</p>
      </div>
    );
  } else if (status === 'expired') {
    outcome = (
      <div className="callout callout-warn link-outcome">
        <p>
          <strong>The sign-in expired.</strong>
        </p>
        <p>{event?.problem?.message ?? 'The sign-in took too long and was stopped; its port is closed.'}</p>
      </div>
    );
  } else if (status === 'cancelled') {
    outcome = (
      <div className="callout callout-warn link-outcome">
        <p>
          <strong>The sign-in was stopped.</strong>
        </p>
        <p>Another sign-in started, or it was cancelled here. Nothing was linked.</p>
      </div>
    );
  }

  return (
    <div className="link-flow accounts-wide">
      {pending ? (
        <p className="dialog-intro">
          Finish signing in to <strong>{flow.providerName}</strong> as <strong>{flow.personLabel}</strong> in your browser. When you
          approve, the browser comes back here by itself.
        </p>
      ) : null}
      {/* One live region for the whole sign-in: each step and the outcome are announced. */}
      <div role="status" aria-label="Sign-in status" className="link-status-region">
        {pending ? (
          <div className="link-status">
            <span className="spinner" aria-hidden="true" />
            <span>{status === 'exchanging' ? `Approved at ${flow.providerName}. Getting the tokens…` : 'Waiting for the sign-in…'}</span>
          </div>
        ) : (
          outcome
        )}
      </div>
      {status === 'waiting' ? (
        <p className="muted link-countdown">Agent Keyring stops waiting in {countdown(flow.expiresAt, now)}, then closes its port.</p>
      ) : null}
      {pending ? (
        <>
          <div className="link-url">
            <p className="facts-label">The browser did not open? Open this address in it:</p>
            <div className="link-url-line">
              <code className="mono selectable link-url-text">{flow.authorizeUrl}</code>
              <CopyButton text={flow.authorizeUrl} what="sign-in address" />
            </div>
          </div>
          <div className="dialog-actions">
            <button type="button" className="button" onClick={cancel}>
              Cancel sign-in
            </button>
          </div>
        </>
      ) : (
        <div className="dialog-actions">
          {status === 'linked' ? (
            <button ref={doneRef} type="button" className="button button-primary" onClick={closeAccountsDialog}>
              Done
            </button>
          ) : (
            <>
              <button type="button" className="button" onClick={closeAccountsDialog}>
                Close
              </button>
              <button ref={doneRef} type="button" className="button button-primary" onClick={onAgain}>
                Try again
              </button>
            </>
          )}
        </div>
      )}
    </div>
  );
}
