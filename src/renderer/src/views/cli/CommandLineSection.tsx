import { useMutation, useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { BrokerState } from '../../../../shared/schemas/broker';
import { Dialog } from '../../components/Dialog';
import { useNow } from '../../hooks/useNow';
import { call, toIpcError } from '../../keyring';
import { fullDateTime, relativeTime } from '../../lib/format';
import { brokerStateQuery } from '../../queries/broker';
import { queryClient } from '../../queries/client';
import { useUi } from '../../stores/ui';

type Pending = BrokerState['pending'][number];

/**
 * Settings › Command line (issue 15): whether akr's socket is open, requests from terminals waiting
 * for an answer (a pairing with the words to compare; an access request naming the command, its
 * folder, the workspace and the names), paired terminals (Unpair) and live grants (Revoke).
 */
export function CommandLineSection() {
  const id = useId();
  const now = useNow(30_000);
  const notify = useUi((s) => s.notify);
  const state = useQuery(brokerStateQuery);
  const [unpairing, setUnpairing] = useState<BrokerState['clients'][number] | null>(null);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: brokerStateQuery.queryKey });
  const answer = useMutation({
    mutationFn: (request: { id: string; approve: boolean }) => call((api) => api.broker.answer(request)),
    onSettled: refresh,
    onError: (error) => notify('error', toIpcError(error).message),
  });
  const revoke = useMutation({
    mutationFn: (grantId: string) => call((api) => api.broker.revokeGrant({ grantId })),
    onSuccess: () => notify('success', 'Grant revoked: that terminal must ask again.'),
    onSettled: refresh,
    onError: (error) => notify('error', toIpcError(error).message),
  });
  const unpair = useMutation({
    mutationFn: (clientId: string) => call((api) => api.broker.unpair({ clientId })),
    onSuccess: () => {
      setUnpairing(null);
      notify('success', 'Terminal unpaired.');
    },
    onSettled: refresh,
    onError: (error) => notify('error', toIpcError(error).message),
  });

  const data = state.data;
  return (
    <section className="card settings-card cli-section" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="card-title">
        Command line
      </h2>
      <p className="field-hint">
        <code>akr</code> runs commands with a workspace’s key and secrets from this app, asking here first. Pair a terminal with{' '}
        <code>akr pair</code>, then run <code>akr run -w WORKSPACE -- COMMAND</code>.
      </p>
      {state.isError ? (
        <div className="callout callout-error" role="alert">
          {toIpcError(state.error).message}
        </div>
      ) : !data ? (
        <p aria-busy="true">Loading…</p>
      ) : (
        <>
          <p role="status">
            {data.socket.listening
              ? `Listening for akr at ${data.socket.path ?? ''}.`
              : data.socket.problem
                ? `akr cannot reach this app: ${data.socket.problem}`
                : 'akr’s socket is not open.'}
          </p>

          {data.pending.length > 0 ? (
            <div className="cli-pending" role="region" aria-label="Requests from terminals">
              <h3 className="card-subtitle">Waiting for your answer</h3>
              <ul className="cli-list">
                {data.pending.map((request) => (
                  <li key={request.id} className="callout callout-warn">
                    <PendingText request={request} />
                    <div className="backup-actions">
                      <button
                        type="button"
                        className="button button-primary"
                        disabled={answer.isPending}
                        onClick={() => answer.mutate({ id: request.id, approve: true })}
                      >
                        {request.kind === 'pair' ? 'Pair' : 'Allow'}
                      </button>
                      <button
                        type="button"
                        className="button"
                        disabled={answer.isPending}
                        onClick={() => answer.mutate({ id: request.id, approve: false })}
                      >
                        Refuse
                      </button>
                    </div>
                  </li>
                ))}
              </ul>
            </div>
          ) : null}

          <h3 className="card-subtitle">Paired terminals</h3>
          {data.clients.length === 0 ? (
            <p>None yet.</p>
          ) : (
            <ul className="cli-list">
              {data.clients.map((client) => (
                <li key={client.id} className="cli-row">
                  <span>
                    <strong>{client.label}</strong> <span className="mono">({client.phrase})</span>, paired{' '}
                    <time dateTime={new Date(client.pairedAt).toISOString()} title={fullDateTime(client.pairedAt)}>
                      {relativeTime(client.pairedAt, now)}
                    </time>
                    {client.lastUsedAt ? `, last used ${relativeTime(client.lastUsedAt, now)}` : ''}
                  </span>
                  <button
                    type="button"
                    className="button button-small"
                    onClick={() => setUnpairing(client)}
                    aria-label={`Unpair ${client.label}`}
                  >
                    Unpair…
                  </button>
                </li>
              ))}
            </ul>
          )}

          <h3 className="card-subtitle">Grants</h3>
          {data.grants.length === 0 ? (
            <p>No terminal holds a grant now.</p>
          ) : (
            <ul className="cli-list">
              {data.grants.map((grant) => (
                <li key={grant.id} className="cli-row">
                  <span>
                    <strong>{grant.names.join(', ')}</strong> for <code>{grant.command}</code> in <span className="mono">{grant.cwd}</span>{' '}
                    ({grant.clientLabel}), until{' '}
                    <time dateTime={new Date(grant.expiresAt).toISOString()} title={fullDateTime(grant.expiresAt)}>
                      {fullDateTime(grant.expiresAt)}
                    </time>{' '}
                    unless used again sooner
                  </span>
                  <button
                    type="button"
                    className="button button-small"
                    disabled={revoke.isPending}
                    onClick={() => revoke.mutate(grant.id)}
                    aria-label={`Revoke the grant for ${grant.command}`}
                  >
                    Revoke
                  </button>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      {unpairing ? (
        <Dialog
          title={`Unpair “${unpairing.label}”?`}
          role="alertdialog"
          size="small"
          describedBy={`${id}-unpair`}
          onClose={() => setUnpairing(null)}
          busy={unpair.isPending}
        >
          <p id={`${id}-unpair`} className="dialog-intro">
            akr in that terminal stops working until it is paired again, and its grants end now.
          </p>
          <div className="dialog-actions">
            <button type="button" className="button" onClick={() => setUnpairing(null)}>
              Cancel
            </button>
            <button type="button" className="button button-danger" disabled={unpair.isPending} onClick={() => unpair.mutate(unpairing.id)}>
              Unpair
            </button>
          </div>
        </Dialog>
      ) : null}
    </section>
  );
}

function PendingText({ request }: { request: Pending }) {
  if (request.kind === 'pair') {
    return (
      <p>
        Terminal <strong>“{request.label}”</strong> asks to pair. Pair only if it printed these words:{' '}
        <strong className="mono">{request.phrase}</strong>
      </p>
    );
  }
  const { process } = request;
  return (
    <p>
      <strong>{request.clientLabel}</strong> asks for <strong>{request.names.join(', ')}</strong> to run <code>{request.command}</code> in{' '}
      <span className="mono">{request.cwd}</span>. Process:{' '}
      {process.verified
        ? `${process.executable ?? 'unknown program'} (pid ${process.pid ?? '?'}, as the system reports it)`
        : `pid ${process.pid ?? '?'} (unverified: as the terminal reports it)`}
      . Allowed for this terminal session, these names only, 10 minutes after last use and 12 hours at most.
    </p>
  );
}
