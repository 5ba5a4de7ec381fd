import { AppError } from '../errors';

/** Where something kept here is pushed: a workspace, and its name there (null: its own name). */
export interface PushTarget {
  workspaceId: string;
  remoteName: string | null;
}

/**
 * The one rule for the targets of anything kept here (local secrets, connections): each names a
 * workspace that exists, once, and no other item goes to the same name there. `clashAt` finds
 * such another item and says, in its own words, why the two cannot share the name.
 */
export function assertTargets(
  name: string,
  targets: PushTarget[],
  requireWorkspace: (id: string) => { label: string },
  clashAt: (workspaceId: string, remoteName: string, workspaceLabel: string) => string | null,
): void {
  const seen = new Set<string>();
  for (const target of targets) {
    const workspace = requireWorkspace(target.workspaceId);
    if (seen.has(target.workspaceId)) throw new AppError('invalid_request', `“${workspace.label}” is listed twice.`, { field: 'targets' });
    seen.add(target.workspaceId);
    const remoteName = target.remoteName ?? name;
    const clash = clashAt(target.workspaceId, remoteName, workspace.label);
    if (clash) throw new AppError('conflict', clash, { field: 'targets' });
  }
}
