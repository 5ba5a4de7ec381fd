import type { Dependant } from '../../shared/schemas/inventory';
import type { RemoteSecret } from './types';

/** kind, id, name, access, access level, created at, phone number, provider, referenced ids (JSON): a dependant's row. */
export type DependantValues = [
  Dependant['kind'],
  string,
  string | null,
  Dependant['access'],
  string | null,
  number | null,
  string | null,
  string | null,
  string,
];

/**
 * A listed secret with all its dependants, in the form it crosses from the API host to main:
 * each dependant as the values of its row, not an object. A page of 10,000 secrets then costs
 * a third less to copy between the processes, and main has nothing left to take apart.
 */
export interface ListedSecret {
  secretId: string;
  name: string;
  dependants: DependantValues[];
}

export function isTruncated(secret: RemoteSecret): boolean {
  return secret.truncated.agents || secret.truncated.tools || secret.truncated.phoneNumbers;
}

/** For a secret whose dependants are complete (none cut short, or completed since). */
export function toListedSecret(secret: RemoteSecret): ListedSecret {
  return {
    secretId: secret.secretId,
    name: secret.name,
    dependants: secret.dependants.map((d): DependantValues => [
      d.kind,
      d.id,
      d.name,
      d.access,
      d.accessLevel,
      d.createdAtUnix,
      d.phoneNumber,
      d.provider,
      d.referencedResourceIds.length === 0 ? '[]' : JSON.stringify(d.referencedResourceIds),
    ]),
  };
}

/**
 * Part of a listing of secrets, as the API host hands it to main (the `streamSecrets` event).
 * The few secrets whose dependants the API cut short come whole, for main to complete first.
 */
export interface SecretBatch {
  /** Pages of the listing received so far (for progress). */
  pages: number;
  secrets: ListedSecret[];
  truncated: RemoteSecret[];
}

export function toSecretBatch(secrets: RemoteSecret[], pages: number): SecretBatch {
  const batch: SecretBatch = { pages, secrets: [], truncated: [] };
  for (const secret of secrets) {
    if (isTruncated(secret)) batch.truncated.push(secret);
    else batch.secrets.push(toListedSecret(secret));
  }
  return batch;
}
