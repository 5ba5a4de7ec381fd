import type { SyncPhase, SyncProgress, SyncResult } from '../../shared/schemas/inventory';
import type { Problem } from '../../shared/schemas/common';
import type { ActivityLog } from '../activity/activity-log';
import { mapConcurrently } from '../concurrency/map-concurrently';
import type { EventBus } from '../events/event-bus';
import { AppError, isAppError } from '../errors';
import type { WorkspaceApi } from '../elevenlabs/gateway';
import { CursorGuard, MAX_DEPENDANT_PAGES } from '../elevenlabs/paging';
import type { DependencyResourceType, RemoteSecret, RetryNotice } from '../elevenlabs/types';
import type { Logger } from '../logging/logger';
import type { WorkspaceAccess } from '../workspaces/workspace-access';
import type { WorkspaceRecord, WorkspaceRepository } from '../workspaces/workspace-repository';
import type { InventoryWriter, StagedInventory, SyncOutcome } from './inventory-writer';
import type { VariableRepository } from '../environment-variables/variable-repository';
import { fetchEnvironmentVariables, joinNotes, writeEnvironmentVariables } from '../environment-variables/variable-sync';

export interface SyncServiceDeps {
  repository: WorkspaceRepository;
  access: WorkspaceAccess;
  writer: InventoryWriter;
  events: EventBus;
  log: Logger;
  /** Each finished sync is recorded with its counts, each failed one with why. */
  activity: ActivityLog;
  now: () => number;
  /** Where the workspace's environment variables are kept (unset: they are not synced). */
  variables?: VariableRepository;
  /** Called after a workspace's inventory was written (search index). */
  onInventoryChanged: () => void;
  /** Secrets per page; unset, all of them are asked for in one reply first (fewest round trips). */
  pageSize?: number;
  /** Workspaces synced at the same time by "sync all". */
  concurrency?: number;
  /** The longest one workspace's sync may take, whatever the server does. */
  deadlineMs?: number;
}

/** "12 secrets and 3 auth connections; 2 new, 1 removed since the last sync." */
function syncDetail(
  counts: { secretCount: number; authConnectionCount: number; changes: { added: number; removed: number } },
  note: Problem | null,
): string {
  const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
  const { added, removed } = counts.changes;
  const changes = added || removed ? `${added} new, ${removed} removed since the last sync` : 'no change since the last sync';
  return `${count(counts.secretCount, 'secret')} and ${count(counts.authConnectionCount, 'auth connection')}; ${changes}.${note ? ` ${note.message}` : ''}`;
}

/** What listing the auth connections adds to a sync's outcome. */
type AuthConnectionsOutcome = Pick<SyncOutcome, 'authConnections' | 'authConnectionsDenied' | 'note'>;

/** Secrets whose cut-short dependants are completed at the same time. */
const DEPENDANT_CONCURRENCY = 6;

/** A sync of even 100,000 secrets over a slow link takes a few minutes; a longer one is stuck. */
export const SYNC_DEADLINE_MS = 10 * 60_000;

const truncatedTypes: { flag: keyof RemoteSecret['truncated']; type: DependencyResourceType; kind: 'tool' | 'agent' | 'phone_number' }[] = [
  { flag: 'tools', type: 'tools', kind: 'tool' },
  { flag: 'agents', type: 'agents', kind: 'agent' },
  { flag: 'phoneNumbers', type: 'phone_numbers', kind: 'phone_number' },
];

/**
 * Fetches every page of a workspace's secrets (with their dependants) and its auth connections,
 * then writes them in one transaction. Nothing is written until everything is fetched, so a
 * failure or a crash keeps the previous inventory.
 */
export class SyncService {
  readonly #inFlight = new Map<string, { controller: AbortController; result: Promise<SyncResult> }>();

  constructor(private readonly deps: SyncServiceDeps) {}

  /** Syncs the given workspaces (all when empty); one result per workspace, never throws for one. */
  async sync(workspaceIds: string[]): Promise<SyncResult[]> {
    const all = this.deps.repository.all();
    const targets = workspaceIds.length === 0 ? all : workspaceIds.map((id) => requireWorkspace(all, id));
    // The API host starts while the keys are read from the keychain, not after.
    if (targets.length > 0) this.deps.access.warmUp();
    return mapConcurrently(targets, this.deps.concurrency ?? 3, (workspace) => this.#syncOnce(workspace));
  }

  /** Cancels every sync in progress; their previous inventories stay. */
  cancelAll(): number {
    for (const { controller } of this.#inFlight.values()) controller.abort();
    return this.#inFlight.size;
  }

  /** Cancels and waits for every sync to finish recording its outcome (before closing the database). */
  async stop(): Promise<void> {
    this.cancelAll();
    await Promise.allSettled([...this.#inFlight.values()].map(({ result }) => result));
  }

  /** A second request for a workspace already syncing joins the first. */
  #syncOnce(workspace: WorkspaceRecord): Promise<SyncResult> {
    const running = this.#inFlight.get(workspace.id);
    if (running) return running.result;
    const controller = new AbortController();
    const deadline = setTimeout(
      () => controller.abort(new AppError('timeout', syncTooLong(this.deps.deadlineMs ?? SYNC_DEADLINE_MS))),
      this.deps.deadlineMs ?? SYNC_DEADLINE_MS,
    );
    const result = this.#sync(workspace, controller.signal).finally(() => {
      clearTimeout(deadline);
      this.#inFlight.delete(workspace.id);
    });
    this.#inFlight.set(workspace.id, { controller, result });
    return result;
  }

  async #sync(workspace: WorkspaceRecord, signal: AbortSignal): Promise<SyncResult> {
    const { events, log, now, repository } = this.deps;
    const progress = { pagesFetched: 0, secretsFetched: 0 };
    let phase: SyncPhase = 'starting';
    const report = (next: SyncPhase, retry: SyncProgress['retry'] = null) => {
      phase = next;
      events.emit('sync:progress', { workspaceId: workspace.id, phase, ...progress, retry });
    };
    /** A request is being retried: the phase stays, with when the next attempt starts. */
    const onRetry = (notice: RetryNotice) => report(phase, retryOf(notice, now()));
    const started = now();
    report('starting');
    const staged = this.deps.writer.begin(workspace.id);
    try {
      const api = await this.deps.access.apiFor(workspace);
      const outcome = await this.#fetch(api, workspace.id, staged, { signal, onRetry }, progress, report);
      report('saving');
      const counts = staged.commit(outcome, now());
      this.deps.activity.record({
        workspaceId: workspace.id,
        subject: workspace.label,
        action: 'sync',
        detail: syncDetail(counts, outcome.note),
      });
      this.deps.onInventoryChanged();
      report('done');
      log.info('sync finished', {
        workspaceId: workspace.id,
        ms: now() - started,
        pages: progress.pagesFetched,
        secrets: counts.secretCount,
        added: counts.changes.added,
        removed: counts.changes.removed,
      });
      events.emit('workspaces:changed', {});
      return { workspaceId: workspace.id, ok: true, problem: outcome.note, ...counts };
    } catch (error) {
      staged.discard();
      const problem = toProblem(error, signal);
      if (!isAppError(error) && !signal.aborted) log.error('sync bug', { workspaceId: workspace.id, error: String(error) });
      // A cancelled sync is not a failure: the last real result stays on record.
      if (problem.code !== 'cancelled' && repository.find(workspace.id)) {
        repository.recordSyncFailure(workspace.id, problem, now());
        // A cancelled sync changed nothing and is not recorded; a failed one is, with why.
        this.deps.activity.record({
          workspaceId: workspace.id,
          subject: workspace.label,
          action: 'sync',
          result: 'failed',
          detail: `${problem.message} The inventory saved before was kept.`,
        });
        // Refused the secrets list: the key may not read secrets (kept where the user looks).
        if (problem.code === 'missing_permission')
          repository.recordAccess(workspace.id, { secrets: { state: 'denied', permission: problem.permission ?? null } });
      }
      report(problem.code === 'cancelled' ? 'cancelled' : 'failed');
      log.warn('sync failed', { workspaceId: workspace.id, code: problem.code, message: problem.message });
      events.emit('workspaces:changed', {});
      const current = repository.find(workspace.id);
      return {
        workspaceId: workspace.id,
        ok: false,
        problem,
        secretCount: current?.secretCount ?? 0,
        removedSecretCount: current?.removedSecretCount ?? 0,
        authConnectionCount: current?.authConnectionCount ?? 0,
        changes: { added: 0, removed: 0 },
      };
    }
  }

  async #fetch(
    api: WorkspaceApi,
    workspaceId: string,
    staged: StagedInventory,
    calls: { signal: AbortSignal; onRetry: (notice: RetryNotice) => void },
    progress: { pagesFetched: number; secretsFetched: number },
    report: (phase: SyncPhase, retry?: SyncProgress['retry']) => void,
  ): Promise<SyncOutcome> {
    const truncated: RemoteSecret[] = [];
    // A retry of the auth connections or variables is shown once the sync waits for them, not
    // while secrets are still arriving (each batch's progress would hide it again).
    const beside: { retry: SyncProgress['retry']; waitedFor: boolean } = { retry: null, waitedFor: false };
    const onBesideRetry = (notice: RetryNotice) => {
      beside.retry = retryOf(notice, this.deps.now());
      if (beside.waitedFor) report('auth_connections', beside.retry);
    };
    // The auth connections and environment variables are asked for with the secrets: their round
    // trips overlap the listing's. When the listing fails (refused, unreachable), they are cancelled.
    const besides = new AbortController();
    const besideCalls = { signal: AbortSignal.any([calls.signal, besides.signal]), onRetry: onBesideRetry };
    const authConnections = this.#listAuthConnections(api, besideCalls);
    const variables = this.deps.variables ? fetchEnvironmentVariables(api, besideCalls) : undefined;
    // Observed now: they may fail while secrets are still arriving.
    authConnections.catch(() => undefined);
    variables?.catch(() => undefined);
    try {
      // Batches are staged as they stream in, while the API host shapes the next.
      const streamed = api.streamSecrets(
        { pageSize: this.deps.pageSize },
        {
          ...calls,
          onEvent: (batch) => {
            staged.add(batch);
            truncated.push(...batch.truncated);
            progress.pagesFetched = batch.pages;
            progress.secretsFetched += batch.secrets.length + batch.truncated.length;
            report('secrets');
          },
        },
      );
      // Asked for: what the inventory holds is read while ElevenLabs answers.
      staged.load();
      await streamed;

      if (truncated.length > 0) {
        report('dependants');
        // Several secrets at a time: a real sync is bound by round trips, not by work.
        await mapConcurrently(truncated, DEPENDANT_CONCURRENCY, async (secret) => {
          await this.#completeDependants(api, secret, calls);
          staged.addComplete(secret);
        });
      }

      beside.waitedFor = true;
      report('auth_connections', beside.retry && beside.retry.retryAt > this.deps.now() ? beside.retry : null);
      const outcome: SyncOutcome = await authConnections;
      if (variables && this.deps.variables) {
        const fetched = await variables;
        outcome.note = joinNotes(outcome.note, fetched.note);
        outcome.alsoWrite = [...(outcome.alsoWrite ?? []), writeEnvironmentVariables(this.deps.variables, workspaceId, fetched)];
      }
      return outcome;
    } finally {
      // A sync that failed leaves no request of its own running.
      besides.abort();
    }
  }

  /** The workspace's auth connections; a key that may not list them still syncs its secrets. */
  async #listAuthConnections(
    api: WorkspaceApi,
    calls: { signal: AbortSignal; onRetry: (notice: RetryNotice) => void },
  ): Promise<AuthConnectionsOutcome> {
    try {
      return { authConnections: await api.listAuthConnections({}, calls), authConnectionsDenied: null, note: null };
    } catch (error) {
      // A key scoped to secrets only still gives a useful inventory; say what is missing.
      if (!isAppError(error) || error.code !== 'missing_permission') throw error;
      return {
        authConnections: null,
        authConnectionsDenied: { permission: error.extra.permission ?? null },
        note: {
          code: 'missing_permission',
          message: `Secrets synced, but this key may not list auth connections${error.extra.permission ? ` (it lacks ${error.extra.permission})` : ''}; the cached ones were kept.`,
          ...(error.extra.permission ? { permission: error.extra.permission } : {}),
        },
      };
    }
  }

  /** The list endpoint caps dependants per secret; the dependencies route pages the rest. */
  async #completeDependants(
    api: WorkspaceApi,
    secret: RemoteSecret,
    calls: { signal: AbortSignal; onRetry: (notice: RetryNotice) => void },
  ): Promise<void> {
    for (const { flag, type, kind } of truncatedTypes) {
      if (!secret.truncated[flag]) continue;
      const complete = [];
      const guard = new CursorGuard(`the ${kind.replace('_', ' ')}s using a secret`, 'ElevenLabs', MAX_DEPENDANT_PAGES);
      let cursor: string | undefined;
      do {
        const page = await api.listDependencies({ secretId: secret.secretId, resourceType: type, cursor }, calls);
        complete.push(...page.items);
        cursor = page.nextCursor ?? undefined;
        if (cursor !== undefined) guard.follow(cursor);
      } while (cursor);
      secret.dependants = [...secret.dependants.filter((d) => d.kind !== kind), ...complete];
      secret.truncated[flag] = false;
    }
  }
}

function retryOf(notice: RetryNotice, now: number): NonNullable<SyncProgress['retry']> {
  return {
    code: notice.code === 'rate_limited' ? 'rate_limited' : 'server_error',
    retryAt: now + notice.waitSeconds * 1000,
    attempt: notice.attempt,
  };
}

function requireWorkspace(all: WorkspaceRecord[], id: string): WorkspaceRecord {
  const workspace = all.find((w) => w.id === id);
  if (!workspace) throw new AppError('not_found', 'That workspace no longer exists here. It may have been removed.');
  return workspace;
}

function syncTooLong(deadlineMs: number): string {
  return `The sync took longer than ${Math.round(deadlineMs / 60_000)} minutes and was stopped; the previous inventory was kept. Try again later.`;
}

function toProblem(error: unknown, signal: AbortSignal): Problem {
  // Aborted by the deadline: say so, not "cancelled".
  if (signal.aborted && isAppError(signal.reason)) return signal.reason.toIpcError();
  if (signal.aborted) return { code: 'cancelled', message: 'Sync cancelled; the previous inventory was kept.' };
  if (isAppError(error)) return error.toIpcError();
  return {
    code: 'internal',
    message: 'The sync failed because of a bug in Agent Keyring; details are in the log. The previous inventory was kept.',
  };
}
