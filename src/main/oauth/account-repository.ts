import type { Problem } from '../../shared/schemas/common';
import type { ProviderKind } from '../../shared/schemas/accounts';
import type { Database } from '../db/database';

export interface ProviderRecord {
  id: string;
  kind: ProviderKind;
  name: string;
  clientId: string;
  clientSecretRef: string | null;
  authorizeUrl: string;
  tokenUrl: string;
  revokeUrl: string | null;
  issuer: string | null;
  scopes: string[];
  pkce: boolean;
  /** Custom providers: the redirect URI's fixed port, or null for any free one. */
  port: number | null;
  createdAt: number;
}

export type AccountStatus = 'active' | 'refresh_failing' | 'needs_reconnect';

/** A linked account as stored: keychain refs of its tokens, never a token. */
export interface AccountRecord {
  id: string;
  personId: string;
  personLabel: string;
  providerId: string;
  subject: string | null;
  scopes: string[];
  accessTokenRef: string;
  refreshTokenRef: string | null;
  issuedAt: number;
  expiresAt: number | null;
  status: AccountStatus;
  problem: Problem | null;
  failures: number;
  nextAttemptAt: number | null;
  linkedAt: number;
  refreshedAt: number | null;
}

interface ProviderRow {
  id: string;
  kind: ProviderKind;
  name: string;
  client_id: string;
  client_secret_ref: string | null;
  authorize_url: string;
  token_url: string;
  revoke_url: string | null;
  issuer: string | null;
  scopes: string;
  pkce: number;
  port: number | null;
  created_at: number;
}

interface AccountRow {
  id: string;
  person_id: string;
  person_label: string;
  provider_id: string;
  subject: string | null;
  scopes: string;
  access_token_ref: string;
  refresh_token_ref: string | null;
  issued_at: number;
  expires_at: number | null;
  status: AccountStatus;
  problem: string | null;
  failures: number;
  next_attempt_at: number | null;
  linked_at: number;
  refreshed_at: number | null;
}

const ACCOUNT_COLUMNS = `a.*, p.label AS person_label`;

/** Providers, people and linked accounts. Plain SQL; callers own the transactions. */
export class AccountRepository {
  constructor(private readonly db: Database) {}

  providers(): ProviderRecord[] {
    return (this.db.prepare('SELECT * FROM oauth_providers ORDER BY name').all() as ProviderRow[]).map(toProvider);
  }

  provider(id: string): ProviderRecord | undefined {
    const row = this.db.prepare('SELECT * FROM oauth_providers WHERE id = ?').get(id) as ProviderRow | undefined;
    return row && toProvider(row);
  }

  saveProvider(record: ProviderRecord): void {
    this.db
      .prepare(
        `INSERT INTO oauth_providers (id, kind, name, client_id, client_secret_ref, authorize_url, token_url, revoke_url, issuer, scopes, pkce, port, created_at)
         VALUES (@id, @kind, @name, @clientId, @clientSecretRef, @authorizeUrl, @tokenUrl, @revokeUrl, @issuer, @scopes, @pkce, @port, @createdAt)
         ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name, client_id = excluded.client_id,
           client_secret_ref = excluded.client_secret_ref, authorize_url = excluded.authorize_url, token_url = excluded.token_url,
           revoke_url = excluded.revoke_url, issuer = excluded.issuer, scopes = excluded.scopes, pkce = excluded.pkce,
           port = excluded.port`,
      )
      .run({ ...record, scopes: JSON.stringify(record.scopes), pkce: record.pkce ? 1 : 0 });
  }

  deleteProvider(id: string): void {
    this.db.prepare('DELETE FROM oauth_providers WHERE id = ?').run(id);
  }

  people(): { id: string; label: string }[] {
    return this.db.prepare('SELECT id, label FROM people ORDER BY label').all() as { id: string; label: string }[];
  }

  personByLabel(label: string): { id: string; label: string } | undefined {
    return this.db.prepare('SELECT id, label FROM people WHERE label = ?').get(label) as { id: string; label: string } | undefined;
  }

  insertPerson(person: { id: string; label: string; createdAt: number }): void {
    this.db.prepare('INSERT INTO people (id, label, created_at) VALUES (?, ?, ?)').run(person.id, person.label, person.createdAt);
  }

  /** People nobody is linked for any more are forgotten. */
  deleteUnusedPeople(): void {
    this.db.prepare('DELETE FROM people WHERE id NOT IN (SELECT person_id FROM linked_accounts)').run();
  }

  accounts(): AccountRecord[] {
    return (
      this.db
        .prepare(`SELECT ${ACCOUNT_COLUMNS} FROM linked_accounts a JOIN people p ON p.id = a.person_id ORDER BY p.label, a.linked_at`)
        .all() as AccountRow[]
    ).map(toAccount);
  }

  account(id: string): AccountRecord | undefined {
    const row = this.db
      .prepare(`SELECT ${ACCOUNT_COLUMNS} FROM linked_accounts a JOIN people p ON p.id = a.person_id WHERE a.id = ?`)
      .get(id) as AccountRow | undefined;
    return row && toAccount(row);
  }

  accountFor(personId: string, providerId: string): AccountRecord | undefined {
    return this.accounts().find((account) => account.personId === personId && account.providerId === providerId);
  }

  insertAccount(record: Omit<AccountRecord, 'personLabel'>): void {
    this.db
      .prepare(
        `INSERT INTO linked_accounts (id, person_id, provider_id, subject, scopes, access_token_ref, refresh_token_ref, issued_at,
           expires_at, status, problem, failures, next_attempt_at, linked_at, refreshed_at)
         VALUES (@id, @personId, @providerId, @subject, @scopes, @accessTokenRef, @refreshTokenRef, @issuedAt, @expiresAt, @status,
           @problem, @failures, @nextAttemptAt, @linkedAt, @refreshedAt)`,
      )
      .run({ ...record, scopes: JSON.stringify(record.scopes), problem: record.problem ? JSON.stringify(record.problem) : null });
  }

  /** New tokens (a refresh, or a reconnect): the refs, the expiry, and a healthy status. */
  setTokens(
    id: string,
    tokens: {
      accessTokenRef: string;
      refreshTokenRef: string | null;
      issuedAt: number;
      expiresAt: number | null;
      scopes: string[];
      subject: string | null;
    },
    at: number,
  ): void {
    this.db
      .prepare(
        `UPDATE linked_accounts SET access_token_ref = @accessTokenRef, refresh_token_ref = @refreshTokenRef, issued_at = @issuedAt,
           expires_at = @expiresAt, scopes = @scopes, subject = coalesce(@subject, subject), status = 'active', problem = NULL,
           failures = 0, next_attempt_at = NULL, refreshed_at = @at WHERE id = @id`,
      )
      .run({ ...tokens, scopes: JSON.stringify(tokens.scopes), id, at });
  }

  setStatus(id: string, status: { status: AccountStatus; problem: Problem | null; failures: number; nextAttemptAt: number | null }): void {
    this.db
      .prepare('UPDATE linked_accounts SET status = ?, problem = ?, failures = ?, next_attempt_at = ? WHERE id = ?')
      .run(status.status, status.problem ? JSON.stringify(status.problem) : null, status.failures, status.nextAttemptAt, id);
  }

  deleteAccount(id: string): void {
    this.db.prepare('DELETE FROM linked_accounts WHERE id = ?').run(id);
  }

  /** Whether a row points at this keychain entry, for reconcile. */
  ownsTokenRef(ref: string): boolean {
    return this.db.prepare('SELECT 1 FROM linked_accounts WHERE access_token_ref = ? OR refresh_token_ref = ?').get(ref, ref) !== undefined;
  }

  ownsClientSecretRef(ref: string): boolean {
    return this.db.prepare('SELECT 1 FROM oauth_providers WHERE client_secret_ref = ?').get(ref) !== undefined;
  }
}

function toProvider(row: ProviderRow): ProviderRecord {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    clientId: row.client_id,
    clientSecretRef: row.client_secret_ref,
    authorizeUrl: row.authorize_url,
    tokenUrl: row.token_url,
    revokeUrl: row.revoke_url,
    issuer: row.issuer,
    scopes: JSON.parse(row.scopes) as string[],
    pkce: row.pkce === 1,
    port: row.port,
    createdAt: row.created_at,
  };
}

function toAccount(row: AccountRow): AccountRecord {
  return {
    id: row.id,
    personId: row.person_id,
    personLabel: row.person_label,
    providerId: row.provider_id,
    subject: row.subject,
    scopes: JSON.parse(row.scopes) as string[],
    accessTokenRef: row.access_token_ref,
    refreshTokenRef: row.refresh_token_ref,
    issuedAt: row.issued_at,
    expiresAt: row.expires_at,
    status: row.status,
    problem: row.problem ? (JSON.parse(row.problem) as Problem) : null,
    failures: row.failures,
    nextAttemptAt: row.next_attempt_at,
    linkedAt: row.linked_at,
    refreshedAt: row.refreshed_at,
  };
}
