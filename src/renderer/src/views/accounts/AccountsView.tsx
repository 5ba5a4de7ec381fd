import type { LinkedAccount } from '../../../../shared/schemas/accounts';
import { EmptyState } from '../../components/EmptyState';
import { toIpcError } from '../../keyring';
import { plural } from '../../lib/format';
import { useAccounts } from '../../queries/accounts';
import { AccountsDialogs } from './AccountsDialogs';
import { openAccountsDialog } from './dialogs';
import { PersonCard } from './PersonCard';
import { ProvidersPanel } from './ProvidersPanel';

/**
 * Linked accounts: people the builder's agents act for, their accounts at OAuth providers (whose
 * tokens main keeps in the keychain and fresh), and the providers they sign in at. Nothing here
 * ever holds a token: main answers with everything about them, and copies them itself.
 */
export function AccountsView() {
  return (
    <div className="accounts-view">
      <AccountsBody />
      <AccountsDialogs />
    </div>
  );
}

function AccountsBody() {
  const result = useAccounts();

  if (result.isError && !result.data) {
    return (
      <div className="accounts-main">
        <EmptyState title="The linked accounts could not be read" icon="!" tone="error">
          <p>{toIpcError(result.error).message}</p>
          <button type="button" className="button" onClick={() => void result.refetch()}>
            Try again
          </button>
        </EmptyState>
      </div>
    );
  }
  if (!result.data) {
    return (
      <div className="accounts-main" aria-busy="true">
        <span className="visually-hidden">Loading linked accounts…</span>
        {[0, 1].map((i) => (
          <div key={i} className="card card-skeleton" aria-hidden="true">
            <span className="skeleton skeleton-title" />
            <span className="skeleton skeleton-meta" />
            <span className="skeleton skeleton-meta" />
          </div>
        ))}
      </div>
    );
  }

  const { people, accounts, providers, profiles } = result.data;
  const byPerson = new Map<string, LinkedAccount[]>();
  for (const account of accounts) byPerson.set(account.personId, [...(byPerson.get(account.personId) ?? []), account]);
  const attention = accounts.filter((a) => a.status !== 'active').length;

  return (
    <>
      <div className="accounts-main">
        <div className="accounts-toolbar">
          <p className="result-count" aria-live="polite">
            {accounts.length === 0
              ? 'No linked accounts'
              : `${plural(accounts.length, 'linked account')} of ${plural(people.length, 'person', 'people')}${
                  attention ? `, ${attention} need${attention === 1 ? 's' : ''} attention` : ''
                }`}
          </p>
          <button
            type="button"
            className={`button${providers.length ? ' button-primary' : ''}`}
            onClick={() => openAccountsDialog({ kind: 'link' })}
          >
            Link an account…
          </button>
        </div>
        {result.isError ? (
          <div className="callout callout-error accounts-stale" role="alert">
            <p>
              <strong>The latest state could not be read:</strong> {toIpcError(result.error).message} What is shown is what was read before.
            </p>
            <button type="button" className="button button-small" onClick={() => void result.refetch()}>
              Try again
            </button>
          </div>
        ) : null}
        {accounts.length === 0 ? (
          <EmptyState title="No linked accounts yet" icon="○">
            {providers.length === 0 ? (
              <>
                <p>
                  Link the accounts of the people your agents act for (“me”, “alice”) at Google, Slack, GitHub, Microsoft or any OAuth 2
                  provider. Their tokens stay in the system keychain, are refreshed before they expire, and reach your agents as workspace
                  secrets or dynamic variables.
                </p>
                <p>Start with the OAuth app you registered at the provider.</p>
                <button
                  type="button"
                  className="button button-primary"
                  onClick={() => openAccountsDialog({ kind: 'provider', providerId: null })}
                >
                  Add a provider…
                </button>
              </>
            ) : (
              <>
                <p>Sign a person in at one of your providers: the sign-in opens in your browser and comes back here.</p>
                <button type="button" className="button button-primary" onClick={() => openAccountsDialog({ kind: 'link' })}>
                  Link an account…
                </button>
              </>
            )}
          </EmptyState>
        ) : (
          <div className="people">
            {people.map((person) => (
              <PersonCard key={person.id} person={person} accounts={byPerson.get(person.id) ?? []} providers={providers} />
            ))}
          </div>
        )}
      </div>
      <ProvidersPanel providers={providers} profiles={profiles} accounts={accounts} />
    </>
  );
}
