import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { activityActions, type ActivityAction, type ExportReply } from '../../../../shared/schemas/activity';
import { EmptyState } from '../../components/EmptyState';
import { ScrollRegion } from '../../components/ScrollRegion';
import { SearchBox } from '../../components/SearchBox';
import { useNow } from '../../hooks/useNow';
import { call, toIpcError } from '../../keyring';
import { clockTime, formatNumber, fullDateTime, quoted } from '../../lib/format';
import { activityActionLabels } from '../../lib/push-text';
import { ACTIVITY_PAGE_SIZE, activityPageQuery } from '../../queries/local-secrets';
import { useWorkspaceList } from '../../queries/workspaces';
import { useActivity, type ActivityFilter } from '../../stores/activity';
import { queryClient, queryKeys } from '../../queries/client';
import { useUi } from '../../stores/ui';

/**
 * Every change, push, import, adoption and rotation, every workspace, provider and settings change,
 * every sync and export: filterable and exportable (never a value).
 */
export function ActivityView() {
  const filter = useActivity((s) => s.filter);
  const offset = useActivity((s) => s.offset);
  const setFilter = useActivity((s) => s.setFilter);
  const resetFilter = useActivity((s) => s.resetFilter);
  const workspaces = useWorkspaceList();
  const filtered = filter.workspaceId !== null || filter.action !== null || filter.result !== null || filter.query.trim() !== '';
  const question: ActivityFilter = { ...filter, query: filter.query.trim() };
  const shown = useQuery(activityPageQuery(question, offset)).data;

  return (
    <div className="activity-view">
      <div className="toolbar">
        <SearchBox
          label="Search activity"
          placeholder="Search by name: secret, account, workspace, file"
          value={filter.query}
          onSearch={(query) => setFilter({ query })}
          controls={shown?.entries.length ? 'activity-table' : undefined}
        />
        <ExportButtons filter={question} />
      </div>
      <div className="filters">
        <label className="filter">
          <span className="filter-label">Workspace</span>
          <select className="select" value={filter.workspaceId ?? ''} onChange={(e) => setFilter({ workspaceId: e.target.value || null })}>
            <option value="">Any workspace</option>
            {workspaces.map((w) => (
              <option key={w.id} value={w.id}>
                {w.label}
              </option>
            ))}
          </select>
        </label>
        <label className="filter">
          <span className="filter-label">Action</span>
          <select
            className="select"
            value={filter.action ?? ''}
            onChange={(e) => setFilter({ action: (e.target.value || null) as ActivityAction | null })}
          >
            <option value="">Any action</option>
            {activityActions.map((action) => (
              <option key={action} value={action}>
                {activityActionLabels[action]}
              </option>
            ))}
          </select>
        </label>
        <label className="filter">
          <span className="filter-label">Result</span>
          <select
            className="select"
            value={filter.result ?? ''}
            onChange={(e) => setFilter({ result: (e.target.value || null) as ActivityFilter['result'] })}
          >
            <option value="">Any result</option>
            <option value="ok">Succeeded</option>
            <option value="failed">Failed</option>
          </select>
        </label>
        {filtered ? (
          <button type="button" className="button button-ghost button-small" onClick={resetFilter}>
            Clear filters
          </button>
        ) : null}
      </div>
      <ActivityTable filter={question} offset={offset} filtered={filtered} />
    </div>
  );
}

function ActivityTable({ filter, offset, filtered }: { filter: ActivityFilter; offset: number; filtered: boolean }) {
  const page = useQuery(activityPageQuery(filter, offset));
  const setOffset = useActivity((s) => s.setOffset);
  const now = useNow();
  const frame = useRef<HTMLDivElement>(null);
  // Another page starts at its first row.
  useEffect(() => {
    if (frame.current) frame.current.scrollTop = 0;
  }, [offset]);

  if (page.isError && !page.data) {
    return (
      <EmptyState title="The activity log could not be read" icon="!" tone="error">
        <p>{toIpcError(page.error).message}</p>
        <button type="button" className="button" onClick={() => void page.refetch()}>
          Try again
        </button>
      </EmptyState>
    );
  }
  if (!page.data) {
    return (
      <div className="card card-skeleton activity-loading" aria-busy="true">
        <span className="visually-hidden">Loading the activity log…</span>
        <span className="skeleton skeleton-title" aria-hidden="true" />
        <span className="skeleton skeleton-meta" aria-hidden="true" />
      </div>
    );
  }
  const { total, entries } = page.data;
  if (total === 0) {
    return (
      <>
        <p className="result-count" aria-live="polite">
          {filtered ? 'No activity matches these filters' : 'No activity yet'}
        </p>
        <EmptyState title={filtered ? 'No activity matches these filters' : 'No activity yet'} icon="○">
          <p>
            {filtered
              ? 'Try another workspace, action or name.'
              : 'Every change, push, import, sync, export and settings change is recorded here, with its outcome. Never a value.'}
          </p>
        </EmptyState>
      </>
    );
  }
  const first = offset + 1;
  const last = Math.min(total, offset + entries.length);
  return (
    <>
      <div className="result-bar">
        <p className="result-count" aria-live="polite">
          {formatNumber(first)}–{formatNumber(last)} of {formatNumber(total)} entries
        </p>
        <div className="pager">
          <button
            type="button"
            className="button button-small"
            disabled={offset === 0}
            onClick={() => setOffset(Math.max(0, offset - ACTIVITY_PAGE_SIZE))}
          >
            Newer
          </button>
          <button
            type="button"
            className="button button-small"
            disabled={last >= total}
            onClick={() => setOffset(offset + ACTIVITY_PAGE_SIZE)}
          >
            Older
          </button>
        </div>
      </div>
      <ScrollRegion ref={frame} className={`table-frame${page.isPlaceholderData ? ' is-stale' : ''}`} label="Activity entries">
        <table id="activity-table" className="data-table activity-table">
          <caption className="visually-hidden">Activity, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Workspace</th>
              <th scope="col">Name</th>
              <th scope="col">Action</th>
              <th scope="col">Result</th>
              <th scope="col">Detail</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.id}>
                <td className="nowrap" title={fullDateTime(entry.at)}>
                  {clockTime(entry.at, now)}
                </td>
                <td>{entry.workspaceLabel ?? <span className="muted">–</span>}</td>
                <td className="mono">{entry.subject}</td>
                <td className="activity-action">{activityActionLabels[entry.action]}</td>
                <td>
                  <span className={`status-pill ${entry.result === 'ok' ? 'tone-ok' : 'tone-bad'}`}>
                    {entry.result === 'ok' ? 'Succeeded' : 'Failed'}
                  </span>
                </td>
                <td className="activity-detail">{entry.detail ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </>
  );
}

/** Says where an export went, or that nothing was saved (the Save dialog was cancelled). */
function announceExport(reply: ExportReply, notify: (tone: 'success' | 'info', message: string) => void): void {
  if (reply.saved) notify('success', `Saved ${quoted(reply.fileName)} to ${reply.path}`);
  else notify('info', `Export cancelled: nothing was saved.`);
  // The export is recorded in the activity log.
  void queryClient.invalidateQueries({ queryKey: queryKeys.activity });
}

/** Files made and saved by main (names, outcomes, dependants; never a value): main asks where. */
function ExportButtons({ filter }: { filter: ActivityFilter }) {
  const notify = useUi((s) => s.notify);
  const exportFile = useMutation({
    mutationFn: (what: { kind: 'activity' | 'inventory'; format: 'csv' | 'json' }) =>
      what.kind === 'activity'
        ? call((api) => api.activity.export({ format: what.format, filter }))
        : call((api) => api.inventory.export({ format: what.format, workspaceId: filter.workspaceId })),
    gcTime: 0,
    onSuccess: (reply) => announceExport(reply, notify),
    onError: (error) => notify('error', `Could not export: ${toIpcError(error).message}`),
  });
  const busy = exportFile.isPending;
  const run = (kind: 'activity' | 'inventory', format: 'csv' | 'json') => exportFile.mutate({ kind, format });
  const groups = [
    { kind: 'activity', label: 'Activity', groupLabel: 'Export the activity shown' },
    { kind: 'inventory', label: 'Inventory', groupLabel: 'Export the inventory' },
  ] as const;
  return (
    <div className="export-buttons">
      {groups.map(({ kind, label, groupLabel }) => (
        <div key={kind} className="button-group" role="group" aria-label={groupLabel}>
          <span className="button-group-label" aria-hidden="true">
            {label}
          </span>
          {(['csv', 'json'] as const).map((format) => (
            <button
              key={format}
              type="button"
              className="button button-small"
              disabled={busy}
              aria-label={`Export ${kind} as ${format.toUpperCase()}`}
              onClick={() => run(kind, format)}
            >
              {format.toUpperCase()}
            </button>
          ))}
        </div>
      ))}
    </div>
  );
}
