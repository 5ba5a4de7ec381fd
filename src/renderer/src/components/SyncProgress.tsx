import { useNow } from '../hooks/useNow';
import { progressText, progressValue } from '../lib/sync-text';
import { useSyncActivity } from '../queries/syncActivity';
import { useWorkspaceList } from '../queries/workspaces';
import { cancelSyncs } from '../stores/actions';

/** One progress bar per workspace being synced, and the way to stop them. */
export function SyncProgress() {
  const { running, cancelling } = useSyncActivity();
  const workspaces = useWorkspaceList();
  const runs = Object.values(running);
  // A retry counts down by the second; otherwise the text changes with the events.
  const now = useNow(runs.some((run) => run.retry) ? 1000 : 30_000);
  if (runs.length === 0) return null;
  const label = (id: string) => workspaces.find((w) => w.id === id)?.label ?? 'Workspace';
  // Keep the sidebar's order.
  runs.sort((a, b) => workspaces.findIndex((w) => w.id === a.workspaceId) - workspaces.findIndex((w) => w.id === b.workspaceId));

  return (
    <section className="sync-panel" aria-label="Sync in progress">
      <ul className="sync-list">
        {runs.map((run) => {
          const text = progressText(label(run.workspaceId), run, now);
          const value = progressValue(run);
          const waiting = Boolean(run.retry && run.retry.retryAt > now - 1000);
          return (
            <li key={run.workspaceId} className={`sync-item${waiting ? ' is-waiting' : ''}`}>
              <div
                className="progress"
                role="progressbar"
                aria-label="Sync progress"
                aria-valuemin={0}
                aria-valuemax={100}
                aria-valuenow={value}
                aria-valuetext={text}
              >
                <div className="progress-fill" style={{ width: `${Math.max(4, value)}%` }} />
              </div>
              <span className="sync-text">{text}</span>
            </li>
          );
        })}
      </ul>
      <button type="button" className="button button-small" onClick={() => void cancelSyncs()} disabled={cancelling}>
        {cancelling ? 'Cancelling…' : 'Cancel sync'}
      </button>
    </section>
  );
}
