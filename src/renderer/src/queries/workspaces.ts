import { queryOptions, useQuery } from '@tanstack/react-query';
import type { WorkspaceList, WorkspaceSummary } from '../../../shared/schemas/workspaces';
import { call } from '../keyring';
import { guessIsMac } from '../lib/shortcuts';
import { queryClient, queryKeys } from './client';

export const workspacesQuery = queryOptions({
  queryKey: queryKeys.workspaces,
  queryFn: () => call((api) => api.workspaces.list({})),
});

export const appInfoQuery = queryOptions({
  queryKey: queryKeys.appInfo,
  queryFn: () => call((api) => api.app.getInfo({})),
});

const noWorkspaces: WorkspaceSummary[] = [];

/** The workspaces in the user's order (index 0 is Ctrl/⌘+1). */
export function useWorkspaceList(): WorkspaceSummary[] {
  return useQuery(workspacesQuery).data?.workspaces ?? noWorkspaces;
}

/** The active workspace's id; the first one if main has none on record. */
export function useActiveWorkspaceId(): string | null {
  const { data } = useQuery(workspacesQuery);
  return data ? activeIdOf(data) : null;
}

export function useActiveWorkspace(): WorkspaceSummary | null {
  const { data } = useQuery(workspacesQuery);
  if (!data) return null;
  const id = activeIdOf(data);
  return data.workspaces.find((w) => w.id === id) ?? null;
}

export function useWorkspace(workspaceId: string): WorkspaceSummary | undefined {
  return useQuery(workspacesQuery).data?.workspaces.find((w) => w.id === workspaceId);
}

function activeIdOf(list: WorkspaceList): string | null {
  if (list.activeWorkspaceId && list.workspaces.some((w) => w.id === list.activeWorkspaceId)) return list.activeWorkspaceId;
  return list.workspaces[0]?.id ?? null;
}

/** For code outside React (shortcuts, actions): what the cache holds now. */
export function cachedWorkspaces(): WorkspaceSummary[] {
  return queryClient.getQueryData(workspacesQuery.queryKey)?.workspaces ?? noWorkspaces;
}

export function cachedActiveWorkspaceId(): string | null {
  const list = queryClient.getQueryData(workspacesQuery.queryKey);
  return list ? activeIdOf(list) : null;
}

export function workspaceLabel(workspaceId: string): string {
  return cachedWorkspaces().find((w) => w.id === workspaceId)?.label ?? 'Removed workspace';
}

/** ⌘ on macOS, Ctrl elsewhere: main says which platform this is, a guess until it has. */
export function useIsMac(): boolean {
  const platform = useQuery(appInfoQuery).data?.platform;
  return platform ? platform === 'darwin' : guessIsMac();
}

export function cachedIsMac(): boolean {
  const platform = queryClient.getQueryData(appInfoQuery.queryKey)?.platform;
  return platform ? platform === 'darwin' : guessIsMac();
}

/** The last attempt failed for a reason other than the user cancelling it. */
export function lastSyncFailed(workspace: WorkspaceSummary): boolean {
  return workspace.sync.status === 'failed' && workspace.sync.problem?.code !== 'cancelled';
}

/** The last attempt was cancelled by the user (main records it as a failed attempt). */
export function lastSyncCancelled(workspace: WorkspaceSummary): boolean {
  return workspace.sync.status === 'failed' && workspace.sync.problem?.code === 'cancelled';
}

/** The key may not list secrets: a sync can only fail until the key is replaced. */
export function secretsDenied(workspace: WorkspaceSummary): boolean {
  return workspace.access.secrets.state === 'denied';
}
