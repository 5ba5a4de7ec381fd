import { randomUUID } from 'node:crypto';
import type { ParsedRequestOf, ReplyOf } from '../../shared/contract';
import type { LocalSecret, LocalSecretTarget, TargetState } from '../../shared/schemas/local-secrets';
import { foldForSearch } from '../../shared/search';
import type { ActivityLog } from '../activity/activity-log';
import { KeyedLock } from '../concurrency/keyed-lock';
import type { Database } from '../db/database';
import { AppError } from '../errors';
import { assertTargets, type PushTarget } from '../push/targets';
import type { EventBus } from '../events/event-bus';
import type { SecretClipboard } from '../clipboard/secret-clipboard';
import type { Clock } from '../ports/clock';
import { effectiveName } from '../push/planner';
import type { CredentialStore } from '../vault/credential-store';
import type { WorkspaceRepository } from '../workspaces/workspace-repository';
import type { Fingerprinter } from './fingerprints';
import type { LocalSecretRecord, LocalSecretRepository, RemoteSecretRecord, TargetRecord } from './local-secret-repository';

export interface LocalSecretServiceDeps {
  db: Database;
  repository: LocalSecretRepository;
  workspaces: WorkspaceRepository;
  credentials: CredentialStore;
  fingerprints: Fingerprinter;
  activity: ActivityLog;
  events: EventBus;
  clipboard: SecretClipboard;
  clock: Clock;
}

/** One change to local secrets at a time: names, targets and keychain entries stay consistent. */
const LOCAL_SECRETS = 'local secrets';

/**
 * Local secrets: values the builder keeps here (keychain only), with their names, notes, tags
 * and targets. Values are read on demand (reveal, copy, push) and fingerprinted with an HMAC so
 * SQLite can compare them without holding them.
 */
export class LocalSecretService {
  readonly #lock = new KeyedLock();

  constructor(private readonly deps: LocalSecretServiceDeps) {}

  list(request: ParsedRequestOf<'localSecrets:list'>): ReplyOf<'localSecrets:list'> {
    const all = this.deps.repository.all();
    const query = foldForSearch(request.query.trim());
    const tags = [...new Set(all.flatMap((secret) => secret.tags))].sort((a, b) => a.localeCompare(b));
    const matching = all.filter(
      (secret) =>
        (query === '' || foldForSearch(secret.name).includes(query)) && (request.tag === null || secret.tags.includes(request.tag)),
    );
    // One read of every target and remote secret for the whole list.
    const targets = this.deps.repository.allTargets();
    const remotes = new Map(this.deps.repository.remoteSecrets(null).map((r) => [`${r.workspaceId}\u0000${r.secretId}`, r]));
    const byFingerprint = new Map<string, LocalSecretRecord[]>();
    for (const secret of all) byFingerprint.set(secret.fingerprint, [...(byFingerprint.get(secret.fingerprint) ?? []), secret]);
    const secrets = matching.map((secret) =>
      this.#summary(
        secret,
        targets.filter((t) => t.localSecretId === secret.id),
        (workspaceId, secretId) => remotes.get(`${workspaceId}\u0000${secretId}`),
        byFingerprint.get(secret.fingerprint) ?? [],
      ),
    );
    return { secrets, tags };
  }

  get(id: string): LocalSecret {
    const secret = this.#require(id);
    const { repository } = this.deps;
    return this.#summary(
      secret,
      repository.targetsOf(secret.id),
      (workspaceId, secretId) => repository.remoteSecret(workspaceId, secretId),
      repository.withFingerprint(secret.fingerprint),
    );
  }

  create(request: ParsedRequestOf<'localSecrets:create'>): Promise<LocalSecret> {
    return this.#lock.run(LOCAL_SECRETS, async () => {
      this.#assertNameFree(request.name, null);
      const targets = (request.targets ?? []).map((t) => ({ workspaceId: t.workspaceId, remoteName: t.remoteName }));
      this.#assertTargets(request.name, null, targets);
      const id = await this.#insert({
        name: request.name,
        value: request.value,
        note: request.note ?? '',
        tags: request.tags ?? [],
        targets,
      });
      this.deps.activity.record({ subject: request.name, action: 'create' });
      this.#changed();
      return this.get(id);
    });
  }

  update(request: ParsedRequestOf<'localSecrets:update'>): Promise<LocalSecret> {
    return this.#lock.run(LOCAL_SECRETS, async () => {
      const secret = this.#require(request.id);
      const name = request.name ?? secret.name;
      if (name !== secret.name) {
        this.#assertNameFree(name, secret.id);
        this.#assertTargets(name, secret.id, this.deps.repository.targetsOf(secret.id));
      }
      this.deps.repository.updateDetails(
        secret.id,
        { name, note: request.note ?? secret.note, tags: request.tags ?? secret.tags },
        this.deps.clock.now(),
      );
      if (name !== secret.name) this.deps.activity.record({ subject: name, action: 'rename', detail: `was ${secret.name}` });
      else this.deps.activity.record({ subject: name, action: 'update', detail: 'note or tags' });
      this.#changed();
      return this.get(secret.id);
    });
  }

  /** A new value; the current one is kept as the previous version until the next rotation. */
  rotate(request: ParsedRequestOf<'localSecrets:rotate'>): Promise<LocalSecret> {
    return this.#lock.run(LOCAL_SECRETS, async () => {
      const secret = this.#requireUnbound(request.id);
      await this.#replaceValue(secret, request.value);
      this.deps.activity.record({ subject: secret.name, action: 'rotate' });
      this.#changed();
      return this.get(secret.id);
    });
  }

  /** The previous value becomes the current one again (and the current one the previous). */
  restorePrevious(id: string): Promise<LocalSecret> {
    return this.#lock.run(LOCAL_SECRETS, async () => {
      const secret = this.#requireUnbound(id);
      if (!secret.previousValueRef || !secret.previousFingerprint) {
        throw new AppError('conflict', `“${secret.name}” has no previous value to restore: it has not been rotated.`);
      }
      this.deps.repository.setValues(
        secret.id,
        {
          valueRef: secret.previousValueRef,
          fingerprint: secret.previousFingerprint,
          previousValueRef: secret.valueRef,
          previousFingerprint: secret.fingerprint,
        },
        this.deps.clock.now(),
      );
      this.deps.activity.record({ subject: secret.name, action: 'restore' });
      this.#changed();
      return this.get(secret.id);
    });
  }

  /** Deletes the local secret and its values; remote secrets stay (deleting them is a push). */
  delete(id: string): Promise<ReplyOf<'localSecrets:delete'>> {
    return this.#lock.run(LOCAL_SECRETS, async () => {
      const secret = this.#require(id);
      const refs = [secret.valueRef, ...(secret.previousValueRef ? [secret.previousValueRef] : [])];
      this.deps.db.transaction(() => {
        this.deps.repository.delete(secret.id);
        for (const ref of refs) this.deps.credentials.markForDiscard(ref);
      })();
      await this.deps.credentials.flushDiscards(refs);
      this.deps.activity.record({ subject: secret.name, action: 'delete', detail: 'local value deleted; remote secrets kept' });
      this.#changed();
      return { deletedId: secret.id };
    });
  }

  setTargets(request: ParsedRequestOf<'localSecrets:setTargets'>): Promise<LocalSecret> {
    return this.#lock.run(LOCAL_SECRETS, async () => {
      const secret = this.#require(request.id);
      this.#assertTargets(secret.name, secret.id, request.targets);
      this.deps.repository.replaceTargets(secret.id, request.targets);
      this.deps.activity.record({ subject: secret.name, action: 'update', detail: `targets ${request.targets.length} workspace(s)` });
      this.#changed();
      return this.get(secret.id);
    });
  }

  /**
   * Gives a remote secret made elsewhere a local value: a new local secret of its name (or the one
   * given) that targets it. The next push sends the value to it; from then on it is managed here.
   */
  adopt(request: ParsedRequestOf<'localSecrets:adopt'>): Promise<LocalSecret> {
    return this.#lock.run(LOCAL_SECRETS, async () => {
      this.#requireWorkspace(request.workspaceId);
      const remote = this.deps.repository.remoteSecret(request.workspaceId, request.remoteSecretId);
      if (!remote || remote.removed) {
        throw new AppError('not_found', 'That remote secret is not in the synced inventory. Sync the workspace, then try again.');
      }
      const owner = this.deps.repository
        .allTargets()
        .find((t) => t.workspaceId === remote.workspaceId && t.remoteSecretId === remote.secretId);
      if (owner) throw new AppError('conflict', `“${remote.name}” already has a local value here.`);
      let id: string;
      if (request.localSecretId) {
        const secret = this.#require(request.localSecretId);
        const remoteName = remote.name === secret.name ? null : remote.name;
        this.#assertTargets(secret.name, secret.id, [
          ...this.deps.repository.targetsOf(secret.id),
          { workspaceId: remote.workspaceId, remoteName },
        ]);
        await this.#replaceValue(secret, request.value);
        this.deps.repository.linkRemote(secret.id, remote.workspaceId, remote.secretId, remoteName);
        id = secret.id;
      } else {
        this.#assertNameFree(remote.name, null);
        id = await this.#insert({ name: remote.name, value: request.value, note: '', tags: [], targets: [] });
        this.deps.repository.linkRemote(id, remote.workspaceId, remote.secretId, null);
      }
      this.deps.activity.record({ workspaceId: remote.workspaceId, subject: remote.name, action: 'adopt' });
      this.#changed();
      return this.get(id);
    });
  }

  /** The explicit reveal: the only reply that carries a value. */
  async reveal(request: ParsedRequestOf<'localSecrets:reveal'>): Promise<{ value: string }> {
    return { value: await this.#read(this.#require(request.id), request.version) };
  }

  /**
   * Copies a value to the system clipboard from here (it never visits the renderer) and clears
   * the clipboard after the configured time, unless something else was copied since.
   */
  async copy(request: ParsedRequestOf<'localSecrets:copy'>): Promise<{ clearsAt: number }> {
    return this.deps.clipboard.copy(await this.#read(this.#require(request.id), request.version));
  }

  /** Reads a value for a push: the current one, with the fingerprint of exactly what was read. */
  async currentValue(id: string): Promise<{ secret: LocalSecretRecord; value: string; fingerprint: string }> {
    const secret = this.#require(id);
    const value = await this.deps.credentials.read(secret.valueRef);
    return { secret, value, fingerprint: await this.deps.fingerprints.of(value) };
  }

  /** Creates a local secret (the keychain entry journaled, the row and its targets in one transaction). */
  async insertFromImport(input: { name: string; value: string; targets: { workspaceId: string; remoteName: null }[] }): Promise<void> {
    await this.#lock.run(LOCAL_SECRETS, async () => {
      this.#assertNameFree(input.name, null);
      this.#assertTargets(input.name, null, input.targets);
      await this.#insert({ name: input.name, value: input.value, note: '', tags: [], targets: input.targets });
    });
  }

  /** Gives an existing local secret a new value from an import (kept as a rotation). */
  async rotateFromImport(id: string, value: string): Promise<void> {
    await this.#lock.run(LOCAL_SECRETS, async () => this.#replaceValue(this.#require(id), value));
  }

  /** A local secret holding a linked account's access token, pushed to these workspaces under `name`. */
  createBound(input: { name: string; accountId: string; token: string; workspaceIds: string[] }): Promise<string> {
    return this.#lock.run(LOCAL_SECRETS, async () => {
      const existing = this.deps.repository.findByName(input.name);
      const targets = input.workspaceIds.map((workspaceId) => ({ workspaceId, remoteName: null }));
      if (existing) {
        if (existing.linkedAccountId !== input.accountId) this.#assertNameFree(input.name, null);
        this.#assertTargets(existing.name, existing.id, targets);
        this.deps.repository.replaceTargets(existing.id, targets);
        return existing.id;
      }
      this.#assertTargets(input.name, null, targets);
      const id = await this.#insert({
        name: input.name,
        value: input.token,
        note: '',
        tags: [],
        targets,
        linkedAccountId: input.accountId,
      });
      this.deps.activity.record({ subject: input.name, action: 'create', detail: "holds a linked account's access token" });
      this.#changed();
      return id;
    });
  }

  /** A bound secret's new value after a refresh: the old token is dropped, not kept. */
  setBoundValue(id: string, token: string): Promise<void> {
    return this.#lock.run(LOCAL_SECRETS, async () => {
      const secret = this.deps.repository.find(id);
      if (secret?.linkedAccountId) await this.#replaceValue(secret, token, false);
    });
  }

  /** Tells the renderer local secrets changed. */
  changed(): void {
    this.#changed();
  }

  async #insert(input: {
    name: string;
    value: string;
    note: string;
    tags: string[];
    targets: { workspaceId: string; remoteName: string | null }[];
    linkedAccountId?: string;
  }): Promise<string> {
    const { credentials, db, repository } = this.deps;
    const fingerprint = await this.deps.fingerprints.of(input.value);
    const ref = await credentials.store('local-secret-value', input.value);
    const id = randomUUID();
    const at = this.deps.clock.now();
    try {
      db.transaction(() => {
        repository.insert({
          id,
          name: input.name,
          note: input.note,
          tags: input.tags,
          valueRef: ref,
          previousValueRef: null,
          fingerprint,
          previousFingerprint: null,
          createdAt: at,
          updatedAt: at,
          valueChangedAt: at,
          linkedAccountId: input.linkedAccountId ?? null,
        });
        repository.replaceTargets(id, input.targets);
        credentials.settle(ref);
      })();
    } catch (error) {
      await credentials.discard(ref);
      throw storageFailed(error);
    }
    return id;
  }

  /** A new value; the current one becomes the previous (or, with `keepPrevious: false`, is dropped). */
  async #replaceValue(secret: LocalSecretRecord, value: string, keepPrevious = true): Promise<void> {
    const { credentials, db, repository } = this.deps;
    const fingerprint = await this.deps.fingerprints.of(value);
    const ref = await credentials.store('local-secret-value', value);
    let dropped: string | null = null;
    try {
      db.transaction(() => {
        // Re-read under the transaction: the row is the truth about which entries it owns.
        const current = repository.find(secret.id);
        if (!current) throw new AppError('not_found', 'That local secret was deleted meanwhile. The new value was not kept.');
        dropped = keepPrevious ? current.previousValueRef : current.valueRef;
        repository.setValues(
          secret.id,
          keepPrevious
            ? { valueRef: ref, fingerprint, previousValueRef: current.valueRef, previousFingerprint: current.fingerprint }
            : { valueRef: ref, fingerprint, previousValueRef: current.previousValueRef, previousFingerprint: current.previousFingerprint },
          this.deps.clock.now(),
        );
        credentials.settle(ref);
        if (dropped) credentials.markForDiscard(dropped);
      })();
    } catch (error) {
      await credentials.discard(ref);
      throw storageFailed(error);
    }
    const discarded: string | null = dropped;
    if (discarded) await credentials.flushDiscards([discarded]);
  }

  async #read(secret: LocalSecretRecord, version: 'current' | 'previous'): Promise<string> {
    if (version === 'previous' && !secret.previousValueRef) throw new AppError('not_found', `“${secret.name}” has no previous value.`);
    return this.deps.credentials.read(version === 'current' ? secret.valueRef : secret.previousValueRef!);
  }

  #summary(
    secret: LocalSecretRecord,
    targets: TargetRecord[],
    remoteOf: (workspaceId: string, secretId: string) => RemoteSecretRecord | undefined,
    sameValue: { id: string; name: string }[],
  ): LocalSecret {
    return {
      id: secret.id,
      name: secret.name,
      note: secret.note,
      tags: secret.tags,
      createdAt: secret.createdAt,
      updatedAt: secret.updatedAt,
      valueChangedAt: secret.valueChangedAt,
      hasPrevious: secret.previousValueRef !== null,
      linkedAccountId: secret.linkedAccountId,
      sharesValueWith: sameValue.filter((other) => other.id !== secret.id).map((other) => ({ id: other.id, name: other.name })),
      targets: targets.map((t) => toTarget(secret, t, t.remoteSecretId ? remoteOf(t.workspaceId, t.remoteSecretId) : undefined)),
    };
  }

  #assertNameFree(name: string, exceptId: string | null): void {
    const existing = this.deps.repository.findByName(name);
    if (existing && existing.id !== exceptId) {
      throw new AppError('conflict', `A local secret named “${name}” already exists. Choose another name.`, { field: 'name' });
    }
  }

  /** Targets name real workspaces, once each, and no other local secret pushes to the same name there. */
  #assertTargets(name: string, selfId: string | null, targets: PushTarget[]): void {
    assertTargets(
      name,
      targets,
      (id) => this.#requireWorkspace(id),
      (workspaceId, remoteName, label) => {
        const clash = this.deps.repository.targetNamed(workspaceId, remoteName, selfId);
        return clash
          ? `“${clash.localName}” already pushes to “${remoteName}” in “${label}”: two local secrets cannot share one remote name.`
          : null;
      },
    );
  }

  /** A local secret whose value the user sets (not one bound to a linked account's token). */
  #requireUnbound(id: string): LocalSecretRecord {
    const secret = this.#require(id);
    if (secret.linkedAccountId) {
      throw new AppError(
        'conflict',
        `“${secret.name}” holds a linked account's access token: its value changes when the token is refreshed.`,
      );
    }
    return secret;
  }

  #require(id: string): LocalSecretRecord {
    const secret = this.deps.repository.find(id);
    if (!secret) throw new AppError('not_found', 'That local secret no longer exists. It may have been deleted.');
    return secret;
  }

  #requireWorkspace(id: string) {
    const workspace = this.deps.workspaces.find(id);
    if (!workspace) throw new AppError('not_found', 'That workspace no longer exists here. It may have been removed.');
    return workspace;
  }

  #changed(): void {
    this.deps.events.emit('localSecrets:changed', {});
  }
}

/** How a target stands against the synced inventory (SQLite only). */
export function targetState(secret: LocalSecretRecord, target: TargetRecord, remote: RemoteSecretRecord | undefined): TargetState {
  if (target.remoteSecretId === null || target.pushedFingerprint === null)
    return target.pushedAt === null ? 'never_pushed' : 'missing_remotely';
  if (!remote || remote.removed) return 'missing_remotely';
  if (target.pushedFingerprint !== secret.fingerprint) return 'value_changed';
  if (remote.name !== effectiveName(secret, target)) return 'renamed';
  return 'in_sync';
}

function toTarget(secret: LocalSecretRecord, target: TargetRecord, remote: RemoteSecretRecord | undefined): LocalSecretTarget {
  return {
    workspaceId: target.workspaceId,
    remoteName: effectiveName(secret, target),
    followsName: target.remoteName === null,
    remoteSecretId: target.remoteSecretId,
    state: targetState(secret, target, remote),
    pushedAt: target.pushedAt,
  };
}

function storageFailed(error: unknown): AppError {
  if (error instanceof AppError) return error;
  return new AppError(
    'storage_failed',
    `The local secret could not be saved to the local database: ${(error as Error).message}. Its value was not kept.`,
  );
}
