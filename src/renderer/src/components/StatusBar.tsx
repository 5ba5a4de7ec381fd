import type { ReactNode } from 'react';
import type { WorkspaceSummary } from '../../../shared/schemas/workspaces';
import { useNow } from '../hooks/useNow';
import { fullDateTime, quoted, relativeTime } from '../lib/format';
import { offlineBanner, problemText, retryAllowedAt } from '../lib/sync-text';
import { useSyncActivity } from '../queries/syncActivity';
import { lastSyncCancelled, lastSyncFailed, secretsDenied } from '../queries/workspaces';
import { syncWorkspaces } from '../stores/actions';
import { useUi } from '../stores/ui';
import { useShownWorkspaces } from '../views/sections';

/** Failures that mean "did not answer": the offline line says so already. */
const unreachableCodes = new Set(['unreachable', 'timeout']);

/**
 * What the screen's data is worth, for the workspaces it shows (sections.ts says which): how old
 * it is, whether ElevenLabs answered last time (each workspace's own reachability, the one source
 * of truth), and what stops a workspace from syncing. A view of this computer's own data (Local
 * secrets, Settings...) shows none. Relative times refresh every 30 s.
 */
export function StatusBar() {
  const { workspaces: shown, all } = useShownWorkspaces();
  if (!shown.length) return null;
  return (
    <div className="workspace-status">
      <Freshness shown={shown} all={all} />
      <Notices shown={shown} all={all} />
    </div>
  );
}

function Freshness({ shown, all }: { shown: WorkspaceSummary[]; all: boolean }) {
  const { running } = useSyncActivity();
  const now = useNow();
  const synced = shown.filter((w) => w.sync.lastSuccessAt !== null);
  const never = shown.filter((w) => w.sync.lastSuccessAt === null);
  const oldest = synced.reduce<WorkspaceSummary | null>(
    (a, w) => (a && (a.sync.lastSuccessAt ?? 0) <= (w.sync.lastSuccessAt ?? 0) ? a : w),
    null,
  );
  const savedAt = oldest?.sync.lastSuccessAt ?? null;
  const syncing = shown.filter((w) => running[w.id]);
  const unreachable = shown.filter((w) => w.reachability === 'unreachable' && !running[w.id]);
  const single = shown.length === 1 ? shown[0]! : null;

  let body: ReactNode;
  let tone = 'fresh';
  if (unreachable.length) {
    tone = 'offline';
    const banner = offlineBanner({
      shown,
      unreachable,
      running,
      now,
      browserOffline: typeof navigator !== 'undefined' && !navigator.onLine,
    });
    body = (
      <>
        <span className="status-icon" aria-hidden="true">
          ⚠
        </span>
        <span className="status-text">
          <strong>{banner.heading}</strong> — {banner.text}
        </span>
        <button type="button" className="button button-small" onClick={() => void syncWorkspaces(unreachable.map((w) => w.id))}>
          Try again
        </button>
      </>
    );
  } else if (syncing.length) {
    tone = 'syncing';
    body = (
      <span>
        {single ? `Syncing ${quoted(single.label)}…` : `Syncing ${syncing.map((w) => quoted(w.label)).join(', ')}…`} The list below is the
        inventory saved before.
      </span>
    );
  } else if (savedAt === null) {
    tone = 'stale';
    const canSync = shown.filter((w) => !secretsDenied(w));
    body = (
      <>
        <span>{all ? 'No workspace has been synced yet' : 'Never synced'}</span>
        {canSync.length ? (
          <button
            type="button"
            className="button button-small button-primary"
            onClick={() => void syncWorkspaces(canSync.map((w) => w.id))}
          >
            Sync now
          </button>
        ) : null}
      </>
    );
  } else {
    tone = now - savedAt > 24 * 3600_000 ? 'stale' : 'fresh';
    body = (
      <>
        <span title={fullDateTime(savedAt)}>
          {all && oldest && shown.length > 1
            ? `Synced ${relativeTime(savedAt, now)} (oldest: ${quoted(oldest.label)})`
            : `Synced ${relativeTime(savedAt, now)}`}
        </span>
        {all && never.length > 0 ? (
          <span className="status-extra"> · Never synced: {never.map((w) => quoted(w.label)).join(', ')}</span>
        ) : null}
        {single && lastSyncCancelled(single) ? <span className="status-extra"> · The last sync was cancelled</span> : null}
      </>
    );
  }

  return (
    <div className={`status-bar status-${tone}`} role="status" aria-label="Data freshness">
      {body}
    </div>
  );
}

/** What stops each shown workspace from syncing, kept on the workspace until it is fixed. */
function Notices({ shown, all }: { shown: WorkspaceSummary[]; all: boolean }) {
  const notices = shown.flatMap((w) => noticesOf(w, all));
  if (!notices.length) return null;
  return (
    <ul className="notices" aria-label="Workspace problems">
      {notices}
    </ul>
  );
}

function noticesOf(workspace: WorkspaceSummary, all: boolean): ReactNode[] {
  const prefix = all ? `${quoted(workspace.label)}: ` : '';
  const found: ReactNode[] = [];
  const denied = secretsDenied(workspace);
  if (denied) found.push(<DeniedNotice key={`${workspace.id}:denied`} workspace={workspace} prefix={prefix} />);
  const problem = workspace.sync.problem;
  const explainedElsewhere =
    (denied && problem?.code === 'missing_permission') ||
    (workspace.reachability === 'unreachable' && problem && unreachableCodes.has(problem.code));
  if (lastSyncFailed(workspace) && problem && !explainedElsewhere) {
    found.push(<FailedNotice key={`${workspace.id}:failed`} workspace={workspace} prefix={prefix} />);
  }
  return found;
}

function DeniedNotice({ workspace, prefix }: { workspace: WorkspaceSummary; prefix: string }) {
  const openDialog = useUi((s) => s.openDialog);
  const permission = workspace.access.secrets.permission;
  return (
    <li className="notice notice-warn">
      <span className="notice-glyph" aria-hidden="true">
        !
      </span>
      <span className="notice-text">
        {prefix ? `${prefix}its key` : 'This key'} cannot read secrets{permission ? ` (it lacks ${permission})` : ''}: replace the key to
        sync.
      </span>
      {workspace.residency !== 'demo' ? (
        <button type="button" className="button button-small" onClick={() => openDialog({ kind: 'replaceKey', workspaceId: workspace.id })}>
          Replace key
        </button>
      ) : null}
    </li>
  );
}

function FailedNotice({ workspace, prefix }: { workspace: WorkspaceSummary; prefix: string }) {
  const { running } = useSyncActivity();
  const problem = workspace.sync.problem!;
  const retryAt = retryAllowedAt(problem, workspace.sync.lastAttemptAt);
  // Seconds only while a countdown is on screen.
  const now = useNow(retryAt !== null ? 1000 : 30_000);
  const wait = retryAt !== null ? Math.ceil((retryAt - now) / 1000) : 0;
  const attempt = workspace.sync.lastAttemptAt;
  return (
    <li className="notice notice-bad">
      <span className="notice-glyph" aria-hidden="true">
        ✕
      </span>
      <span className="notice-text">
        {prefix}Last sync failed{attempt ? ` ${relativeTime(attempt, now)}` : ''}: {problemText(problem)}
        {retryAt !== null ? (
          // A countdown changes every second: not something to read out each time.
          <span aria-live="off">{wait > 0 ? ` You can try again in ${wait} s.` : ' You can try again now.'}</span>
        ) : null}
      </span>
      <button
        type="button"
        className="button button-small"
        disabled={Boolean(running[workspace.id])}
        onClick={() => void syncWorkspaces([workspace.id])}
        aria-label={prefix ? `Retry ${workspace.label}` : undefined}
      >
        Retry
      </button>
    </li>
  );
}
