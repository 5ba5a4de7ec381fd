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
import type { KeptConnectionRepository, PublicDefinition } from '../auth-connections/kept-connection-repository';
import type { KeptConnectionService } from '../auth-connections/kept-connection-service';
import { clearedValue, connectionDependants, publicDefinitionOf } from '../auth-connections/kept-connection-rules';
import { isUpdatableAuthType, type ConnectionDefinition, type ConnectionUpdate } from '../../shared/schemas/connection-definitions';
import type { EnvironmentValueInput as WireValue, RemoteAuthConnection } from '../elevenlabs/types';
import type { Logger } from '../logging/logger';
import type { Clock } from '../ports/clock';
import type { WorkspaceAccess } from '../workspaces/workspace-access';
import type { WorkspaceRepository } from '../workspaces/workspace-repository';
import { computeConnectionPlan, computePlan, type PlannedItem } from './planner';
import { computeVariablePlan } from './variable-plan';
import type { VariableRepository } from '../environment-variables/variable-repository';
import type { PlanStore, StoredItem, StoredPlan } from './plan-store';

export interface PushServiceDeps {
  db: Database;
  plans: PlanStore;
  localRepository: LocalSecretRepository;
  localSecrets: LocalSecretService;
  keptRepository: KeptConnectionRepository;
  keptConnections: KeptConnectionService;
  variables: VariableRepository;
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
/** A connection kept here as read for this apply: the whole definition, and the fingerprint of its sensitive parts. */
type ItemDefinition = { definition: ConnectionDefinition; fingerprint: string; fields: PublicDefinition };

/**
 * What one apply reads from the keychain, each once: a workspace's key (for all its items) and a
 * local secret's value (for all its targets). Forgotten when the apply ends.
 */
class ApplySession {
  readonly #apis = new Map<string, Promise<WorkspaceApi>>();
  readonly #values = new Map<string, Promise<ItemValue>>();
  readonly #definitions = new Map<string, Promise<ItemDefinition>>();

  constructor(private readonly deps: Pick<PushServiceDeps, 'workspaces' | 'access' | 'localSecrets' | 'keptConnections'>) {}

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

  definitionOf(keptConnectionId: string): Promise<ItemDefinition> {
    let definition = this.#definitions.get(keptConnectionId);
    if (!definition) {
      definition = this.deps.keptConnections
        .currentDefinition(keptConnectionId)
        .then(({ connection, definition, fingerprint }) => ({ definition, fingerprint, fields: publicDefinitionOf(connection) }));
      this.#definitions.set(keptConnectionId, definition);
    }
    return definition;
  }
}

/** Failures after which a write may or may not have landed: reconcile before trying again. */
const uncertain = new Set(['server_error', 'timeout', 'unreachable', 'internal', 'unexpected_response']);

/**
 * Answers a retry cannot change: ElevenLabs refused the request as it stands (in use, invalid), or
 * the remote secret is gone. Recorded as refused (final), never offered as "try again".
 */
const final = new Set(['remote_rejected', 'remote_not_found']);

/** What a done item put in the workspace: the fingerprint sent and, for a connection, its public fields. */
type Sent = { fingerprint: string; fields: PublicDefinition | null };

type Outcome = { status: 'done'; remoteId: string | null; sent: Sent | null } | { status: 'failed' | 'refused'; problem: Problem };

const done = (remoteId: string | null, sent: Sent | null = null): Outcome => ({ status: 'done', remoteId, sent });

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
    const { localRepository, keptRepository, workspaces } = this.deps;
    const connectionDeletions = request.connectionDeletions ?? [];
    for (const deletion of [...request.deletions, ...connectionDeletions]) {
      if (!workspaces.find(deletion.workspaceId)) throw new AppError('not_found', 'That workspace no longer exists here.');
    }
    const connectionIds = request.connectionIds ?? [];
    const variableEdits = request.variableEdits ?? [];
    const promotion = request.promotion ?? null;
    // Nothing listed: everything kept here, of both kinds. Otherwise only what is listed.
    const everything = request.secretIds.length === 0 && connectionIds.length === 0 && variableEdits.length === 0 && promotion === null;
    const variableWorkspaces = [
      ...new Set([
        ...variableEdits.map((e) => e.workspaceId),
        ...(promotion ? [promotion.from.workspaceId, promotion.to.workspaceId] : []),
      ]),
    ];
    for (const workspaceId of variableWorkspaces) {
      if (!workspaces.find(workspaceId)) throw new AppError('not_found', 'That workspace no longer exists here.');
    }
    const variablePlan =
      variableWorkspaces.length === 0
        ? { items: [], notes: [] }
        : computeVariablePlan({
            variables: this.deps.variables.all(variableWorkspaces),
            secrets: localRepository.remoteSecrets(variableWorkspaces),
            connections: keptRepository.remoteConnections(variableWorkspaces),
            labelOf: (id) => workspaces.find(id)?.label ?? 'a removed workspace',
            edits: variableEdits,
            promotion,
          });
    // Nothing kept here is in scope of a deletions-only plan (and so nothing is remote-only).
    const only = (ids: string[]) => (request.deletionsOnly ? new Set<string>() : everything ? null : new Set(ids));
    const workspaceIds = request.workspaceIds.length ? new Set(request.workspaceIds) : null;
    const inWorkspaces = workspaceIds ? [...workspaceIds] : null;
    const items = [
      ...computePlan({
        secrets: localRepository.all(),
        targets: localRepository.allTargets(),
        remotes: localRepository.remoteSecrets(inWorkspaces),
        scope: { secretIds: only(request.secretIds), workspaceIds, force: request.force, deletions: request.deletions },
      }),
      ...computeConnectionPlan({
        connections: keptRepository.all(),
        targets: keptRepository.allTargets(),
        remotes: keptRepository.remoteConnections(inWorkspaces),
        scope: { connectionIds: only(connectionIds), workspaceIds, force: request.force, deletions: connectionDeletions },
      }),
      ...variablePlan.items,
    ];
    const id = randomUUID();
    this.deps.plans.insert({ id, createdAt: this.deps.clock.now(), items, notes: variablePlan.notes });
    // The user reads the plan before applying it: the API host gets ready meanwhile.
    if (items.some(isChange)) this.deps.access.warmUp();
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
        const outcome = await this.#run(plan.id, session, item, item.status === 'sending' || item.status === 'failed', (retryAt) =>
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
      this.deps.keptConnections.changed();
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
        const users = this.#dependantsOf(item);
        const what =
          item.action === 'replace'
            ? `is replaced by a new connection${users.length ? ` (the old one is used by ${dependantsByKind(users)}, to be re-pointed)` : ''}`
            : `overwrites a ${item.kind === 'connection' ? 'connection' : 'value'} used by ${dependantsByKind(users)}`;
        throw new AppError(
          'conflict',
          `“${item.remoteName ?? item.newName}” in this plan ${what}: confirm it or leave it out. Nothing was sent.`,
          {
            field: 'confirmed',
          },
        );
      }
    }
    return leaveOut;
  }

  /**
   * Every replace (it makes a new connection, and what uses the old one must be re-pointed), and an
   * update that sends a value to a remote secret or connection something uses (a pure rename of a
   * secret sends the same value).
   */
  #needsConfirmation(item: StoredItem, dependants?: Dependant[]): boolean {
    if (item.action === 'replace') return true;
    if (item.action !== 'update' || item.reasons.every((reason) => reason === 'renamed')) return false;
    return (dependants ?? this.#dependantsOf(item)).length > 0;
  }

  async #run(
    planId: string,
    session: ApplySession,
    item: StoredItem,
    maybeLanded: boolean,
    onRetryAt: (at: number) => void,
  ): Promise<Outcome> {
    try {
      const api = await session.apiFor(item.workspaceId);
      const calls = { onRetry: (notice: { waitSeconds: number }) => onRetryAt(this.deps.clock.now() + notice.waitSeconds * 1000) };
      if (item.kind === 'variable') return await this.#applyVariable(api, item, calls);
      if (item.kind === 'connection') {
        switch (item.action) {
          case 'create':
            return await this.#createConnection(api, await session.definitionOf(item.keptConnectionId!), item, maybeLanded, [], calls);
          case 'update':
            return await this.#updateConnection(api, await session.definitionOf(item.keptConnectionId!), item, calls);
          case 'replace':
            return await this.#replaceConnection(planId, api, await session.definitionOf(item.keptConnectionId!), item, maybeLanded, calls);
          case 'delete':
            return await this.#delete(api, item, calls);
          default:
            return done(item.remoteConnectionId);
        }
      }
      switch (item.action) {
        case 'create':
          return await this.#create(api, await session.valueOf(item.localSecretId!), item, maybeLanded, calls);
        case 'update':
          return await this.#update(api, await session.valueOf(item.localSecretId!), item, calls);
        case 'delete':
          return await this.#delete(api, item, calls);
        default:
          return done(item.remoteSecretId);
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
      return done(created.secretId, { fingerprint, fields: null });
    } catch (error) {
      if (!isAppError(error) || !uncertain.has(error.code)) throw error;
      const landed = await this.#findLanded(api, item, calls);
      if (landed) return this.#overwrite(api, landed, name, value, fingerprint, calls);
      // It did not land: now a second attempt cannot make a duplicate.
      const created = await api.createSecret({ name, value }, calls);
      return done(created.secretId, { fingerprint, fields: null });
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
    return done(secretId, { fingerprint, fields: null });
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
    return done(item.remoteSecretId, { fingerprint, fields: null });
  }

  /**
   * Deletes the item's remote secret or auth connection. Gone already is what was asked for; a
   * refusal says who still uses it (the app's own words from what it knows; the server's, already
   * cut at a word, only when it knows nobody); an uncertain answer is asked again.
   */
  async #delete(api: WorkspaceApi, item: StoredItem, calls: CallOptions): Promise<Outcome> {
    const connection = item.kind === 'connection';
    const remoteId = connection ? item.remoteConnectionId : item.remoteSecretId;
    const send = () =>
      connection ? api.deleteAuthConnection({ connectionId: remoteId! }, calls) : api.deleteSecret({ secretId: remoteId! }, calls);
    const what = connection ? `the auth connection “${item.remoteName}”` : `“${item.remoteName}”`;
    try {
      await send();
    } catch (error) {
      // Gone already (an earlier attempt, or the dashboard): that is what was asked for.
      if (isAppError(error) && error.code === 'remote_not_found') return done(remoteId);
      if (isAppError(error) && error.code === 'remote_rejected') {
        const users = this.#dependantsOf(item);
        const fix = connection ? 'Point these at another connection first' : 'Take it out of these first';
        throw new AppError(
          'remote_rejected',
          users.length
            ? `ElevenLabs refused to delete ${what}: it is still used by ${describeDependants(users)}. ${fix}, then delete it.`
            : `ElevenLabs refused to delete ${what}. ${error.message}`,
        );
      }
      if (!isAppError(error) || !uncertain.has(error.code)) throw error;
      try {
        await send();
      } catch (again) {
        if (isAppError(again) && again.code === 'remote_not_found') return done(remoteId);
        throw again;
      }
    }
    return done(remoteId);
  }

  // ---- environment variables: an edit or a promotion's values ---------------------------------

  /**
   * Creates a variable, or sends the environments an update changes (null clears one). A create
   * whose answer was lost is found by its label (unique in a workspace) and given its values.
   */
  async #applyVariable(api: WorkspaceApi, item: StoredItem, calls: CallOptions): Promise<Outcome> {
    const payload = item.payload!;
    const patch = (variableId: string) => api.updateEnvironmentVariable({ variableId, values: payload.values }, calls);
    if (item.action === 'update') {
      try {
        await patch(item.remoteVariableId!);
      } catch (error) {
        if (isAppError(error) && error.code === 'remote_not_found') {
          throw new AppError(
            'remote_not_found',
            `The variable “${item.newName}” no longer exists in ElevenLabs. Sync, then make a new plan.`,
          );
        }
        // A PATCH sends the same values again: repeating it cannot do harm.
        if (!isAppError(error) || !uncertain.has(error.code)) throw error;
        await patch(item.remoteVariableId!);
      }
      return done(item.remoteVariableId);
    }
    const values = Object.fromEntries(Object.entries(payload.values).filter((entry): entry is [string, WireValue] => entry[1] !== null));
    const create = () => api.createEnvironmentVariable({ label: item.newName!, type: payload.variableType, values }, calls);
    const landed = async () => (await api.listEnvironmentVariables({ label: item.newName! }, calls)).variables[0];
    if (item.status === 'sending' || item.status === 'failed') {
      const found = await landed();
      if (found) return patch(found.variableId).then(() => done(found.variableId));
    }
    try {
      return done((await create()).variableId);
    } catch (error) {
      // A 409: the label is taken (made since the last sync). Not overwritten: the user did not see it.
      if (isAppError(error) && error.code === 'remote_rejected' && (await landed())) {
        throw new AppError(
          'remote_rejected',
          `ElevenLabs already has a variable labelled “${item.newName}” in this workspace (made since the last sync?). Sync, then make a new plan.`,
        );
      }
      if (!isAppError(error) || !uncertain.has(error.code)) throw error;
      const found = await landed();
      if (found) return patch(found.variableId).then(() => done(found.variableId));
      return done((await create()).variableId);
    }
  }

  // ---- connections kept here: the same engine, their own calls --------------------------------

  async #createConnection(
    api: WorkspaceApi,
    current: ItemDefinition,
    item: StoredItem,
    maybeLanded: boolean,
    exclude: readonly string[],
    calls: CallOptions,
  ): Promise<Outcome> {
    const definition = { ...current.definition, name: item.newName! };
    const sent = { fingerprint: current.fingerprint, fields: current.fields };
    // An earlier attempt may have landed: look before creating (a create is never sent twice blindly).
    if (maybeLanded) {
      const landed = await this.#findLandedConnection(api, item, exclude, calls);
      if (landed) return this.#settleLandedConnection(api, landed, definition, sent, calls);
    }
    try {
      const created = await api.createAuthConnection({ definition }, calls);
      return done(created.connectionId, sent);
    } catch (error) {
      if (!isAppError(error) || !uncertain.has(error.code)) throw error;
      const landed = await this.#findLandedConnection(api, item, exclude, calls);
      if (landed) return this.#settleLandedConnection(api, landed, definition, sent, calls);
      // It did not land: now a second attempt cannot make a duplicate.
      const created = await api.createAuthConnection({ definition }, calls);
      return done(created.connectionId, sent);
    }
  }

  /**
   * A connection of the item's name and type that nothing kept here manages (and that is not the
   * one a replace replaces): the create that landed. The API cannot look one up by id, only list.
   */
  async #findLandedConnection(
    api: WorkspaceApi,
    item: StoredItem,
    exclude: readonly string[],
    calls: CallOptions,
  ): Promise<RemoteAuthConnection | undefined> {
    const found = await api.findAuthConnectionsByName({ name: item.newName! }, calls);
    const managed = new Set(
      this.deps.keptRepository
        .allTargets()
        .filter((t) => t.workspaceId === item.workspaceId && t.keptConnectionId !== item.keptConnectionId && t.remoteConnectionId)
        .map((t) => t.remoteConnectionId),
    );
    return found.find((c) => c.authType === item.authType && !managed.has(c.connectionId) && !exclude.includes(c.connectionId));
  }

  /**
   * Makes sure a connection an earlier attempt created holds what is sent now: updated in place,
   * or (a type the API cannot update, and nothing uses it yet) made again.
   */
  async #settleLandedConnection(
    api: WorkspaceApi,
    landed: RemoteAuthConnection,
    definition: ConnectionDefinition,
    sent: Sent,
    calls: CallOptions,
  ): Promise<Outcome> {
    if (isUpdatableAuthType(definition.authType)) {
      await api.updateAuthConnection({ connectionId: landed.connectionId, update: updateOf(definition, null) }, calls);
      return done(landed.connectionId, sent);
    }
    const users = landed.usedBy.tools.length + landed.usedBy.mcpServers.length + landed.usedBy.integrationConnections.length;
    if (users > 0) return done(landed.connectionId, sent);
    await api.deleteAuthConnection({ connectionId: landed.connectionId }, calls);
    const created = await api.createAuthConnection({ definition }, calls);
    return done(created.connectionId, sent);
  }

  async #updateConnection(api: WorkspaceApi, current: ItemDefinition, item: StoredItem, calls: CallOptions): Promise<Outcome> {
    const pushed = this.deps.keptRepository.targetsOf(item.keptConnectionId!).find((t) => t.workspaceId === item.workspaceId);
    const update = updateOf(current.definition, pushed?.pushedFields ?? null);
    const send = () => api.updateAuthConnection({ connectionId: item.remoteConnectionId!, update }, calls);
    try {
      await send();
    } catch (error) {
      if (isAppError(error) && error.code === 'remote_not_found') {
        throw new AppError(
          'remote_not_found',
          `The auth connection “${item.remoteName}” no longer exists in ElevenLabs (deleted in the dashboard?). Sync, then make a new plan.`,
        );
      }
      // A PATCH sends the same fields again: repeating it cannot do harm.
      if (!isAppError(error) || !uncertain.has(error.code)) throw error;
      await send();
    }
    return done(item.remoteConnectionId, { fingerprint: current.fingerprint, fields: current.fields });
  }

  /**
   * A change the API cannot make in place: a new connection is made (recorded at once, so a retry
   * finishes it rather than make another), the kept connection moves to it, and the old one is
   * deleted only if nothing uses it; what uses it keeps it until re-pointed.
   */
  async #replaceConnection(
    planId: string,
    api: WorkspaceApi,
    current: ItemDefinition,
    item: StoredItem,
    maybeLanded: boolean,
    calls: CallOptions,
  ): Promise<Outcome> {
    const old = item.remoteConnectionId!;
    let replacement = item.replacementConnectionId;
    if (replacement === null) {
      const created = await this.#createConnection(api, current, item, maybeLanded, [old], calls);
      if (created.status !== 'done' || created.remoteId === null) return created;
      replacement = created.remoteId;
      this.deps.plans.setReplacement(planId, item.id, replacement);
    }
    if (this.#dependantsOf(item).length === 0) {
      try {
        await api.deleteAuthConnection({ connectionId: old }, calls);
      } catch (error) {
        // Gone already, or something started using it since the last sync: it stays, and the new one is in place.
        if (!isAppError(error)) throw error;
        this.deps.log.warn('a replaced auth connection was not deleted', { code: error.code });
      }
    }
    return done(replacement, { fingerprint: current.fingerprint, fields: current.fields });
  }

  /** Writes an item's result, what it pushed, and the activity entry (inside the batch's transaction). */
  #record(planId: string, item: StoredItem, outcome: Outcome): void {
    const { plans, localRepository, activity, clock } = this.deps;
    const at = clock.now();
    const action = activityActionOf(item.action);
    const subject = item.newName ?? item.remoteName ?? item.remoteSecretId ?? '(unnamed)';
    if (outcome.status !== 'done') {
      plans.setItem(planId, item.id, { status: outcome.status, problem: outcome.problem, at });
      activity.record({ workspaceId: item.workspaceId, subject, action, result: 'failed', detail: outcome.problem.message });
      return;
    }
    if (item.kind === 'variable') {
      plans.setItem(planId, item.id, { status: 'done', at });
      const detail = `environment variable; ${item.cells.map((c) => (c.after === null ? `${c.environment} cleared` : `${c.environment} set`)).join(', ')}`;
      activity.record({ workspaceId: item.workspaceId, subject, action, detail });
      return;
    }
    if (item.kind === 'connection') {
      // A replace keeps the old connection's id on the item; its new one is on the target (and the item's replacement).
      plans.setItem(planId, item.id, { status: 'done', remoteConnectionId: item.action === 'replace' ? null : outcome.remoteId, at });
      this.#recordConnection(item, outcome, at);
      const changed = item.changes.length ? `changed: ${item.changes.join(', ')}` : '';
      const why = item.reasons.join(', ').replace(/_/g, ' ');
      const detail = ['auth connection', why, changed].filter(Boolean).join('; ');
      activity.record({ workspaceId: item.workspaceId, subject, action, detail });
      return;
    }
    plans.setItem(planId, item.id, { status: 'done', remoteSecretId: outcome.remoteId, at });
    if (item.action === 'delete') {
      localRepository.unlinkRemote(item.workspaceId, item.remoteSecretId!);
    } else if (item.localSecretId && outcome.remoteId && outcome.sent && localRepository.find(item.localSecretId)) {
      localRepository.recordPushed(item.localSecretId, item.workspaceId, {
        remoteSecretId: outcome.remoteId,
        fingerprint: outcome.sent.fingerprint,
        name: item.newName!,
        at,
      });
    }
    const detail = item.action === 'update' ? item.reasons.join(', ').replace(/_/g, ' ') || null : null;
    activity.record({ workspaceId: item.workspaceId, subject, action, detail });
  }

  /** What a connection push put in the workspace, recorded on the kept connection's target. */
  #recordConnection(item: StoredItem, outcome: Extract<Outcome, { status: 'done' }>, at: number): void {
    const { keptRepository } = this.deps;
    if (item.action === 'delete') {
      keptRepository.unlinkRemote(item.workspaceId, item.remoteConnectionId!);
      return;
    }
    if (!item.keptConnectionId || !outcome.remoteId || !outcome.sent?.fields || !keptRepository.find(item.keptConnectionId)) return;
    keptRepository.recordPushed(item.keptConnectionId, item.workspaceId, {
      remoteConnectionId: outcome.remoteId,
      fingerprint: outcome.sent.fingerprint,
      name: item.newName!,
      fields: outcome.sent.fields,
      at,
    });
  }

  #dependantsOf(item: StoredItem): Dependant[] {
    if (item.kind === 'connection') {
      if ((item.action !== 'delete' && item.action !== 'update' && item.action !== 'replace') || !item.remoteConnectionId) return [];
      const remote = this.deps.keptRepository.remoteConnection(item.workspaceId, item.remoteConnectionId);
      return remote ? connectionDependants(remote.usedBy) : [];
    }
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
      kind: item.kind,
      action: item.action,
      reasons: item.reasons,
      changes: item.changes,
      localSecretId: item.localSecretId,
      keptConnectionId: item.keptConnectionId,
      authType: item.authType,
      remoteName: item.remoteName,
      newName: item.newName,
      remoteSecretId: item.remoteSecretId,
      remoteConnectionId: item.remoteConnectionId,
      remoteVariableId: item.remoteVariableId,
      cells: [...item.cells],
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
      notes: plan.notes,
      items: plan.items.map((item) => this.#toItem(item)),
      counts: {
        create: count('create'),
        update: count('update'),
        replace: count('replace'),
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

/** Items that send something. */
function isChange(item: Pick<PlannedItem, 'action'>): boolean {
  return item.action === 'create' || item.action === 'update' || item.action === 'replace' || item.action === 'delete';
}

function activityActionOf(action: PlannedItem['action']): 'push_create' | 'push_update' | 'push_replace' | 'push_delete' {
  return action === 'create' ? 'push_create' : action === 'delete' ? 'push_delete' : action === 'replace' ? 'push_replace' : 'push_update';
}

/**
 * The update that makes a remote connection match a definition: every field the API can change
 * (never `name` or `tokenUrl`), and the empty form of a list, map or flag removed since the last push.
 */
function updateOf(definition: ConnectionDefinition, pushed: PublicDefinition | null): ConnectionUpdate {
  const { name: _name, tokenUrl: _tokenUrl, ...rest } = definition as ConnectionDefinition & { tokenUrl?: string };
  const update: Record<string, unknown> = { ...rest };
  for (const [field, value] of Object.entries(pushed ?? {})) {
    if (field !== 'authType' && field !== 'tokenUrl' && update[field] === undefined) update[field] = clearedValue(value);
  }
  return update as ConnectionUpdate;
}
