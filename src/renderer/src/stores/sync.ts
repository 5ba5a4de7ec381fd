import { create } from 'zustand';
import { LIMITS } from '../../../shared/limits';
import type { SyncPhase, SyncProgress, SyncResult } from '../../../shared/schemas/inventory';
import { call, toIpcError } from '../keyring';
import { plural, quoted } from '../lib/format';
import { useUi } from './ui';
import { useWorkspaces, workspaceLabel } from './workspaces';

export interface RunningSync {
  workspaceId: string;
  /** `queued` until main reports the first phase. */
  phase: SyncPhase | 'queued';
  pagesFetched: number;
  secretsFetched: number;
  startedAt: number;
}

export interface FinishedSync {
  result: SyncResult;
  at: number;
}

export interface SyncStoreState {
  /** Workspaces being synced now, by id. */
  running: Record<string, RunningSync>;
  /** The last result of each workspace synced in this session, by id. */
  lastResults: Record<string, FinishedSync>;
  cancelling: boolean;

  /** Syncs these workspaces ('all' = every workspace); notifies one result per workspace. */
  sync(target: string[] | 'all'): Promise<SyncResult[]>;
  cancel(): Promise<void>;
  applyProgress(progress: SyncProgress): void;
}

const terminal: ReadonlySet<SyncPhase> = new Set(['done', 'failed', 'cancelled']);

export const useSync = create<SyncStoreState>()((set, get) => ({
  running: {},
  lastResults: {},
  cancelling: false,

  async sync(target) {
    const ids = target === 'all' ? useWorkspaces.getState().workspaces.map((w) => w.id) : target;
    // A workspace already syncing is joined by main; asking again would only repeat its result.
    const todo = ids.filter((id) => !get().running[id]);
    if (todo.length === 0) return [];
    const startedAt = Date.now();
    set((state) => {
      const running = { ...state.running };
      for (const id of todo) running[id] = { workspaceId: id, phase: 'queued', pagesFetched: 0, secretsFetched: 0, startedAt };
      return { running };
    });
    const results: SyncResult[] = [];
    try {
      for (let i = 0; i < todo.length; i += LIMITS.workspacesPerRequest) {
        const chunk = todo.slice(i, i + LIMITS.workspacesPerRequest);
        const reply = await call((api) => api.inventory.sync({ workspaceIds: chunk }));
        results.push(...reply.results);
        finish(reply.results);
      }
    } catch (error) {
      const problem = toIpcError(error);
      useUi.getState().notify('error', `Sync failed: ${problem.message}`);
    } finally {
      set((state) => {
        const running = { ...state.running };
        for (const id of todo) delete running[id];
        return { running, cancelling: Object.keys(running).length > 0 && state.cancelling };
      });
    }
    return results;
  },

  async cancel() {
    set({ cancelling: true });
    try {
      await call((api) => api.inventory.cancelSync({}));
    } catch (error) {
      set({ cancelling: false });
      useUi.getState().notify('error', `Could not cancel the sync: ${toIpcError(error).message}`);
    }
  },

  applyProgress(progress) {
    set((state) => {
      const running = { ...state.running };
      if (terminal.has(progress.phase)) {
        delete running[progress.workspaceId];
      } else {
        running[progress.workspaceId] = {
          workspaceId: progress.workspaceId,
          phase: progress.phase,
          pagesFetched: progress.pagesFetched,
          secretsFetched: progress.secretsFetched,
          startedAt: state.running[progress.workspaceId]?.startedAt ?? Date.now(),
        };
      }
      return { running, cancelling: Object.keys(running).length > 0 && state.cancelling };
    });
  },
}));

function finish(results: SyncResult[]): void {
  const at = Date.now();
  useSync.setState((state) => {
    const lastResults = { ...state.lastResults };
    for (const result of results) lastResults[result.workspaceId] = { result, at };
    return { lastResults };
  });
  const { notify } = useUi.getState();
  for (const result of results) {
    const label = quoted(workspaceLabel(result.workspaceId));
    if (result.ok) {
      const summary = syncSummary(result);
      if (result.problem) notify('warning', `Synced ${label}: ${summary}. ${result.problem.message}`);
      else notify('success', `Synced ${label}: ${summary}`);
    } else if (result.problem?.code === 'cancelled') {
      notify('info', `${label}: ${result.problem.message}`);
    } else {
      notify('error', `Sync of ${label} failed: ${result.problem?.message ?? 'no reason was given.'}`);
    }
  }
}

/** "14 secrets, 2 removed remotely, 5 auth connections". */
export function syncSummary(counts: { secretCount: number; removedSecretCount: number; authConnectionCount: number }): string {
  return [
    plural(counts.secretCount, 'secret'),
    counts.removedSecretCount ? `${new Intl.NumberFormat().format(counts.removedSecretCount)} removed remotely` : '',
    plural(counts.authConnectionCount, 'auth connection'),
  ]
    .filter(Boolean)
    .join(', ');
}

/** "Demo workspace: 200 secrets (2 pages)…" */
export function progressText(label: string, run: RunningSync): string {
  const secrets = plural(run.secretsFetched, 'secret');
  switch (run.phase) {
    case 'queued':
      return `${label}: waiting to start…`;
    case 'starting':
      return `${label}: connecting…`;
    case 'secrets':
      return `${label}: ${secrets} (${plural(run.pagesFetched, 'page')})…`;
    case 'dependants':
      return `${label}: ${secrets}, completing the lists of who uses them…`;
    case 'auth_connections':
      return `${label}: ${secrets}, now auth connections…`;
    case 'saving':
      return `${label}: saving ${secrets}…`;
    default:
      return `${label}: finishing…`;
  }
}

/** Rough share of the work done, for the bar (the total number of pages is not known up front). */
export function progressValue(run: RunningSync): number {
  const steps: Record<RunningSync['phase'], number> = {
    queued: 0,
    starting: 5,
    secrets: Math.min(70, 10 + run.pagesFetched * 6),
    dependants: 75,
    auth_connections: 85,
    saving: 95,
    done: 100,
    failed: 100,
    cancelled: 100,
  };
  return steps[run.phase];
}
