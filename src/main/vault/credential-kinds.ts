/**
 * Every kind of credential the vault keeps, with how the app speaks of it. The kind is the
 * prefix of the keychain account name (`<kind>/<random id>`), so any entry says what it is.
 */
export const credentialKinds = {
  'workspace-api-key': {
    what: 'The API key of this workspace',
    remedy: 'Replace the key to use this workspace again.',
  },
  'local-secret-value': {
    what: 'The value of this local secret',
    remedy: 'Give the secret a new value to use it again.',
  },
  'fingerprint-key': {
    what: 'The key Agent Keyring uses to fingerprint values on this computer',
    remedy: 'Fingerprints will be recomputed the next time each value is read.',
  },
  'oauth-access-token': {
    what: 'The access token of this linked account',
    remedy: 'Reconnect the account to get a new one.',
  },
  'oauth-refresh-token': {
    what: 'The refresh token of this linked account',
    remedy: 'Reconnect the account to get a new one.',
  },
  'oauth-client-secret': {
    what: 'The client secret of this OAuth provider',
    remedy: 'Enter the client secret again in the provider settings.',
  },
  // The sensitive parts of a connection kept here, one kind each (auth-connections/kept-connection-credentials.ts).
  'connection-client-secret': {
    what: 'The client secret of this auth connection',
    remedy: 'Edit the connection and enter the client secret again.',
  },
  'connection-token': {
    what: 'The token of this auth connection',
    remedy: 'Edit the connection and enter the token again.',
  },
  'connection-password': {
    what: 'The password of this auth connection',
    remedy: 'Edit the connection and enter the password again.',
  },
  'connection-secret-key': {
    what: 'The signing key of this auth connection',
    remedy: 'Edit the connection and give the signing key again.',
  },
  'connection-client-certificate': {
    what: 'The client certificate of this auth connection',
    remedy: 'Edit the connection and give the client certificate again.',
  },
  'connection-client-key': {
    what: 'The client key of this auth connection',
    remedy: 'Edit the connection and give the client key again.',
  },
  'connection-ca-certificate': {
    what: 'The CA certificate of this auth connection',
    remedy: 'Edit the connection and give the CA certificate again.',
  },
  'connection-key-passphrase': {
    what: 'The key passphrase of this auth connection',
    remedy: 'Edit the connection and enter the key passphrase again.',
  },
} as const satisfies Record<string, { what: string; remedy: string }>;

export type CredentialKind = keyof typeof credentialKinds;

export function isCredentialKind(value: string): value is CredentialKind {
  return Object.hasOwn(credentialKinds, value);
}

/** The kind a keychain account name (a "ref") belongs to, or undefined for one the app did not write. */
export function kindOfRef(ref: string): CredentialKind | undefined {
  const kind = ref.slice(0, ref.indexOf('/'));
  return isCredentialKind(kind) ? kind : undefined;
}

/** Which rows own which keychain entries: each feature registers the question for its kinds. */
export class CredentialOwners {
  readonly #owners = new Map<CredentialKind, (ref: string) => boolean>();

  register(kind: CredentialKind, isOwned: (ref: string) => boolean): void {
    if (this.#owners.has(kind)) throw new Error(`credential kind ${kind} already has an owner`);
    this.#owners.set(kind, isOwned);
  }

  /** Whether a row points at `ref`; undefined when no feature owns its kind (it is then left alone). */
  isOwned(ref: string): boolean | undefined {
    const kind = kindOfRef(ref);
    const owner = kind && this.#owners.get(kind);
    return owner ? owner(ref) : undefined;
  }
}
