import type { LinkedAccount, Provider, ProviderProfileSummary } from '../../../../shared/schemas/accounts';
import { CopyButton } from '../../components/CopyButton';
import { plural } from '../../lib/format';
import { openAccountsDialog } from './dialogs';
import { clientSecretText, kindLabel } from './providers';

/** The providers people sign in at: the builder's own OAuth apps, with the redirect URI each needs. */
export function ProvidersPanel({
  providers,
  profiles,
  accounts,
}: {
  providers: Provider[];
  profiles: ProviderProfileSummary[];
  accounts: LinkedAccount[];
}) {
  return (
    <aside className="accounts-aside" aria-labelledby="providers-title">
      <div className="accounts-aside-head">
        <h2 id="providers-title" className="card-title">
          Providers
        </h2>
        <button type="button" className="button button-small" onClick={() => openAccountsDialog({ kind: 'provider', providerId: null })}>
          Add provider…
        </button>
      </div>
      {providers.length === 0 ? (
        <p className="muted providers-empty">
          None yet. Add the OAuth app you registered at{' '}
          {profiles
            .map((p) => p.displayName)
            .filter((n) => n !== 'Custom')
            .join(', ')}{' '}
          or another OAuth 2 provider: its client id, and its secret where it needs one.
        </p>
      ) : (
        <ul className="provider-list" aria-label="Providers">
          {providers.map((provider) => (
            <ProviderCard key={provider.id} provider={provider} linked={accounts.filter((a) => a.providerId === provider.id)} />
          ))}
        </ul>
      )}
    </aside>
  );
}

function ProviderCard({ provider: p, linked }: { provider: Provider; linked: LinkedAccount[] }) {
  const titleId = `provider-${p.id}`;
  const secret = clientSecretText(p);
  return (
    <li className="card provider-card" aria-labelledby={titleId}>
      <div className="provider-head">
        <h3 id={titleId} className="provider-name">
          {p.name}
        </h3>
        {p.kind === 'custom' || p.name !== kindLabel(p.kind) ? <span className="badge">{kindLabel(p.kind)}</span> : null}
      </div>
      <dl className="facts provider-facts">
        <dt>Client ID</dt>
        <dd className="mono selectable">{p.clientId}</dd>
        <dt>Client secret</dt>
        <dd className={secret.tone}>{secret.text}</dd>
        <dt>Scopes</dt>
        <dd>{p.scopes.length ? p.scopes.join(' ') : <span className="muted">none</span>}</dd>
        {p.kind === 'custom' ? (
          <>
            <dt>Sign-in at</dt>
            <dd className="mono selectable">{p.authorizeUrl}</dd>
            <dt>PKCE</dt>
            <dd>{p.pkce ? 'On (S256)' : 'Off'}</dd>
            <dt>Revocation</dt>
            <dd>{p.revokeUrl ? <span className="mono selectable">{p.revokeUrl}</span> : <span className="muted">none</span>}</dd>
          </>
        ) : null}
        <dt>Linked</dt>
        <dd>{linked.length ? `${plural(linked.length, 'account')} (${linked.map((a) => a.personLabel).join(', ')})` : 'No accounts'}</dd>
      </dl>
      <RedirectUris redirectUri={p.redirectUri} fixedPorts={p.fixedPorts} />
      {p.note ? <p className="provider-note">{p.note}</p> : null}
      <div className="card-actions provider-actions">
        <button
          type="button"
          className="button button-small"
          aria-label={`Edit ${p.name}`}
          onClick={() => openAccountsDialog({ kind: 'provider', providerId: p.id })}
        >
          Edit
        </button>
        <button
          type="button"
          className="button button-small button-danger-ghost"
          aria-label={`Remove ${p.name}`}
          onClick={() => openAccountsDialog({ kind: 'removeProvider', providerId: p.id })}
        >
          Remove
        </button>
      </div>
    </li>
  );
}

/** The exact redirect URI to register at the provider (each of them, where it wants fixed ports). */
export function RedirectUris({ redirectUri, fixedPorts }: { redirectUri: string; fixedPorts: number[] }) {
  const uris = fixedPorts.length > 1 ? fixedPorts.map((port) => redirectUri.replace(/:\d+\//, `:${port}/`)) : [redirectUri];
  return (
    <div className="redirect-uris">
      <p className="facts-label">{uris.length > 1 ? 'Redirect URIs to register (all of them)' : 'Redirect URI to register'}</p>
      <ul className="redirect-uri-list">
        {uris.map((uri) => (
          <li key={uri} className="redirect-uri">
            <code className="mono selectable">{uri}</code>
            <CopyButton text={uri} what="redirect URI" />
          </li>
        ))}
      </ul>
      {fixedPorts.length === 0 ? (
        <p className="field-hint">Any port: Agent Keyring picks a free one for each sign-in, as the provider allows.</p>
      ) : null}
    </div>
  );
}
