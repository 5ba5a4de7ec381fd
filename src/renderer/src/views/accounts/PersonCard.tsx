import { useMutation } from '@tanstack/react-query';
import type { LinkedAccount, Provider } from '../../../../shared/schemas/accounts';
import { call, toIpcError } from '../../keyring';
import { fullDateTime, plural } from '../../lib/format';
import { useUi } from '../../stores/ui';
import { BindingList } from './BindingList';
import { openAccountsDialog } from './dialogs';
import { accountName } from './providers';
import { liveRelative, useLiveNow } from './time';

/** One person and their linked accounts, with the dynamic variables their agents can start with. */
export function PersonCard({
  person,
  accounts,
  providers,
}: {
  person: { id: string; label: string };
  accounts: LinkedAccount[];
  providers: Provider[];
}) {
  const titleId = `person-${person.id}`;
  return (
    <section className="card person-card" aria-labelledby={titleId}>
      <div className="person-head">
        <div className="person-title">
          <h2 id={titleId} className="card-title">
            {person.label}
          </h2>
          <p className="muted">{plural(accounts.length, 'linked account')}</p>
        </div>
        <div className="card-actions">
          <button
            type="button"
            className="button button-small"
            aria-label={`Dynamic variables of ${person.label}`}
            onClick={() => openAccountsDialog({ kind: 'variables', personId: person.id })}
          >
            Dynamic variables…
          </button>
          <button
            type="button"
            className="button button-small"
            aria-label={`Link another account for ${person.label}`}
            onClick={() => openAccountsDialog({ kind: 'link', personLabel: person.label })}
          >
            Link another…
          </button>
        </div>
      </div>
      <ul className="account-list" aria-label={`Accounts of ${person.label}`}>
        {accounts.map((account) => (
          <AccountItem key={account.id} account={account} provider={providers.find((p) => p.id === account.providerId)} />
        ))}
      </ul>
    </section>
  );
}

type Tone = 'tone-ok' | 'tone-warn' | 'tone-bad';

/** The status badge: what main says, and "expired" for an active token past its end with no way to refresh. */
function statusOf(a: LinkedAccount, now: number): { label: string; tone: Tone } {
  if (a.status === 'needs_reconnect') return { label: 'Needs reconnect', tone: 'tone-bad' };
  if (a.status === 'refresh_failing') return { label: 'Refresh failing', tone: 'tone-warn' };
  if (a.expiresAt !== null && a.expiresAt <= now && !a.hasRefreshToken) return { label: 'Expired', tone: 'tone-bad' };
  return { label: 'Active', tone: 'tone-ok' };
}

function AccountItem({ account: a, provider }: { account: LinkedAccount; provider: Provider | undefined }) {
  const now = useLiveNow([a.expiresAt, a.nextRefreshAt, a.refreshedAt]);
  const notify = useUi((s) => s.notify);
  const name = accountName(a);
  const status = statusOf(a, now);
  const refresh = useMutation({
    mutationFn: () => call((api) => api.accounts.refresh({ accountId: a.id })),
    onSuccess: (after) => {
      if (after.status === 'active') {
        notify(
          'success',
          `Refreshed ${name}${after.expiresAt ? `: the new token expires ${liveRelative(after.expiresAt, Date.now())}` : ''}.`,
        );
      } else {
        // The message says what failed; when it is retried is the schedule's to say, and only where it is.
        const retry =
          after.status === 'refresh_failing' && after.nextRefreshAt
            ? ` Agent Keyring tries again ${liveRelative(after.nextRefreshAt, Date.now())}.`
            : '';
        notify('error', `${name}: ${after.problem?.message ?? 'the refresh failed.'}${retry}`);
      }
    },
    onError: (error) => notify('error', `Could not refresh ${name}: ${toIpcError(error).message}`),
  });
  const titleId = `account-${a.id}`;

  let expiry: React.ReactNode;
  if (a.expiresAt === null) expiry = 'Does not expire';
  else if (a.expiresAt <= now)
    expiry = <span className={a.hasRefreshToken ? 'tone-warn' : 'tone-bad'}>Expired {liveRelative(a.expiresAt, now)}</span>;
  else expiry = `Expires ${liveRelative(a.expiresAt, now)}`;

  let next: React.ReactNode;
  if (a.status === 'needs_reconnect') next = <span className="muted">Stopped until the account is reconnected</span>;
  else if (!a.hasRefreshToken)
    next = <span className="tone-warn">None: {a.providerName} gave no refresh token; reconnect it when it expires</span>;
  else if (a.nextRefreshAt === null) next = <span className="muted">Not scheduled</span>;
  else next = `${a.status === 'refresh_failing' ? 'Retrying' : 'Refreshing'} ${liveRelative(a.nextRefreshAt, now)}`;

  return (
    <li className={`account account-${a.status}`} aria-labelledby={titleId}>
      <div className="account-head">
        <div className="account-title">
          <h3 id={titleId}>
            <span className="visually-hidden">{a.personLabel} · </span>
            {a.providerName}
          </h3>
          <p className="account-sub">
            {a.subject ? (
              <>
                Signed in as <span className="mono selectable">{a.subject}</span>
              </>
            ) : (
              <span className="muted">Subject not known</span>
            )}
          </p>
        </div>
        <span className={`status-pill ${status.tone}`}>
          <span aria-hidden="true">{status.tone === 'tone-ok' ? '●' : status.tone === 'tone-warn' ? '▲' : '✕'}</span>
          {status.label}
        </span>
      </div>

      {a.problem && a.status !== 'active' ? (
        <div className={`callout ${a.status === 'needs_reconnect' ? 'callout-error' : 'callout-warn'} account-problem`}>
          <p>
            <strong>
              {/* Not "Offline": an unreachable token endpoint says nothing about this computer's connection. */}
              {a.status === 'needs_reconnect' ? 'Needs reconnect' : 'Refresh failing'}:
            </strong>{' '}
            {a.problem.message}
          </p>
          {a.status === 'needs_reconnect' ? (
            <p className="muted">Reconnect signs {a.personLabel} in again and keeps this account’s workspace secrets.</p>
          ) : a.nextRefreshAt ? (
            <p className="muted">Agent Keyring tries again {liveRelative(a.nextRefreshAt, now)}, waiting longer after each failure.</p>
          ) : null}
        </div>
      ) : null}

      <dl className="facts account-facts">
        <dt>Access token</dt>
        <dd title={a.expiresAt ? fullDateTime(a.expiresAt) : undefined}>{expiry}</dd>
        <dt>Next refresh</dt>
        <dd title={a.nextRefreshAt ? fullDateTime(a.nextRefreshAt) : undefined}>{next}</dd>
        <dt>Last refresh</dt>
        <dd title={a.refreshedAt ? fullDateTime(a.refreshedAt) : undefined}>
          {a.refreshedAt ? liveRelative(a.refreshedAt, now) : <span className="muted">Not yet</span>}
        </dd>
        <dt>Linked</dt>
        <dd title={fullDateTime(a.linkedAt)}>{liveRelative(a.linkedAt, now)}</dd>
        <dt>Scopes</dt>
        <dd className="scope-chips">
          {a.scopes.length ? (
            a.scopes.map((scope) => (
              <span key={scope} className="chip mono">
                {scope}
              </span>
            ))
          ) : (
            <span className="muted">none granted</span>
          )}
        </dd>
        <dt>Workspace secrets</dt>
        <dd>
          <BindingList account={a} />
        </dd>
      </dl>

      <div className="card-actions account-actions">
        {a.hasRefreshToken && a.status !== 'needs_reconnect' ? (
          <button
            type="button"
            className="button button-small"
            disabled={refresh.isPending}
            aria-busy={refresh.isPending || undefined}
            onClick={() => refresh.mutate()}
          >
            {refresh.isPending ? 'Refreshing…' : 'Refresh now'}
          </button>
        ) : null}
        <button
          type="button"
          className={`button button-small${a.status === 'needs_reconnect' ? ' button-primary' : ''}`}
          disabled={!provider}
          onClick={() =>
            openAccountsDialog({ kind: 'link', personLabel: a.personLabel, providerId: a.providerId, reconnectAccountId: a.id })
          }
        >
          Reconnect…
        </button>
        <button type="button" className="button button-small" onClick={() => openAccountsDialog({ kind: 'bind', accountId: a.id })}>
          Bind to a workspace secret…
        </button>
        <button
          type="button"
          className="button button-small button-danger-ghost"
          onClick={() => openAccountsDialog({ kind: 'unlink', accountId: a.id })}
        >
          Unlink…
        </button>
      </div>
    </li>
  );
}
