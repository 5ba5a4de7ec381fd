import { dependantsByKind } from '../../shared/dependants';
import type { ReviewItem } from '../../shared/schemas/review';
import { isReviewed, type AppSettingsValues } from '../../shared/schemas/settings';
import type { Database } from '../db/database';
import type { LocalSecretRepository } from '../local-secrets/local-secret-repository';
import type { AccountRepository } from '../oauth/account-repository';
import { targetState } from '../local-secrets/local-secret-service';
import type { Clock } from '../ports/clock';
import { connectionReviewItems } from './connection-review';
import { reviewItem } from './review-item';
import { variableReviewItems } from './variable-review';
import type { LastVerifiedBackup } from '../../shared/schemas/backup';

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;
/** A token that cannot be refreshed is listed this long before it ends. */
const EXPIRING_WITHIN_MS = 3 * DAY_MS;

/**
 * What needs attention, from SQLite alone: each kind of item is one question about the inventory.
 * Remote secrets are reviewed, and compared, only in the workspaces the user chose (by default
 * all but the demo); local secrets are this computer's and always reviewed.
 */
export class ReviewService {
  constructor(
    private readonly db: Database,
    private readonly local: LocalSecretRepository,
    private readonly accounts: AccountRepository,
    private readonly clock: Clock,
    /** Which local values no verified backup holds (the backup service; absent, none are listed). */
    private readonly backups?: { needsBackup(): string[]; lastVerifiedBackup(): LastVerifiedBackup },
  ) {}

  list(rotationDays: number, choices: AppSettingsValues['reviewWorkspaces']): ReviewItem[] {
    const secrets = this.local.all();
    const targets = this.local.allTargets();
    const workspaces = (
      this.db.prepare('SELECT id, label, residency, sync_status FROM workspaces ORDER BY position').all() as {
        id: string;
        label: string;
        residency: string;
        sync_status: string | null;
      }[]
    ).filter((workspace) => isReviewed(workspace, choices));
    const reviewed = new Set(workspaces.map((workspace) => workspace.id));
    const allRemotes = this.local.remoteSecrets(null).filter((remote) => !remote.removed);
    const remotes = allRemotes.filter((remote) => reviewed.has(remote.workspaceId));
    const key = (workspaceId: string, secretId: string) => `${workspaceId}\u0000${secretId}`;
    const remoteById = new Map(allRemotes.map((remote) => [key(remote.workspaceId, remote.secretId), remote]));
    const managed = new Set(targets.filter((t) => t.remoteSecretId).map((t) => key(t.workspaceId, t.remoteSecretId!)));
    const items: ReviewItem[] = [];

    for (const remote of remotes) {
      if (remote.agentCount > 0 && !managed.has(key(remote.workspaceId, remote.secretId))) {
        items.push(
          reviewItem({
            kind: 'in_use_without_local_value',
            name: remote.name,
            workspaceIds: [remote.workspaceId],
            remoteSecretId: remote.secretId,
            detail: `Used by ${dependantsByKind(remote.counts)}, with no local value here: adopt it to manage its value.`,
          }),
        );
      }
      if (remote.dependantCount === 0) {
        items.push(
          reviewItem({
            kind: 'unused_remote',
            name: remote.name,
            workspaceIds: [remote.workspaceId],
            remoteSecretId: remote.secretId,
            detail: 'Nothing uses it.',
          }),
        );
      }
    }

    const byFingerprint = new Map<string, typeof secrets>();
    for (const secret of secrets) byFingerprint.set(secret.fingerprint, [...(byFingerprint.get(secret.fingerprint) ?? []), secret]);
    const cutoff = this.clock.now() - rotationDays * DAY_MS;
    for (const secret of secrets) {
      const own = targets.filter((t) => t.localSecretId === secret.id);
      const states = own.map((t) => ({
        t,
        state: targetState(secret, t, t.remoteSecretId ? remoteById.get(key(t.workspaceId, t.remoteSecretId)) : undefined),
      }));
      const changed = states.filter((s) => s.state === 'value_changed').map((s) => s.t.workspaceId);
      if (changed.length > 0) {
        items.push(
          reviewItem({
            kind: 'changed_since_push',
            name: secret.name,
            workspaceIds: changed,
            localSecretId: secret.id,
            detail: 'The local value changed since it was last pushed.',
            since: secret.valueChangedAt,
          }),
        );
      }
      if (own.every((t) => t.pushedAt === null)) {
        items.push(
          reviewItem({
            kind: 'never_pushed',
            name: secret.name,
            workspaceIds: own.map((t) => t.workspaceId),
            localSecretId: secret.id,
            detail: own.length === 0 ? 'It targets no workspace.' : 'It has not been pushed yet.',
            since: secret.createdAt,
          }),
        );
      }
      const same = (byFingerprint.get(secret.fingerprint) ?? []).filter((other) => other.id !== secret.id);
      if (same.length > 0) {
        items.push(
          reviewItem({
            kind: 'shared_value',
            name: secret.name,
            workspaceIds: [],
            localSecretId: secret.id,
            detail: `Same value as ${same.map((other) => other.name).join(', ')}.`,
          }),
        );
      }
      if (secret.valueChangedAt < cutoff) {
        items.push(
          reviewItem({
            kind: 'not_rotated',
            name: secret.name,
            workspaceIds: [],
            localSecretId: secret.id,
            detail: `Not rotated for ${Math.floor((this.clock.now() - secret.valueChangedAt) / DAY_MS)} days.`,
            since: secret.valueChangedAt,
          }),
        );
      }
    }

    // Names in some of the compared workspaces and not in others (only where several have been synced).
    const compared = workspaces.filter((workspace) => workspace.sync_status === 'ok');
    if (compared.length > 1) {
      const labelOf = new Map(compared.map((workspace) => [workspace.id, workspace.label]));
      const where = new Map<string, Set<string>>();
      for (const remote of remotes)
        if (labelOf.has(remote.workspaceId)) where.set(remote.name, (where.get(remote.name) ?? new Set()).add(remote.workspaceId));
      const comparedText = `Compared ${compared.map((workspace) => workspace.label).join(', ')}`;
      for (const [name, present] of where) {
        if (present.size === compared.length) continue;
        const missing = compared.filter((workspace) => !present.has(workspace.id));
        const presentLabels = compared.filter((workspace) => present.has(workspace.id)).map((workspace) => workspace.label);
        items.push(
          reviewItem({
            kind: 'missing_in_workspace',
            name,
            workspaceIds: missing.map((workspace) => workspace.id),
            detail: `${comparedText}: in ${presentLabels.join(', ')}, missing in ${missing.map((workspace) => workspace.label).join(', ')}.`,
          }),
        );
      }
    }
    items.push(...this.#accountItems(secrets));
    // Auth connections: synced ones in the reviewed workspaces, and those kept here.
    items.push(...connectionReviewItems(this.db, reviewed, this.clock.now()));
    // Environment variables of the reviewed workspaces.
    items.push(...variableReviewItems(this.db, reviewed));
    // Local values only this computer holds: changed after the last verified backup, or never backed up.
    if (this.backups) {
      const last = this.backups.lastVerifiedBackup();
      const unsaved = new Set(this.backups.needsBackup());
      for (const secret of secrets.filter((s) => unsaved.has(s.id))) {
        items.push(
          reviewItem({
            kind: 'not_backed_up',
            name: secret.name,
            workspaceIds: [],
            localSecretId: secret.id,
            detail: last
              ? 'Its value changed after the last verified backup: only this computer holds it.'
              : 'No verified backup has been made on this computer: only it holds this value.',
            since: secret.valueChangedAt,
          }),
        );
      }
    }
    return items;
  }

  /** Linked accounts that need the builder: from their rows alone, no token is read. */
  #accountItems(secrets: ReturnType<LocalSecretRepository['all']>): ReviewItem[] {
    const now = this.clock.now();
    const providers = new Map(this.accounts.providers().map((provider) => [provider.id, provider.name]));
    const bound = new Set(secrets.map((secret) => secret.linkedAccountId).filter(Boolean));
    const items: ReviewItem[] = [];
    for (const account of this.accounts.accounts()) {
      const base = {
        name: `${account.personLabel} · ${providers.get(account.providerId) ?? 'provider'}`,
        workspaceIds: [],
        localSecretId: null,
        remoteSecretId: null,
        linkedAccountId: account.id,
      };
      if (account.status === 'needs_reconnect') {
        items.push({
          ...base,
          kind: 'account_needs_reconnect',
          detail: `${account.problem?.message ?? 'The provider no longer accepts its sign-in.'} Reconnect keeps its bindings.`,
          since: account.refreshedAt ?? account.linkedAt,
        });
      } else if (account.status === 'refresh_failing') {
        items.push({
          ...base,
          kind: 'account_refresh_failing',
          detail: `${account.failures} ${account.failures === 1 ? 'refresh' : 'refreshes'} failed; the next try is ${retryIn(
            account.nextAttemptAt,
            now,
          )}.${account.problem ? ` ${account.problem.message}` : ''}`,
          since: account.refreshedAt ?? account.linkedAt,
        });
      } else if (!account.refreshTokenRef && account.expiresAt !== null && account.expiresAt - now < EXPIRING_WITHIN_MS) {
        const hours = Math.round((account.expiresAt - now) / HOUR_MS);
        items.push({
          ...base,
          kind: 'account_expiring',
          detail:
            account.expiresAt <= now
              ? 'Its token has ended and there is no refresh token: reconnect to sign in again.'
              : `Its token ends in ${hours < 1 ? 'less than an hour' : plural(hours, 'hour')} and cannot be refreshed: reconnect before then.`,
          since: account.expiresAt,
        });
      }
      if (!bound.has(account.id)) {
        items.push({
          ...base,
          kind: 'account_unbound',
          detail: 'No workspace secret holds its token (dynamic variables can still hand it to agents).',
          since: account.linkedAt,
        });
      }
    }
    return items;
  }
}

/** When a failed refresh is tried again, as it is: "in 40 s", "in 3 min", "now". */
function retryIn(at: number | null, now: number): string {
  if (at === null) return 'not scheduled';
  const seconds = Math.round((at - now) / 1000);
  if (seconds <= 0) return 'now';
  return seconds < 60 ? `in ${seconds} s` : `in ${Math.round(seconds / 60)} min`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
