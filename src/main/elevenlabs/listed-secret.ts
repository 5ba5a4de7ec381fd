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

export function dependantValues(d: Dependant): DependantValues {
  return [
    d.kind,
    d.id,
    d.name,
    d.access,
    d.accessLevel,
    d.createdAtUnix,
    d.phoneNumber,
    d.provider,
    d.referencedResourceIds.length === 0 ? '[]' : JSON.stringify(d.referencedResourceIds),
  ];
}

/** A dependant's values as one text: the key it is numbered by, and what a secret's dependants digest is made of. */
export const dependantText = (values: DependantValues): string => values.join('\u0000');

/**
 * Numbers distinct dependants. A workspace has a few hundred agents and tools, each used by many
 * secrets: a listing of 10,000 secrets names about 15,000 dependants but only ~150 distinct ones.
 * Each is handed over, and stored, once; a secret carries the numbers of its dependants.
 */
export class DependantNumbering {
  readonly #numbers = new Map<string, number>();
  readonly #values: DependantValues[] = [];
  readonly #texts: string[] = [];

  /** The dependant's number, given to it now if it is new. */
  number(values: DependantValues): number {
    const text = dependantText(values);
    let number = this.#numbers.get(text);
    if (number === undefined) {
      number = this.#values.length;
      this.#numbers.set(text, number);
      this.#values.push(values);
      this.#texts.push(text);
    }
    return number;
  }

  get size(): number {
    return this.#values.length;
  }

  values(number: number): DependantValues {
    return this.#values[number]!;
  }

  text(number: number): string {
    return this.#texts[number]!;
  }

  /** The dependants numbered from `from` on, in order. */
  since(from: number): DependantValues[] {
    return this.#values.slice(from);
  }
}

/** A listed secret whose dependants are complete, each as its number in the listing's `DependantNumbering`. */
export interface ListedSecret {
  secretId: string;
  name: string;
  dependants: number[];
}

export function isTruncated(secret: RemoteSecret): boolean {
  return secret.truncated.agents || secret.truncated.tools || secret.truncated.phoneNumbers;
}

/** For a secret whose dependants are complete (none cut short, or completed since). */
export function toListedSecret(secret: RemoteSecret, numbering: DependantNumbering): ListedSecret {
  return {
    secretId: secret.secretId,
    name: secret.name,
    dependants: secret.dependants.map((d) => numbering.number(dependantValues(d))),
  };
}

/**
 * Part of a listing of secrets, as the API host hands it to main (the `streamSecrets` event).
 * Dependants come once per listing: `dependants` are those first named in this batch, numbered
 * from `dependantsFrom`, and each secret names its dependants by number. A page of 10,000 secrets
 * is then a quarter of the bytes to scrub, copy between the processes and take apart.
 * The few secrets whose dependants the API cut short come whole, for main to complete first.
 */
export interface SecretBatch {
  /** Pages of the listing received so far (for progress). */
  pages: number;
  dependantsFrom: number;
  dependants: DependantValues[];
  secrets: ListedSecret[];
  truncated: RemoteSecret[];
}

export function toSecretBatch(secrets: RemoteSecret[], pages: number, numbering: DependantNumbering): SecretBatch {
  const dependantsFrom = numbering.size;
  const listed: ListedSecret[] = [];
  const truncated: RemoteSecret[] = [];
  for (const secret of secrets) {
    if (isTruncated(secret)) truncated.push(secret);
    else listed.push(toListedSecret(secret, numbering));
  }
  return { pages, dependantsFrom, dependants: numbering.since(dependantsFrom), secrets: listed, truncated };
}
