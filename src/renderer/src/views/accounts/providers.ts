import type { Provider, ProviderKind } from '../../../../shared/schemas/accounts';

const kindLabels: Record<ProviderKind, string> = {
  google: 'Google',
  slack: 'Slack',
  github: 'GitHub',
  microsoft: 'Microsoft',
  custom: 'Custom OAuth 2',
};

export function kindLabel(kind: ProviderKind): string {
  return kindLabels[kind];
}

/** What is known about a provider's client secret: never the secret, only whether one is kept. */
export function clientSecretText(p: Pick<Provider, 'hasClientSecret' | 'clientSecretNeeded'>): { text: string; tone: string } {
  if (p.hasClientSecret) return { text: 'Saved in the keychain', tone: '' };
  if (p.clientSecretNeeded === 'required') return { text: 'Needed, not saved yet: edit the provider to add it', tone: 'tone-bad' };
  if (p.clientSecretNeeded === 'none') return { text: 'Not used (public client)', tone: 'muted' };
  return { text: 'None (public client with PKCE)', tone: 'muted' };
}

/** A loopback redirect URI with a fixed port (or without one: any port). */
export function withPort(redirectUri: string, port: number | null): string {
  const url = new URL(redirectUri);
  url.port = port === null ? '' : String(port);
  return url.href;
}

/** "alice · Local IdP", as main's activity log and review name an account. */
export function accountName(a: { personLabel: string; providerName: string }): string {
  return `${a.personLabel} · ${a.providerName}`;
}

/** The secret name suggested for a binding: the one the dynamic variables use too. */
export function suggestedSecretName(kind: ProviderKind, personLabel: string): string {
  const slug =
    personLabel
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '') || 'person';
  return `${kind}_token_${slug}`;
}
