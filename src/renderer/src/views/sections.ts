import type { AppCommand } from '../../../shared/commands';
import type { WorkspaceSummary } from '../../../shared/schemas/workspaces';
import { useActiveWorkspace, useWorkspaceList } from '../queries/workspaces';
import { useUi, type Scope, type View } from '../stores/ui';

/**
 * Whose data a view shows: one workspace's or every workspace's (as the scope switch says), every
 * workspace's, or this computer's own (local secrets, linked accounts, the activity log,
 * settings). The header, the freshness line and Sync all follow from it: a view of this
 * computer's data shows no workspace's banner.
 */
export type ViewData = 'scope' | 'all-workspaces' | 'this-computer';

export interface Section {
  view: View;
  label: string;
  command: AppCommand;
  data: ViewData;
}

/** The views, in the sidebar's order. */
export const sections: readonly Section[] = [
  { view: 'secrets', label: 'Secrets', command: 'show-secrets', data: 'scope' },
  { view: 'connections', label: 'Auth connections', command: 'show-connections', data: 'scope' },
  { view: 'variables', label: 'Environment variables', command: 'show-variables', data: 'scope' },
  { view: 'local-secrets', label: 'Local secrets', command: 'show-local-secrets', data: 'this-computer' },
  { view: 'accounts', label: 'Linked accounts', command: 'show-accounts', data: 'this-computer' },
  { view: 'review', label: 'Review', command: 'show-review', data: 'all-workspaces' },
  { view: 'activity', label: 'Activity', command: 'show-activity', data: 'this-computer' },
  { view: 'workspaces', label: 'Workspaces', command: 'show-workspaces', data: 'all-workspaces' },
  { view: 'settings', label: 'Settings', command: 'show-settings', data: 'this-computer' },
];

export function sectionOf(view: View): Section {
  return sections.find((s) => s.view === view)!;
}

/** The workspaces whose data is on screen, and whether that is all of them. */
export interface Shown {
  /** Empty for a view of this computer's own data. */
  workspaces: WorkspaceSummary[];
  /** Every workspace is shown (and there is more than one). */
  all: boolean;
}

export function shownWorkspaces(view: View, scope: Scope, workspaces: WorkspaceSummary[], active: WorkspaceSummary | null): Shown {
  const data = sectionOf(view).data;
  if (data === 'this-computer') return { workspaces: [], all: false };
  if (data === 'all-workspaces' || scope === 'all') return { workspaces, all: workspaces.length > 1 };
  return { workspaces: active ? [active] : [], all: false };
}

export function useShownWorkspaces(): Shown {
  const view = useUi((s) => s.view);
  const scope = useUi((s) => s.scope);
  const workspaces = useWorkspaceList();
  const active = useActiveWorkspace();
  return shownWorkspaces(view, scope, workspaces, active ?? null);
}
