import { queryOptions, useQuery } from '@tanstack/react-query';
import type { PlanItem, PushProgress } from '../../../shared/schemas/push';
import { queryClient, queryKeys } from './client';

/** One apply in progress (or just finished), as main's `push:progress` events describe it. */
export interface PushRun {
  planId: string;
  done: number;
  total: number;
  /** Each item's latest state, by item id. */
  items: Record<number, PlanItem>;
  /** Items waiting out a rate limit, by item id: when each tries again. */
  retries: Record<number, number>;
}

type PushRuns = Record<string, PushRun>;

const none: PushRuns = {};

/** Main has no request that returns this: the cache holds what the events pushed (never fetched). */
const pushRunsQuery = queryOptions({
  queryKey: queryKeys.pushProgress,
  queryFn: () => queryClient.getQueryData<PushRuns>(queryKeys.pushProgress) ?? none,
  initialData: none,
  staleTime: Infinity,
  gcTime: Infinity,
});

export function usePushRun(planId: string | null): PushRun | null {
  const runs = useQuery(pushRunsQuery).data;
  return planId ? (runs[planId] ?? null) : null;
}

/** Applies one `push:progress` event. */
export function applyPushProgress(progress: PushProgress): void {
  queryClient.setQueryData<PushRuns>(pushRunsQuery.queryKey, (runs = none) => {
    const run = runs[progress.planId] ?? { planId: progress.planId, done: 0, total: progress.total, items: {}, retries: {} };
    const retries = { ...run.retries };
    if (progress.retryAt !== null) retries[progress.item.id] = progress.retryAt;
    else delete retries[progress.item.id];
    return {
      ...runs,
      [progress.planId]: {
        ...run,
        done: Math.max(run.done, progress.done),
        total: progress.total,
        items: { ...run.items, [progress.item.id]: progress.item },
        retries,
      },
    };
  });
}

/** Forgets a plan's earlier progress (it is about to be applied again). */
export function resetPushRun(planId: string): void {
  queryClient.setQueryData<PushRuns>(pushRunsQuery.queryKey, (runs = none) => {
    const next = { ...runs };
    delete next[planId];
    return next;
  });
}
