import { randomBytes, randomUUID } from 'node:crypto';
import type { ParsedRequestOf, ReplyOf } from '../../shared/contract';
import type { KeyOutcome, Residency, WorkspaceSummary } from '../../shared/schemas/workspaces';
import type { EventBus } from '../events/event-bus';
import type { Database } from '../db/database';
import { AppError } from '../errors';
import type { Logger } from '../logging/logger';
import type { CredentialStore } from '../vault/credential-store';
import { checkKey, unverifiedFacts, type KeyCheckResult } from './key-check';
import type { WorkspaceApi } from '../elevenlabs/gateway';
import { KeyedLock } from '../concurrency/keyed-lock';
import type { WorkspaceAccess } from './workspace-access';
import { toSummary, type KeyFacts, type WorkspaceRecord, type WorkspaceRepository } from './workspace-repository';

export interface WorkspaceServiceDeps {
  db: Database;
  repository: WorkspaceRepository;
  credentials: CredentialStore;
  access: WorkspaceAccess;
  events: EventBus;
  log: Logger;
  now: () => number;
  /** Called after a workspace's cached inventory is deleted (search index). */
  onInventoryChanged: () => void;
}

/** Adds are serialised with each other, so two adds of one key cannot both pass the duplicate check. */
const ADDING = 'adding a workspace';

/** Adding, checking, switching, renaming, re-keying and removing workspaces. */
export class WorkspaceService {
  /** One keychain-touching operation per workspace at a time. */
  readonly #lock = new KeyedLock();
  /** Key checks in progress, so the dialog's Cancel can really stop them. */
  readonly #keyChecks = new Set<AbortController>();

  constructor(private readonly deps: WorkspaceServiceDeps) {}

  list(): ReplyOf<'workspaces:list'> {
    const all = this.deps.repository.all();
    return { workspaces: all.map((w) => toSummary(w, all)), activeWorkspaceId: this.deps.repository.activeWorkspaceId() };
  }

  add(request: ParsedRequestOf<'workspaces:add'>): Promise<KeyOutcome> {
    return this.#cancellable(async (signal) => {
      const baseUrl = request.residency === 'custom' ? (request.baseUrl ?? null) : null;
      const input = { label: request.label, residency: request.residency, baseUrl, apiKey: request.apiKey };
      if (request.saveUnverified) {
        // The user has seen the check fail and chose to keep the key anyway: do not make them wait again.
        return {
          outcome: 'saved',
          workspace: await this.#lock.run(ADDING, () => this.#insert({ ...input, facts: unverifiedFacts }, signal)),
        };
      }
      const check = await this.#check(this.deps.access.apiForKey(request.residency, baseUrl, request.apiKey), signal);
      const facts = this.#factsOrConfirmation(check, request);
      if ('outcome' in facts) return facts;
      return this.#lock.run(ADDING, async (): Promise<KeyOutcome> => {
        if (check.kind === 'verified' && !request.acceptWorkspaceMismatch) {
          const duplicates = this.#workspacesReachedBy(facts, check.sampleSecretId);
          if (duplicates.length > 0) {
            const labels = duplicates.map((w) => `“${w.label}”`).join(', ');
            return {
              outcome: 'confirm_workspace_mismatch',
              reason: 'duplicate',
              otherWorkspaceIds: duplicates.map((w) => w.id),
              message: `This key reaches the same ElevenLabs workspace as ${labels}, which is already here.`,
            };
          }
        }
        return { outcome: 'saved', workspace: await this.#insert({ ...input, facts }, signal) };
      });
    });
  }

  /** Stops every key check in progress (the add or replace-key dialog was cancelled); nothing is kept. */
  cancelKeyChecks(): number {
    const count = this.#keyChecks.size;
    for (const controller of this.#keyChecks) controller.abort();
    return count;
  }

  /** The built-in demo: a generated key for the in-process emulator, kept like any other key. */
  async addDemo(): Promise<WorkspaceSummary> {
    return this.#lock.run(ADDING, async () => {
      if (this.deps.repository.all().some((w) => w.residency === 'demo')) {
        throw new AppError('conflict', 'The demo workspace is already added.');
      }
      const apiKey = `sk_demo_${randomBytes(24).toString('hex')}`;
      const check = await checkKey(await this.deps.access.apiForDemoKey(apiKey), this.deps.now());
      if (check.kind !== 'verified') throw check.problem;
      return this.#insert({ label: 'Demo workspace', residency: 'demo', baseUrl: null, apiKey, facts: check.facts });
    });
  }

  rename(request: ParsedRequestOf<'workspaces:rename'>): WorkspaceSummary {
    this.#require(request.workspaceId);
    this.deps.repository.rename(request.workspaceId, request.label);
    this.deps.log.info('workspace renamed', { workspaceId: request.workspaceId });
    this.deps.events.emit('workspaces:changed', {});
    return this.#summary(request.workspaceId);
  }

  replaceKey(request: ParsedRequestOf<'workspaces:replaceKey'>): Promise<KeyOutcome> {
    return this.#cancellable(async (signal) => {
      const checked = this.#require(request.workspaceId);
      if (checked.residency === 'demo') {
        throw new AppError('conflict', 'The demo workspace has a key of its own, made by Agent Keyring; it cannot be replaced.');
      }
      let check: KeyCheckResult | null = null;
      if (!request.saveUnverified)
        check = await this.#check(this.deps.access.apiForKey(checked.residency, checked.baseUrl, request.apiKey), signal);
      const facts = check ? this.#factsOrConfirmation(check, request) : unverifiedFacts;
      if ('outcome' in facts) return facts;
      // The check ran unlocked; from here on the workspace is re-read under its lock, so a
      // removal or another replacement that won the race is seen, not overwritten.
      return this.#lock.run(checked.id, async (): Promise<KeyOutcome> => {
        const workspace = this.#require(checked.id);
        if (check?.kind === 'verified' && !request.acceptWorkspaceMismatch) {
          const elsewhere = this.#workspacesReachedBy(facts, check.sampleSecretId).filter((w) => w.id !== workspace.id);
          const differentRemote =
            facts.remoteWorkspaceId !== null &&
            workspace.remoteWorkspaceId !== null &&
            facts.remoteWorkspaceId !== workspace.remoteWorkspaceId;
          if (differentRemote || elsewhere.length > 0) {
            return {
              outcome: 'confirm_workspace_mismatch',
              reason: 'different',
              otherWorkspaceIds: elsewhere.map((w) => w.id),
              message: `This key reaches a different ElevenLabs workspace than the one “${workspace.label}” had${
                elsewhere.length ? ` (the one of ${elsewhere.map((w) => `“${w.label}”`).join(', ')})` : ''
              }. Its cached inventory will be replaced at the next sync.`,
            };
          }
        }
        const { credentials, db, repository } = this.deps;
        const newRef = await this.#storeKey(request.apiKey, signal);
        let oldRef: string;
        try {
          oldRef = db.transaction(() => {
            const current = repository.find(workspace.id);
            if (!current)
              throw new AppError('not_found', 'That workspace was removed while its key was being replaced. The new key was not kept.');
            repository.replaceKey(workspace.id, newRef, facts);
            credentials.settle(newRef);
            credentials.markForDiscard(current.apiKeyRef);
            return current.apiKeyRef;
          })();
        } catch (error) {
          await credentials.discard(newRef);
          throw storageFailed(error);
        }
        await credentials.flushDiscards([oldRef]);
        this.deps.log.info('workspace key replaced', { workspaceId: workspace.id, verification: facts.verification });
        this.deps.events.emit('workspaces:changed', {});
        return { outcome: 'saved', workspace: this.#summary(workspace.id) };
      });
    });
  }

  /** Deletes the workspace, its cached inventory and its keychain entry. */
  remove(request: ParsedRequestOf<'workspaces:remove'>): Promise<ReplyOf<'workspaces:remove'>> {
    return this.#lock.run(request.workspaceId, async () => {
      const workspace = this.#require(request.workspaceId);
      const { credentials, db, repository } = this.deps;
      let activeWorkspaceId = repository.activeWorkspaceId();
      db.transaction(() => {
        repository.delete(workspace.id);
        credentials.markForDiscard(workspace.apiKeyRef);
        if (activeWorkspaceId === workspace.id) {
          activeWorkspaceId = repository.all()[0]?.id ?? null;
          repository.setActiveWorkspaceId(activeWorkspaceId);
        }
      })();
      await credentials.flushDiscards([workspace.apiKeyRef]);
      this.deps.onInventoryChanged();
      this.deps.log.info('workspace removed', { workspaceId: workspace.id });
      this.deps.events.emit('workspaces:changed', {});
      return { removedWorkspaceId: workspace.id, activeWorkspaceId };
    });
  }

  setActive(request: ParsedRequestOf<'workspaces:setActive'>): ReplyOf<'workspaces:setActive'> {
    this.#require(request.workspaceId);
    this.deps.repository.setActiveWorkspaceId(request.workspaceId);
    return { activeWorkspaceId: request.workspaceId };
  }

  /** Runs a key check that `cancelKeyChecks` can stop; a stopped one keeps nothing. */
  async #cancellable<T>(run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    this.#keyChecks.add(controller);
    try {
      return await run(controller.signal);
    } catch (error) {
      if (controller.signal.aborted) throw new AppError('cancelled', 'Cancelled; the key was not kept.');
      throw error;
    } finally {
      this.#keyChecks.delete(controller);
    }
  }

  /** A rejected key is the API key field's fault, so the form can point at it. */
  async #check(api: WorkspaceApi, signal: AbortSignal): Promise<KeyCheckResult> {
    try {
      return await checkKey(api, this.deps.now(), signal);
    } catch (error) {
      if (error instanceof AppError && (error.code === 'invalid_key' || error.code === 'missing_permission')) {
        throw new AppError(error.code, error.message, { ...error.extra, field: 'apiKey' });
      }
      throw error;
    }
  }

  /** The facts to keep, or the question to ask first: a key that could not be checked, or one that may not list secrets. */
  #factsOrConfirmation(check: KeyCheckResult, confirmed: { acceptLimitedKey?: boolean }): KeyFacts | KeyOutcome {
    if (check.kind !== 'verified') return { outcome: 'confirm_unverified', problem: check.problem.toIpcError() };
    if (check.facts.missingPermissions.includes('convai_read') && !confirmed.acceptLimitedKey) {
      return {
        outcome: 'confirm_limited_key',
        missingPermissions: check.facts.missingPermissions,
        message:
          "This key is valid, but it may not read the workspace's secrets (it lacks the convai_read permission), so Agent Keyring cannot sync them. " +
          'Give the key read access to ElevenLabs Agents in the dashboard, or keep it anyway.',
      };
    }
    return check.facts;
  }

  /** Workspaces here that a key reaches too: same ElevenLabs workspace id, or holding the same secret. */
  #workspacesReachedBy(facts: KeyFacts, sampleSecretId: string | null): WorkspaceRecord[] {
    const { repository } = this.deps;
    const holding = new Set(sampleSecretId ? repository.holdingSecretId(sampleSecretId) : []);
    return repository
      .all()
      .filter((w) => holding.has(w.id) || (facts.remoteWorkspaceId !== null && w.remoteWorkspaceId === facts.remoteWorkspaceId));
  }

  /**
   * Puts a key in the keychain (journaled first). A cancellation that arrives while it is being
   * written still wins: the entry is discarded and nothing else happens.
   */
  async #storeKey(apiKey: string, signal?: AbortSignal): Promise<string> {
    if (signal?.aborted) throw new AppError('cancelled', 'Cancelled.');
    const ref = await this.deps.credentials.store('workspace-api-key', apiKey);
    if (signal?.aborted) {
      await this.deps.credentials.discard(ref);
      throw new AppError('cancelled', 'Cancelled.');
    }
    return ref;
  }

  async #insert(
    input: { label: string; residency: Residency; baseUrl: string | null; apiKey: string; facts: KeyFacts },
    signal?: AbortSignal,
  ): Promise<WorkspaceSummary> {
    const { credentials, db, repository } = this.deps;
    const id = randomUUID();
    const ref = await this.#storeKey(input.apiKey, signal);
    try {
      db.transaction(() => {
        repository.insert({
          id,
          label: input.label,
          residency: input.residency,
          baseUrl: input.baseUrl,
          apiKeyRef: ref,
          createdAt: this.deps.now(),
          ...input.facts,
        });
        credentials.settle(ref);
        if (repository.activeWorkspaceId() === null) repository.setActiveWorkspaceId(id);
      })();
    } catch (error) {
      await credentials.discard(ref);
      throw storageFailed(error);
    }
    this.deps.log.info('workspace added', { workspaceId: id, residency: input.residency, verification: input.facts.verification });
    this.deps.events.emit('workspaces:changed', {});
    return this.#summary(id);
  }

  #require(id: string): WorkspaceRecord {
    const workspace = this.deps.repository.find(id);
    if (!workspace) throw new AppError('not_found', 'That workspace no longer exists here. It may have been removed.');
    return workspace;
  }

  #summary(id: string): WorkspaceSummary {
    return toSummary(this.#require(id), this.deps.repository.all());
  }
}

function storageFailed(error: unknown): AppError {
  if (error instanceof AppError) return error;
  return new AppError(
    'storage_failed',
    `The workspace could not be saved to the local database: ${(error as Error).message}. The key was not kept.`,
  );
}
