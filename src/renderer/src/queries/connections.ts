import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { call } from '../keyring';
import { queryKeys } from './client';

export function authConnectionsQuery(workspaceId: string | null, query: string) {
  return queryOptions({
    queryKey: queryKeys.authConnectionList(workspaceId, query),
    // The reply carries the question it answers, for "No auth connections match …".
    queryFn: async () => ({ ...(await call((api) => api.authConnections.list({ workspaceId, query }))), workspaceId, query }),
  });
}

/** Auth connections of a scope, filtered by main; the previous answer stays while a new one is read. */
export function useAuthConnections(workspaceId: string | null, query: string) {
  return useQuery({ ...authConnectionsQuery(workspaceId, query.trim()), placeholderData: keepPreviousData });
}
