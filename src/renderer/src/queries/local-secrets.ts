import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { ActivityFilter } from '../stores/activity';
import { call } from '../keyring';
import { queryKeys } from './client';

/**
 * Local secrets, plans, review, activity and settings. Every reply here is about values, never a
 * value: the one reply that carries one (an explicit reveal) is never put in this cache.
 */
export function localSecretListQuery(query: string, tag: string | null) {
  return queryOptions({
    queryKey: queryKeys.localSecretList(query, tag),
    // The reply carries the question it answers, for "No local secrets match …".
    queryFn: async () => ({ ...(await call((api) => api.localSecrets.list({ query, tag }))), query, tag }),
  });
}

/** Local secrets matching a search and a tag; the previous answer stays while a new one is read. */
export function useLocalSecretList(query: string, tag: string | null) {
  return useQuery({ ...localSecretListQuery(query.trim(), tag), placeholderData: keepPreviousData });
}

/** Every local secret (for "is this remote secret managed here?" and the review's actions). */
export function useAllLocalSecrets() {
  return useQuery(localSecretListQuery('', null));
}

export function localSecretQuery(id: string) {
  return queryOptions({
    queryKey: queryKeys.localSecret(id),
    queryFn: () => call((api) => api.localSecrets.get({ id })),
  });
}

/** The last plan applied or interrupted (after a restart: what really happened). */
export const latestPlanQuery = queryOptions({
  queryKey: queryKeys.latestPlan,
  queryFn: async () => (await call((api) => api.push.latest({}))).plan,
});

export const settingsQuery = queryOptions({
  queryKey: queryKeys.settings,
  queryFn: () => call((api) => api.settings.get({})),
});

export function reviewQuery(rotationDays: number) {
  return queryOptions({
    queryKey: queryKeys.review(rotationDays),
    queryFn: () => call((api) => api.review.list({ rotationDays })),
  });
}

export const ACTIVITY_PAGE_SIZE = 50;

export function activityPageQuery(filter: ActivityFilter, offset: number) {
  return queryOptions({
    queryKey: queryKeys.activityPage(filter, offset),
    queryFn: () => call((api) => api.activity.list({ ...filter, offset, limit: ACTIVITY_PAGE_SIZE })),
    placeholderData: keepPreviousData,
  });
}
