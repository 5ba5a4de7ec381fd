import { queryOptions, useQuery } from '@tanstack/react-query';
import type { SyncPhase, SyncProgress } from '../../../shared/schemas/inventory';
import { queryClient, queryKeys } from './client';

export interface RunningSync {
  workspaceId: string;
  /** `queued` until main reports the first phase. */
  phase: SyncPhase | 'queued';
  pagesFetched: number;
  secretsFetched: number;
  /** Set while main waits to try a request again (rate limited, server error). */
  retry: SyncProgress['retry'];
}

export interface SyncActivity {
  /** Workspaces being synced now, by id. */
  running: Record<string, RunningSync>;
  cancelling: boolean;
}

const idle: SyncActivity = { running: {}, cancelling: false };

/**
 * Syncs in progress, as main's `sync:progress` events describe them. Main has no request that
 * returns this, so the cache holds what the events pushed (the query never fetches).
 */
const syncActivityQuery = queryOptions({
  queryKey: queryKeys.syncActivity,
  queryFn: () => queryClient.getQueryData<SyncActivity>(queryKeys.syncActivity) ?? idle,
  initialData: idle,
  staleTime: Infinity,
  gcTime: Infinity,
});

export function useSyncActivity(): SyncActivity {
  return useQuery(syncActivityQuery).data;
}

export function useIsSyncing(workspaceId: string): boolean {
  return Boolean(useSyncActivity().running[workspaceId]);
}

export function useAnySyncing(): boolean {
  return Object.keys(useSyncActivity().running).length > 0;
}

export function cachedSyncActivity(): SyncActivity {
  return queryClient.getQueryData(syncActivityQuery.queryKey) ?? idle;
}

export function updateSyncActivity(update: (activity: SyncActivity) => SyncActivity): void {
  queryClient.setQueryData(syncActivityQuery.queryKey, (activity = idle) => {
    const next = update(activity);
    // Nothing left running: nothing left to cancel.
    return Object.keys(next.running).length === 0 && next.cancelling ? { ...next, cancelling: false } : next;
  });
}

const terminal: ReadonlySet<SyncPhase> = new Set(['done', 'failed', 'cancelled']);

/** Applies one `sync:progress` event. */
export function applySyncProgress(progress: SyncProgress): void {
  updateSyncActivity((activity) => {
    const running = { ...activity.running };
    if (terminal.has(progress.phase)) delete running[progress.workspaceId];
    else {
      running[progress.workspaceId] = {
        workspaceId: progress.workspaceId,
        phase: progress.phase,
        pagesFetched: progress.pagesFetched,
        secretsFetched: progress.secretsFetched,
        retry: progress.retry,
      };
    }
    return { ...activity, running };
  });
}
