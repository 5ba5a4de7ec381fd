import { randomUUID } from 'node:crypto';
import type { ParsedRequestOf } from '../../shared/contract';
import type { Problem } from '../../shared/schemas/common';
import { describeDependants, dependantsByKind } from '../../shared/dependants';
import type { Dependant } from '../../shared/schemas/inventory';
import type { Plan, PlanItem } from '../../shared/schemas/push';
import type { ActivityLog } from '../activity/activity-log';
import { KeyedLock } from '../concurrency/keyed-lock';
import { mapConcurrently } from '../concurrency/map-concurrently';
import type { Database } from '../db/database';
import type { WorkspaceApi } from '../elevenlabs/gateway';
import { AppError, isAppError } from '../errors';
import type { EventBus } from '../events/event-bus';
import type { InventoryQueries } from '../inventory/inventory-queries';
import type { SyncService } from '../inventory/sync-service';
import type { LocalSecretRepository } from '../local-secrets/local-secret-repository';
import type { LocalSecretService } from '../local-secrets/local-secret-service';
import type { Logger } from '../logging/logger';
import type { Clock } from '../ports/clock';
import type { WorkspaceAccess } from '../workspaces/workspace-access';
import type { WorkspaceRepository } from '../workspaces/workspace-repository';
import { computePlan } from './planner';
import type { PlanStore, StoredItem, StoredPlan } from './plan-store';

export interface PushServiceDeps {
  db: Database;
  plans: PlanStore;
  localRepository: LocalSecretRepository;
  localSecrets: LocalSecretService;
  workspaces: WorkspaceRepository;
  access: WorkspaceAccess;
  inventory: InventoryQueries;
  sync: SyncService;
  activity: ActivityLog;
  events: EventBus;
  clock: Clock;
  log: Logger;
}

/** Requests sent at the same time while applying. */
export const APPLY_CONCURRENCY = 8;
/**
 * Items whose "sending" and results are written in one transaction each: every item is marked as
 * sent before its request leaves, and a crash loses at most the record of this many results (those
 * items then read "may have been applied" and are reconciled by name when applied again).
 */
const BATCH = 24;

type ItemValue = { value: string; fingerprint: string };

/**
 * What one apply reads from the keychain, each once: a workspace's key (for all its items) and a
 * local secret's value (for all its targets). Forgotten when the apply ends.
 */
class ApplySession {
  readonly #apis = new Map<string, Promise<WorkspaceApi>>();
  readonly #values = new Map<string, Promise<ItemValue>>();

  constructor(private readonly deps: Pick<PushServiceDeps, 'workspaces' | 'access' | 'localSecrets'>) {}

  apiFor(workspaceId: string): Promise<WorkspaceApi> {
    let api = this.#apis.get(workspaceId);
    if (!api) {
      const workspace = this.deps.workspaces.find(workspaceId);
      api = workspace
        ? this.deps.access.apiFor(workspace)
        : Promise.reject(new AppError('not_found', 'The workspace was removed from Agent Keyring.'));
      this.#apis.set(workspaceId, api);
    }
    return api;
  }

  valueOf(localSecretId: string): Promise<ItemValue> {
    let value = this.#values.get(localSecretId);
    if (!value) {
      value = this.deps.localSecrets.currentValue(localSecretId);
      this.#values.set(localSecretId, value);
    }
    return value;
  }
}

/** Failures after which a write may or may not have landed: reconcile before trying again. */
const uncertain = new Set(['server_error', 'timeout', 'unreachable', 'internal', 'unexpected_response']);

/**
 * Answers a retry cannot change: ElevenLabs refused the request as it stands (in use, invalid), or
 * the remote secret is gone. Recorded as refused (final), never offered as "try again".
 */
const final = new Set(['remote_rejected', 'remote_not_found']);

type Outcome =
  { status: 'done'; remoteSecretId: string | null; fingerprint: string | null } | { status: 'failed' | 'refused'; problem: Problem };

/** What the user chose for this apply: items left out, and the overwrites of values in use they confirmed. */
export interface ApplyChoice {
  leaveOut?: readonly number[];
  /** 'all': a caller that acts on the user's standing instruction (a refreshed token replacing its own). */
  confirmed?: readonly number[] | 'all';
}

/**
 * Plan, then apply: every change is shown before it is made, made several at a time, recorded
 * item by item, and reported. Creates are never blindly retried (the SDK would retry a POST on
 * 5xx and could create a duplicate): after any uncertain result the remote list is asked by name
 * first. Nothing is ever deleted unless the user asked for that deletion.
 */
export class PushService {
  readonly #lock = new KeyedLock();

  constructor(private readonly deps: PushServiceDeps) {
    // A plan left "applying" by a process that died is interrupted: its items say what happened.
    const interrupted = deps.plans.markInterrupted();
    if (interrupted > 0) deps.log.warn('push plans interrupted by a previous exit', { plans: interrupted });
  }

  /** Computes a plan from SQLite only (works offline) and keeps it as the draft to apply. */
  plan(request: ParsedRequestOf<'push:plan'>): Plan {
    const { localRepository, workspaces } = this.deps;
    for (const deletion of request.deletions) {
      if (!workspaces.find(deletion.workspaceId)) throw new AppError('not_found', 'That workspace no longer exists here.');
    }
    const scope = {
      // No local secret is in scope of a deletions-only plan (and so nothing is remote-only).
      secretIds: request.deletionsOnly ? new Set<string>() : request.secretIds.length ? new Set(request.secretIds) : null,
      workspaceIds: request.workspaceIds.length ? new Set(request.workspaceIds) : null,
      force: request.force,
      deletions: request.deletions,
    };
    const items = computePlan({
      secrets: localRepository.all(),
      targets: localRepository.allTargets(),
      remotes: localRepository.remoteSecrets(scope.workspaceIds ? [...scope.workspaceIds] : null),
      scope,
    });
    const id = randomUUID();
    this.deps.plans.insert({ id, createdAt: this.deps.clock.now(), items });
    // The user reads the plan before applying it: the API host gets ready meanwhile.
    if (items.some((item) => item.action === 'create' || item.action === 'update' || item.action === 'delete')) this.deps.access.warmUp();
    return this.#toPlan(this.deps.plans.find(id)!);
  }

  /** The last plan applied (or interrupted), as it stands: what landed and what did not. */
  latest(): Plan | null {
    const plan = this.deps.plans.latestApplied();
    return plan ? this.#toPlan(plan) : null;
  }

  /**
   * Applies a plan: every item not yet done, several at a time. Applying an interrupted or
   * partly failed plan again finishes it without duplicates. Re-syncs the workspaces after.
   */
  apply(planId: string, choice: ApplyChoice): Promise<Plan> {
    return this.#lock.run('apply', async () => {
      const { plans, clock } = this.deps;
      const plan = plans.find(planId);
      if (!plan) throw new AppError('not_found', 'That plan no longer exists. Make a new plan.');
      if (plan.status === 'applying') throw new AppError('conflict', 'That plan is being applied already.');
      // Left out, refused, done and skipped items are settled for this plan; a new plan lists the left-out again.
      const open = plan.items.filter((item) => item.status === 'planned' || item.status === 'sending' || item.status === 'failed');
      const leaveOut = this.#checkChoice(open, choice);
      const todo = open.filter((item) => !leaveOut.has(item.id));
      const total = todo.length;
      let done = 0;
      plans.setStatus(plan.id, 'applying', null);
      if (leaveOut.size > 0) {
        this.deps.db.transaction(() => {
          for (const id of leaveOut) plans.setItem(plan.id, id, { status: 'left_out', at: clock.now() });
        })();
      }
      const session = new ApplySession(this.deps);
      // A sliding window, not batch by batch: the next items are marked "sending" as the window
      // reaches them, in the same transaction that records the results finished meanwhile (one
      // commit, one fsync, per BATCH items), so no request waits for the slowest of a batch.
      let marked = 0;
      const unrecorded: { item: StoredItem; outcome: Outcome }[] = [];
      const recordPending = (markNext: StoredItem[] = []) =>
        this.deps.db.transaction(() => {
          for (const { item, outcome } of unrecorded.splice(0)) this.#record(plan.id, item, outcome);
          for (const item of markNext) plans.setItem(plan.id, item.id, { status: 'sending' });
        })();
      await mapConcurrently(todo, APPLY_CONCURRENCY, async (item, index) => {
        if (index >= marked) {
          const next = todo.slice(marked, marked + BATCH);
          recordPending(next);
          marked += next.length;
        }
        const outcome = await this.#run(session, item, item.status === 'sending' || item.status === 'failed', (retryAt) =>
          this.#progress(plan.id, { ...item, status: 'sending' }, done, total, retryAt),
        );
        done += 1;
        this.#progress(plan.id, { ...item, ...outcomeFields(outcome, clock.now()) }, done, total, null);
        unrecorded.push({ item, outcome });
        if (unrecorded.length >= BATCH) recordPending();
      });
      recordPending();
      plans.setStatus(plan.id, 'applied', clock.now());
      this.deps.localSecrets.changed();
      // What landed, as ElevenLabs now lists it.
      const touched = [...new Set(todo.map((item) => item.workspaceId))].filter((id) => this.deps.workspaces.find(id));
      if (touched.length > 0) await this.deps.sync.sync(touched);
      return this.#toPlan(plans.find(plan.id)!);
    });
  }

  /**
   * Checks the user's choice against the plan before anything is sent: every id names an open item
   * of it, and every overwrite of a value something uses is confirmed or left out.
   */
  #checkChoice(open: StoredItem[], choice: ApplyChoice): Set<number> {
    const openIds = new Set(open.map((item) => item.id));
    for (const [field, ids] of [
      ['leaveOut', choice.leaveOut ?? []],
      ['confirmed', choice.confirmed === 'all' ? [] : (choice.confirmed ?? [])],
    ] as const) {
      const stray = ids.find((id) => !openIds.has(id));
      if (stray !== undefined) {
        throw new AppError('invalid_request', `Item ${stray} is not a change of this plan that is still to be sent.`, { field });
      }
    }
    const leaveOut = new Set(choice.leaveOut ?? []);
    if (choice.confirmed !== 'all') {
      const confirmed = new Set(choice.confirmed ?? []);
      const unconfirmed = open.filter((item) => !leaveOut.has(item.id) && !confirmed.has(item.id) && this.#needsConfirmation(item));
      if (unconfirmed.length > 0) {
        const item = unconfirmed[0]!;
        throw new AppError(
          'conflict',
          `“${item.remoteName ?? item.newName}” in this plan overwrites a value that ${dependantsByKind(this.#dependantsOf(item))} use: confirm it or leave it out. Nothing was sent.`,
          { field: 'confirmed' },
        );
      }
    }
    return leaveOut;
  }

  /** An update that sends a value to a remote secret something uses (a pure rename sends the same value). */
  #needsConfirmation(item: StoredItem, dependants?: Dependant[]): boolean {
    if (item.action !== 'update' || item.reasons.every((reason) => reason === 'renamed')) return false;
    return (dependants ?? this.#dependantsOf(item)).length > 0;
  }

  async #run(session: ApplySession, item: StoredItem, maybeLanded: boolean, onRetryAt: (at: number) => void): Promise<Outcome> {
    try {
      const api = await session.apiFor(item.workspaceId);
      const calls = { onRetry: (notice: { waitSeconds: number }) => onRetryAt(this.deps.clock.now() + notice.waitSeconds * 1000) };
      switch (item.action) {
        case 'create':
          return await this.#create(api, await session.valueOf(item.localSecretId!), item, maybeLanded, calls);
        case 'update':
          return await this.#update(api, await session.valueOf(item.localSecretId!), item, calls);
        case 'delete':
          return await this.#delete(api, item, calls);
        default:
          return { status: 'done', remoteSecretId: item.remoteSecretId, fingerprint: null };
      }
    } catch (error) {
      return { status: isAppError(error) && final.has(error.code) ? 'refused' : 'failed', problem: asProblem(error) };
    }
  }

  async #create(
    api: WorkspaceApi,
    { value, fingerprint }: ItemValue,
    item: StoredItem,
    maybeLanded: boolean,
    calls: CallOptions,
  ): Promise<Outcome> {
    const name = item.newName!;
    // An earlier attempt may have landed: look before creating (a create is never sent twice blindly).
    if (maybeLanded) {
      const landed = await this.#findLanded(api, item, calls);
      if (landed) return this.#overwrite(api, landed, name, value, fingerprint, calls);
    }
    try {
      const created = await api.createSecret({ name, value }, calls);
      return { status: 'done', remoteSecretId: created.secretId, fingerprint };
    } catch (error) {
      if (!isAppError(error) || !uncertain.has(error.code)) throw error;
      const landed = await this.#findLanded(api, item, calls);
      if (landed) return this.#overwrite(api, landed, name, value, fingerprint, calls);
      // It did not land: now a second attempt cannot make a duplicate.
      const created = await api.createSecret({ name, value }, calls);
      return { status: 'done', remoteSecretId: created.secretId, fingerprint };
    }
  }

  /** A remote secret of the item's name that no other local secret manages: the create that landed. */
  async #findLanded(api: WorkspaceApi, item: StoredItem, calls: CallOptions): Promise<string | undefined> {
    const found = await api.findSecretsByName({ name: item.newName! }, calls);
    const managed = new Set(
      this.deps.localRepository
        .allTargets()
        .filter((t) => t.workspaceId === item.workspaceId && t.localSecretId !== item.localSecretId && t.remoteSecretId)
        .map((t) => t.remoteSecretId),
    );
    return found.find((secret) => !managed.has(secret.secretId))?.secretId;
  }

  /** Makes sure the found secret holds this value (it may be a create from an earlier attempt). */
  async #overwrite(
    api: WorkspaceApi,
    secretId: string,
    name: string,
    value: string,
    fingerprint: string,
    calls: CallOptions,
  ): Promise<Outcome> {
    await api.updateSecret({ secretId, name, value }, calls);
    return { status: 'done', remoteSecretId: secretId, fingerprint };
  }

  async #update(api: WorkspaceApi, { value, fingerprint }: ItemValue, item: StoredItem, calls: CallOptions): Promise<Outcome> {
    const send = () => api.updateSecret({ secretId: item.remoteSecretId!, name: item.newName!, value }, calls);
    try {
      await send();
    } catch (error) {
      if (isAppError(error) && error.code === 'remote_not_found') {
        throw new AppError(
          'remote_not_found',
          `“${item.remoteName}” no longer exists in ElevenLabs (deleted in the dashboard?). Sync, then make a new plan.`,
        );
      }
      // A PATCH sends the same name and value again: repeating it cannot do harm.
      if (!isAppError(error) || !uncertain.has(error.code)) throw error;
      await send();
    }
    return { status: 'done', remoteSecretId: item.remoteSecretId, fingerprint };
  }

  async #delete(api: WorkspaceApi, item: StoredItem, calls: CallOptions): Promise<Outcome> {
    const send = () => api.deleteSecret({ secretId: item.remoteSecretId! }, calls);
    try {
      await send();
    } catch (error) {
      // Gone already (an earlier attempt, or the dashboard): that is what was asked for.
      if (isAppError(error) && error.code === 'remote_not_found')
        return { status: 'done', remoteSecretId: item.remoteSecretId, fingerprint: null };
      if (isAppError(error) && error.code === 'remote_rejected') {
        // The app's own words from what it knows; the server's (already cut at a word) only when it knows nobody.
        const users = this.#dependantsOf(item);
        throw new AppError(
          'remote_rejected',
          users.length
            ? `ElevenLabs refused to delete “${item.remoteName}”: it is still used by ${describeDependants(users)}. Take it out of these first, then delete it.`
            : `ElevenLabs refused to delete “${item.remoteName}”. ${error.message}`,
        );
      }
      if (!isAppError(error) || !uncertain.has(error.code)) throw error;
      try {
        await send();
      } catch (again) {
        if (isAppError(again) && again.code === 'remote_not_found')
          return { status: 'done', remoteSecretId: item.remoteSecretId, fingerprint: null };
        throw again;
      }
    }
    return { status: 'done', remoteSecretId: item.remoteSecretId, fingerprint: null };
  }

  /** Writes an item's result, what it pushed, and the activity entry (inside the batch's transaction). */
  #record(planId: string, item: StoredItem, outcome: Outcome): void {
    const { plans, localRepository, activity, clock } = this.deps;
    const at = clock.now();
    const action = item.action === 'create' ? 'push_create' : item.action === 'delete' ? 'push_delete' : 'push_update';
    const subject = item.newName ?? item.remoteName ?? item.remoteSecretId ?? '(unnamed)';
    if (outcome.status !== 'done') {
      plans.setItem(planId, item.id, { status: outcome.status, problem: outcome.problem, at });
      activity.record({ workspaceId: item.workspaceId, subject, action, result: 'failed', detail: outcome.problem.message });
      return;
    }
    plans.setItem(planId, item.id, { status: 'done', remoteSecretId: outcome.remoteSecretId, at });
    if (item.action === 'delete') {
      localRepository.unlinkRemote(item.workspaceId, item.remoteSecretId!);
    } else if (item.localSecretId && outcome.remoteSecretId && outcome.fingerprint && localRepository.find(item.localSecretId)) {
      localRepository.recordPushed(item.localSecretId, item.workspaceId, {
        remoteSecretId: outcome.remoteSecretId,
        fingerprint: outcome.fingerprint,
        name: item.newName!,
        at,
      });
    }
    const detail = item.action === 'update' ? item.reasons.join(', ').replace(/_/g, ' ') || null : null;
    activity.record({ workspaceId: item.workspaceId, subject, action, detail });
  }

  #dependantsOf(item: StoredItem): Dependant[] {
    if ((item.action !== 'delete' && item.action !== 'update') || !item.remoteSecretId) return [];
    try {
      return this.deps.inventory.getSecret(item.workspaceId, item.remoteSecretId).dependants;
    } catch {
      return [];
    }
  }

  #progress(planId: string, item: StoredItem, done: number, total: number, retryAt: number | null): void {
    this.deps.events.emit('push:progress', { planId, item: this.#toItem(item), done, total, retryAt });
  }

  #toItem(item: StoredItem): PlanItem {
    const dependants = this.#dependantsOf(item);
    return {
      id: item.id,
      workspaceId: item.workspaceId,
      action: item.action,
      reasons: item.reasons,
      localSecretId: item.localSecretId,
      remoteName: item.remoteName,
      newName: item.newName,
      remoteSecretId: item.remoteSecretId,
      dependants,
      needsConfirmation: this.#needsConfirmation(item, dependants),
      status: item.status,
      problem: item.problem,
      finishedAt: item.finishedAt,
    };
  }

  #toPlan(plan: StoredPlan): Plan {
    const count = (action: StoredItem['action']) => plan.items.filter((item) => item.action === action).length;
    return {
      id: plan.id,
      createdAt: plan.createdAt,
      status: plan.status,
      items: plan.items.map((item) => this.#toItem(item)),
      counts: {
        create: count('create'),
        update: count('update'),
        delete: count('delete'),
        unchanged: count('unchanged'),
        remoteOnly: count('remote_only'),
      },
    };
  }
}

type CallOptions = { onRetry: (notice: { waitSeconds: number }) => void };

function outcomeFields(outcome: Outcome, at: number): Pick<StoredItem, 'status' | 'problem' | 'finishedAt'> {
  return outcome.status === 'done'
    ? { status: 'done', problem: null, finishedAt: at }
    : { status: outcome.status, problem: outcome.problem, finishedAt: at };
}

function asProblem(error: unknown): Problem {
  if (isAppError(error)) return error.toIpcError();
  return { code: 'internal', message: 'The push of this item failed because of a bug in Agent Keyring; details are in the log.' };
}
