import { queryOptions, useQuery } from '@tanstack/react-query';
import type { LinkFlowEvent } from '../../../shared/schemas/accounts';
import { call } from '../keyring';
import { queryClient, queryKeys } from './client';

// Linked accounts as main describes them: everything about the tokens, never a token. A copy
// of dynamic variables happens in main; the renderer only hears when the clipboard clears.

export const accountsQuery = queryOptions({
  queryKey: queryKeys.accountList,
  queryFn: () => call((api) => api.accounts.list({})),
});

export function useAccounts() {
  return useQuery(accountsQuery);
}

/** A person's dynamic variables with every token shown as "…" (nothing is read or refreshed). */
export function dynamicVariablesQuery(personId: string) {
  return queryOptions({
    queryKey: queryKeys.dynamicVariables(personId),
    queryFn: () => call((api) => api.accounts.dynamicVariables({ personId })),
  });
}

/** The local secret that holds an account's token: its workspaces, push states and remote ids. */
export function boundSecretQuery(localSecretId: string) {
  return queryOptions({
    queryKey: queryKeys.boundSecret(localSecretId),
    queryFn: () => call((api) => api.localSecrets.get({ id: localSecretId })),
  });
}

/** Linked accounts and what is read from them are stale (an account changed, a bound secret was pushed). */
export function invalidateAccounts(): void {
  void queryClient.invalidateQueries({ queryKey: queryKeys.accounts });
}

/** Bound secrets' targets change when a push lands (main says `localSecrets:changed`). */
export function invalidateBoundSecrets(): void {
  void queryClient.invalidateQueries({ queryKey: queryKeys.boundSecrets });
}

// ---- sign-ins in progress ----------------------------------------------------------------------

export type LinkFlows = Record<string, LinkFlowEvent>;
const noFlows: LinkFlows = {};
/** Flows remembered (the dialog shows one at a time; older ones are dropped). */
const KEEP_FLOWS = 8;

/**
 * The latest `accounts:flow` event of each sign-in. Main sends "waiting" before its reply to
 * `accounts:startLink` arrives, so events are kept by flow id until a dialog asks for its own.
 */
const linkFlowsQuery = queryOptions({
  queryKey: queryKeys.linkFlows,
  queryFn: () => queryClient.getQueryData<LinkFlows>(queryKeys.linkFlows) ?? noFlows,
  initialData: noFlows,
  staleTime: Infinity,
  gcTime: Infinity,
});

export function applyFlowEvent(event: LinkFlowEvent): void {
  queryClient.setQueryData(linkFlowsQuery.queryKey, (flows = noFlows) => {
    const next = { ...flows, [event.flowId]: event };
    const ids = Object.keys(next);
    for (const id of ids.slice(0, Math.max(0, ids.length - KEEP_FLOWS))) delete next[id];
    return next;
  });
}

/** The last event of a sign-in, or null until main has said anything about it. */
export function useLinkFlow(flowId: string | null): LinkFlowEvent | null {
  const flows = useQuery(linkFlowsQuery).data;
  return flowId ? (flows[flowId] ?? null) : null;
}
