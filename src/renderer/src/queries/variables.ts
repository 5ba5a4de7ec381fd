import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { VariableKind } from '../../../shared/schemas/environment-variables';
import { call } from '../keyring';

// Under the `inventory` key: a sync or a workspace change invalidates them with the secrets.
const keys = {
  list: (workspaceId: string, kind: VariableKind | null, environment: string | null) =>
    ['inventory', 'variables', 'list', workspaceId, kind, environment] as const,
  search: (query: string) => ['inventory', 'variables', 'search', query] as const,
  referring: (workspaceId: string, kind: 'secret' | 'auth_connection', id: string) =>
    ['inventory', 'variables', 'referring', workspaceId, kind, id] as const,
};

export function variablesQuery(workspaceId: string, kind: VariableKind | null, environment: string | null) {
  return queryOptions({
    queryKey: keys.list(workspaceId, kind, environment),
    queryFn: () => call((api) => api.variables.list({ workspaceId, kind, environment })),
  });
}

/** One workspace's variables as last synced; the previous answer stays while a filter is applied. */
export function useVariables(workspaceId: string | null, kind: VariableKind | null, environment: string | null) {
  return useQuery({
    ...variablesQuery(workspaceId ?? '', kind, environment),
    enabled: workspaceId !== null,
    placeholderData: keepPreviousData,
  });
}

/** Labels across every workspace (nothing asked while the query is empty). */
export function useVariableSearch(query: string) {
  const trimmed = query.trim();
  return useQuery({
    queryKey: keys.search(trimmed),
    queryFn: () => call((api) => api.variables.search({ query: trimmed })),
    enabled: trimmed !== '',
    placeholderData: keepPreviousData,
  });
}

/** The variables whose values name a secret or connection (a secret's detail, a connection's card). */
export function useVariablesReferring(workspaceId: string, kind: 'secret' | 'auth_connection', id: string) {
  return useQuery({
    queryKey: keys.referring(workspaceId, kind, id),
    queryFn: () => call((api) => api.variables.referring({ workspaceId, kind, id })),
  });
}
