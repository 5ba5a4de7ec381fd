import type { ActivityAction, ActivityEntry } from '../../shared/schemas/activity';
import { foldForSearch } from '../../shared/search';
import type { Database } from '../db/database';
import type { Redactor } from '../logging/redactor';
import type { Clock } from '../ports/clock';

export interface ActivityFilter {
  workspaceId: string | null;
  action: ActivityAction | null;
  result: 'ok' | 'failed' | null;
  query: string;
}

interface ActivityRow {
  id: number;
  at: number;
  workspace_id: string | null;
  workspace_label: string | null;
  subject: string;
  action: ActivityAction;
  result: 'ok' | 'failed';
  detail: string | null;
}

/**
 * The local, append-only record of what was done: time, workspace, subject (a secret's name, an
 * account), action, result and a short detail. Never a value: callers pass names and outcomes,
 * and every entry passes the redactor before it is written.
 */
export class ActivityLog {
  constructor(
    private readonly db: Database,
    private readonly redactor: Redactor,
    private readonly clock: Clock,
  ) {}

  record(entry: {
    workspaceId?: string | null;
    subject: string;
    action: ActivityAction;
    result?: 'ok' | 'failed';
    detail?: string | null;
  }): void {
    const workspaceId = entry.workspaceId ?? null;
    const label = workspaceId
      ? ((this.db.prepare('SELECT label FROM workspaces WHERE id = ?').get(workspaceId) as { label: string } | undefined)?.label ?? null)
      : null;
    this.db
      .prepare('INSERT INTO activity (at, workspace_id, workspace_label, subject, action, result, detail) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(
        this.clock.now(),
        workspaceId,
        label,
        this.redactor.scrub(entry.subject),
        entry.action,
        entry.result ?? 'ok',
        entry.detail === null || entry.detail === undefined ? null : this.redactor.scrub(entry.detail),
      );
  }

  list(filter: ActivityFilter, window: { offset: number; limit: number }): { total: number; entries: ActivityEntry[] } {
    const matching = this.#matching(filter);
    return { total: matching.length, entries: matching.slice(window.offset, window.offset + window.limit) };
  }

  /** Everything matching the filter, newest first (for the export). */
  all(filter: ActivityFilter): ActivityEntry[] {
    return this.#matching(filter);
  }

  #matching(filter: ActivityFilter): ActivityEntry[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM activity
         WHERE (@workspaceId IS NULL OR workspace_id = @workspaceId) AND (@action IS NULL OR action = @action)
           AND (@result IS NULL OR result = @result)
         ORDER BY at DESC, id DESC`,
      )
      .all({ workspaceId: filter.workspaceId, action: filter.action, result: filter.result }) as ActivityRow[];
    const query = foldForSearch(filter.query.trim());
    return rows.filter((row) => query === '' || foldForSearch(row.subject).includes(query)).map(toEntry);
  }
}

function toEntry(row: ActivityRow): ActivityEntry {
  return {
    id: row.id,
    at: row.at,
    workspaceId: row.workspace_id,
    workspaceLabel: row.workspace_label,
    subject: row.subject,
    action: row.action,
    result: row.result,
    detail: row.detail,
  };
}
