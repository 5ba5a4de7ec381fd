import { randomBytes, randomUUID } from 'node:crypto';
import type { ParsedRequestOf, ReplyOf } from '../../shared/contract';
import type { KeyOutcome, Residency, WorkspaceSummary } from '../../shared/schemas/workspaces';
import type { EventBus } from '../app/event-bus';
import type { Database } from '../db/database';
import { AppError } from '../errors';
import type { Logger } from '../logging/logger';
import type { CredentialStore } from '../vault/credential-store';
import { checkKey, unverifiedFacts, type KeyCheckResult } from './key-check';
import type { WorkspaceApi } from '../elevenlabs/types';
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

/** Adding, checking, switching, renaming, re-keying and removing workspaces. */
export class WorkspaceService {
  constructor(private readonly deps: WorkspaceServiceDeps) {}

  list(): ReplyOf<'workspaces:list'> {
    const all = this.deps.repository.all();
    return { workspaces: all.map((w) => toSummary(w, all)), activeWorkspaceId: this.deps.repository.activeWorkspaceId() };
  }

  async add(request: ParsedRequestOf<'workspaces:add'>): Promise<KeyOutcome> {
    const baseUrl = request.residency === 'custom' ? (request.baseUrl ?? null) : null;
    if (request.saveUnverified) {
      // The user has seen the check fail and chose to keep the key anyway: do not make them wait again.
      const workspace = await this.#insert({ label: request.label, residency: request.residency, baseUrl, apiKey: request.apiKey, facts: unverifiedFacts });
      return { outcome: 'saved', workspace };
    }
    const api = await this.deps.access.apiForKey(request.residency, baseUrl, request.apiKey);
    const check = await this.#check(api);
    const facts = this.#factsOrConfirmation(check);
    if ('outcome' in facts) return facts;
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
    const workspace = await this.#insert({ label: request.label, residency: request.residency, baseUrl, apiKey: request.apiKey, facts });
    return { outcome: 'saved', workspace };
  }

  /** The built-in demo: a generated key for the in-process emulator, kept like any other key. */
  async addDemo(): Promise<WorkspaceSummary> {
    if (this.deps.repository.all().some((w) => w.residency === 'demo')) {
      throw new AppError('conflict', 'The demo workspace is already added.');
    }
    const apiKey = `sk_demo_${randomBytes(24).toString('hex')}`;
    const api = await this.deps.access.apiForKey('demo', null, apiKey);
    const check = await checkKey(api, this.deps.now());
    if (check.kind !== 'verified') throw check.problem;
    return this.#insert({ label: 'Demo workspace', residency: 'demo', baseUrl: null, apiKey, facts: check.facts });
  }

  rename(request: ParsedRequestOf<'workspaces:rename'>): WorkspaceSummary {
    this.#require(request.workspaceId);
    this.deps.repository.rename(request.workspaceId, request.label);
    this.deps.log.info('workspace renamed', { workspaceId: request.workspaceId });
    this.deps.events.emit('workspaces:changed', {});
    return this.#summary(request.workspaceId);
  }

  async replaceKey(request: ParsedRequestOf<'workspaces:replaceKey'>): Promise<KeyOutcome> {
    const workspace = this.#require(request.workspaceId);
    let check: KeyCheckResult | null = null;
    if (!request.saveUnverified) {
      const api = await this.deps.access.apiForKey(workspace.residency, workspace.baseUrl, request.apiKey);
      check = await this.#check(api);
    }
    const facts = check ? this.#factsOrConfirmation(check) : unverifiedFacts;
    if ('outcome' in facts) return facts;
    if (check?.kind === 'verified' && !request.acceptWorkspaceMismatch) {
      const elsewhere = this.#workspacesReachedBy(facts, check.sampleSecretId).filter((w) => w.id !== workspace.id);
      const differentRemote =
        facts.remoteWorkspaceId !== null && workspace.remoteWorkspaceId !== null && facts.remoteWorkspaceId !== workspace.remoteWorkspaceId;
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
    const newRef = await credentials.store('workspace-api-key', request.apiKey);
    try {
      db.transaction(() => {
        repository.replaceKey(workspace.id, newRef, facts);
        credentials.settle(newRef);
        credentials.markForDiscard(workspace.apiKeyRef);
      })();
    } catch (error) {
      await credentials.discard(newRef);
      throw storageFailed(error);
    }
    await credentials.flushDiscards([workspace.apiKeyRef]);
    this.deps.log.info('workspace key replaced', { workspaceId: workspace.id, verification: facts.verification });
    this.deps.events.emit('workspaces:changed', {});
    return { outcome: 'saved', workspace: this.#summary(workspace.id) };
  }

  /** Deletes the workspace, its cached inventory and its keychain entry. */
  async remove(request: ParsedRequestOf<'workspaces:remove'>): Promise<ReplyOf<'workspaces:remove'>> {
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
  }

  setActive(request: ParsedRequestOf<'workspaces:setActive'>): ReplyOf<'workspaces:setActive'> {
    this.#require(request.workspaceId);
    this.deps.repository.setActiveWorkspaceId(request.workspaceId);
    return { activeWorkspaceId: request.workspaceId };
  }

  /** A rejected key is the API key field's fault, so the form can point at it. */
  async #check(api: WorkspaceApi): Promise<KeyCheckResult> {
    try {
      return await checkKey(api, this.deps.now());
    } catch (error) {
      if (error instanceof AppError && (error.code === 'invalid_key' || error.code === 'missing_permission')) {
        throw new AppError(error.code, error.message, { ...error.extra, field: 'apiKey' });
      }
      throw error;
    }
  }

  #factsOrConfirmation(check: KeyCheckResult): KeyFacts | KeyOutcome {
    if (check.kind === 'verified') return check.facts;
    return { outcome: 'confirm_unverified', problem: check.problem.toIpcError() };
  }

  /** Workspaces here that a key reaches too: same ElevenLabs workspace id, or holding the same secret. */
  #workspacesReachedBy(facts: KeyFacts, sampleSecretId: string | null): WorkspaceRecord[] {
    const { repository } = this.deps;
    const holding = new Set(sampleSecretId ? repository.holdingSecretId(sampleSecretId) : []);
    return repository
      .all()
      .filter((w) => holding.has(w.id) || (facts.remoteWorkspaceId !== null && w.remoteWorkspaceId === facts.remoteWorkspaceId));
  }

  async #insert(input: {
    label: string;
    residency: Residency;
    baseUrl: string | null;
    apiKey: string;
    facts: KeyFacts;
  }): Promise<WorkspaceSummary> {
    const { credentials, db, repository } = this.deps;
    const id = randomUUID();
    const ref = await credentials.store('workspace-api-key', input.apiKey);
    try {
      db.transaction(() => {
        repository.insert({ id, label: input.label, residency: input.residency, baseUrl: input.baseUrl, apiKeyRef: ref, createdAt: this.deps.now(), ...input.facts });
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
  return new AppError('storage_failed', `The workspace could not be saved to the local database: ${(error as Error).message}. The key was not kept.`);
}
