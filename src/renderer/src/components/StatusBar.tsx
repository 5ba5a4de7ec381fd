import type { WorkspaceSummary } from '../../../shared/schemas/workspaces';
import { useNow } from '../hooks/useNow';
import { clockTime, fullDateTime, quoted, relativeTime } from '../lib/format';
import { syncActive, syncAll } from '../stores/actions';
import { useSync } from '../stores/sync';
import { useUi } from '../stores/ui';
import { lastSyncCancelled, lastSyncFailed, useActiveWorkspace, useWorkspaces } from '../stores/workspaces';

/** Offline: no network at all, or the active workspace's API did not answer last time. */
export function useOffline(): { offline: boolean; reason: 'network' | 'unreachable' | null } {
  const online = useUi((s) => s.online);
  const active = useActiveWorkspace();
  if (!online) return { offline: true, reason: 'network' };
  if (active?.reachability === 'unreachable') return { offline: true, reason: 'unreachable' };
  return { offline: false, reason: null };
}

/**
 * How old the data on screen is, for the current scope, and the offline banner. Relative times
 * refresh every 30 s.
 */
export function StatusBar() {
  const scope = useUi((s) => s.scope);
  const view = useUi((s) => s.view);
  const active = useActiveWorkspace();
  const workspaces = useWorkspaces((s) => s.workspaces);
  const running = useSync((s) => s.running);
  const now = useNow();
  const { offline, reason } = useOffline();
  const all = scope === 'all' && view !== 'workspaces';

  if (!active) return null;

  // The data the screen shows: the active workspace, or the stalest of all.
  const shown = all ? workspaces : [active];
  const synced = shown.filter((w) => w.sync.lastSuccessAt !== null);
  const never = shown.filter((w) => w.sync.lastSuccessAt === null);
  const oldest = synced.reduce<WorkspaceSummary | null>((a, w) => (a && (a.sync.lastSuccessAt ?? 0) <= (w.sync.lastSuccessAt ?? 0) ? a : w), null);
  const savedAt = oldest?.sync.lastSuccessAt ?? null;
  const syncing = shown.some((w) => running[w.id]);

  let body: React.ReactNode;
  let tone = 'fresh';
  if (offline) {
    tone = 'offline';
    const saved =
      savedAt === null
        ? 'no inventory has been saved yet'
        : `showing the inventory saved ${clockTime(savedAt, now)} (${relativeTime(savedAt, now)})`;
    const until = reason === 'network' ? 'this computer is back online' : 'ElevenLabs is reachable';
    const where =
      reason === 'unreachable' && !all
        ? ` ${quoted(active.label)} did not answer${active.baseUrl ? ` at ${active.baseUrl}` : ''}.`
        : '';
    body = (
      <>
        <span className="status-icon" aria-hidden="true">
          ⚠
        </span>
        <span>
          <strong>Offline</strong> — {saved}. Nothing can be synced until {until}.{where}
        </span>
        {reason === 'unreachable' ? (
          <button type="button" className="button button-small" onClick={all ? syncAll : syncActive} disabled={syncing}>
            Try again
          </button>
        ) : null}
      </>
    );
  } else if (syncing) {
    body = <span>{all ? 'Syncing…' : `Syncing ${quoted(active.label)}…`} The list below is the inventory saved before.</span>;
    tone = 'syncing';
  } else if (savedAt === null) {
    tone = 'stale';
    body = (
      <>
        <span>{all ? 'No workspace has been synced yet' : 'Never synced'} — </span>
        <button type="button" className="button button-small button-primary" onClick={all ? syncAll : syncActive}>
          Sync now
        </button>
      </>
    );
  } else {
    const age = now - savedAt;
    tone = age > 24 * 3600_000 ? 'stale' : 'fresh';
    const failed = !all && lastSyncFailed(active) && active.sync.problem ? active.sync : null;
    const cancelled = !all && lastSyncCancelled(active);
    body = (
      <>
        <span title={fullDateTime(savedAt)}>
          {all && oldest && shown.length > 1
            ? `Synced ${relativeTime(savedAt, now)} (oldest: ${quoted(oldest.label)})`
            : `Synced ${relativeTime(savedAt, now)}`}
        </span>
        {all && never.length > 0 ? (
          <span className="status-extra">
            {' '}
            · Never synced: {never.map((w) => quoted(w.label)).join(', ')}
          </span>
        ) : null}
        {failed?.problem ? (
          <span className="status-extra status-failed">
            {' '}
            · Last attempt failed{failed.lastAttemptAt ? ` ${relativeTime(failed.lastAttemptAt, now)}` : ''}: {failed.problem.message}
          </span>
        ) : null}
        {cancelled ? <span className="status-extra"> · The last sync was cancelled</span> : null}
      </>
    );
  }

  return (
    <div className={`status-bar status-${tone}`} role="status" aria-label="Data freshness">
      {body}
    </div>
  );
}
