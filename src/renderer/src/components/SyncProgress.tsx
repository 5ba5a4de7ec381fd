import { progressText, progressValue, useSync } from '../stores/sync';
import { useWorkspaces } from '../stores/workspaces';

/** One progress bar per workspace being synced, and the way to stop them. */
export function SyncProgress() {
  const running = useSync((s) => s.running);
  const cancelling = useSync((s) => s.cancelling);
  const cancel = useSync((s) => s.cancel);
  const workspaces = useWorkspaces((s) => s.workspaces);
  const runs = Object.values(running);
  if (runs.length === 0) return null;
  const label = (id: string) => workspaces.find((w) => w.id === id)?.label ?? 'Workspace';
  // Keep the sidebar's order.
  runs.sort((a, b) => workspaces.findIndex((w) => w.id === a.workspaceId) - workspaces.findIndex((w) => w.id === b.workspaceId));

  return (
    <section className="sync-panel" aria-label="Sync in progress">
      <ul className="sync-list">
        {runs.map((run) => {
          const text = progressText(label(run.workspaceId), run);
          const value = progressValue(run);
          return (
            <li key={run.workspaceId} className="sync-item">
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
      <button type="button" className="button button-small" onClick={() => void cancel()} disabled={cancelling}>
        {cancelling ? 'Cancelling…' : 'Cancel sync'}
      </button>
    </section>
  );
}
