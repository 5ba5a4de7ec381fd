import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { call } from '../keyring';
import { queryKeys } from './client';

/**
 * Auth connections kept here. Replies carry public fields, PEM facts and targets, never a
 * sensitive part; main's `keptConnections:changed` makes them stale (listen-to-main.ts).
 */
export function keptConnectionListQuery(query: string) {
  return queryOptions({
    queryKey: queryKeys.keptConnectionList(query),
    queryFn: async () => ({ ...(await call((api) => api.keptConnections.list({ query }))), query }),
  });
}

/** Connections kept here matching a search; the previous answer stays while a new one is read. */
export function useKeptConnections(query: string) {
  return useQuery({ ...keptConnectionListQuery(query.trim()), placeholderData: keepPreviousData });
}

/** Every connection kept here (for "is this remote connection kept here?"). */
export function useAllKeptConnections() {
  return useQuery(keptConnectionListQuery(''));
}
