import type { Problem } from '../../shared/schemas/common';
import type { ItemStatus, Plan, PlanAction, PlanItemKind } from '../../shared/schemas/push';
import type { Statement } from 'better-sqlite3';
import type { Database } from '../db/database';
import type { Redactor } from '../logging/redactor';
import type { PlannedItem, UpdateReason } from './planner';
import type { VariablePayload } from './variable-plan';

export type PlanStatus = Plan['status'];

export interface StoredItem extends PlannedItem {
  id: number;
  /** A replace's new remote connection, once created (a retry then finishes it rather than making another). */
  replacementConnectionId: string | null;
  status: ItemStatus;
  problem: Problem | null;
  finishedAt: number | null;
}

export interface StoredPlan {
  id: string;
  createdAt: number;
  status: PlanStatus;
  notes: string[];
  items: StoredItem[];
}

interface ItemRow {
  item_id: number;
  workspace_id: string;
  kind: PlanItemKind;
  action: PlanAction;
  reasons: string;
  changes: string;
  local_secret_id: string | null;
  kept_connection_id: string | null;
  auth_type: string | null;
  remote_name: string | null;
  new_name: string | null;
  remote_secret_id: string | null;
  remote_connection_id: string | null;
  replacement_connection_id: string | null;
  remote_variable_id: string | null;
  payload: string | null;
  cells: string;
  value_fingerprint: string | null;
  status: ItemStatus;
  problem: string | null;
  finished_at: number | null;
}

/**
 * Plans and their items in SQLite, each item's status written before and after its request:
 * after a crash the plan says truthfully what was sent, what landed and what did not.
 */
export class PlanStore {
  #updateItem: Statement | undefined;

  constructor(
    private readonly db: Database,
    private readonly redactor: Redactor,
  ) {}

  insert(plan: { id: string; createdAt: number; items: PlannedItem[]; notes?: string[] }): void {
    this.db.transaction(() => {
      // Only the latest draft is worth keeping; older drafts were never applied.
      this.db.prepare("DELETE FROM push_plans WHERE status = 'draft'").run();
      this.db
        .prepare("INSERT INTO push_plans (id, created_at, status, notes) VALUES (?, ?, 'draft', ?)")
        .run(plan.id, plan.createdAt, JSON.stringify(plan.notes ?? []));
      const insert = this.db.prepare(
        `INSERT INTO push_plan_items (plan_id, item_id, workspace_id, kind, action, reasons, changes, local_secret_id,
           kept_connection_id, auth_type, remote_name, new_name, remote_secret_id, remote_connection_id, remote_variable_id, payload,
           cells, value_fingerprint, status)
         VALUES (@planId, @itemId, @workspaceId, @kind, @action, @reasons, @changes, @localSecretId, @keptConnectionId, @authType,
           @remoteName, @newName, @remoteSecretId, @remoteConnectionId, @remoteVariableId, @payload, @cells, @valueFingerprint, @status)`,
      );
      plan.items.forEach((item, index) =>
        insert.run({
          ...item,
          planId: plan.id,
          itemId: index,
          reasons: JSON.stringify(item.reasons),
          changes: JSON.stringify(item.changes),
          payload: item.payload === null ? null : JSON.stringify(item.payload),
          cells: JSON.stringify(item.cells),
          status: item.action === 'unchanged' || item.action === 'remote_only' ? 'skipped' : 'planned',
        }),
      );
    })();
  }

  find(id: string): StoredPlan | undefined {
    const plan = this.db.prepare('SELECT id, created_at, status, notes FROM push_plans WHERE id = ?').get(id) as
      { id: string; created_at: number; status: PlanStatus; notes: string } | undefined;
    if (!plan) return undefined;
    const items = (this.db.prepare('SELECT * FROM push_plan_items WHERE plan_id = ? ORDER BY item_id').all(id) as ItemRow[]).map(toItem);
    return { id: plan.id, createdAt: plan.created_at, status: plan.status, notes: JSON.parse(plan.notes) as string[], items };
  }

  /** The most recent plan that was applied or started (what the "last push" view shows). */
  latestApplied(): StoredPlan | undefined {
    const row = this.db.prepare("SELECT id FROM push_plans WHERE status <> 'draft' ORDER BY created_at DESC LIMIT 1").get() as
      { id: string } | undefined;
    return row ? this.find(row.id) : undefined;
  }

  setStatus(id: string, status: PlanStatus, at: number | null): void {
    this.db.prepare('UPDATE push_plans SET status = ?, finished_at = ? WHERE id = ?').run(status, at, id);
  }

  /** Plans left "applying" by a process that died: they are interrupted. */
  markInterrupted(): number {
    return this.db.prepare("UPDATE push_plans SET status = 'interrupted' WHERE status = 'applying'").run().changes;
  }

  setItem(
    planId: string,
    itemId: number,
    change: {
      status: ItemStatus;
      problem?: Problem | null;
      remoteSecretId?: string | null;
      remoteConnectionId?: string | null;
      at?: number | null;
    },
  ): void {
    // Prepared once: an apply writes each item twice.
    this.#updateItem ??= this.db.prepare(
      `UPDATE push_plan_items SET status = @status, problem = @problem, finished_at = @at,
         remote_secret_id = coalesce(@remoteSecretId, remote_secret_id),
         remote_connection_id = coalesce(@remoteConnectionId, remote_connection_id)
       WHERE plan_id = @planId AND item_id = @itemId`,
    );
    this.#updateItem.run({
      planId,
      itemId,
      status: change.status,
      problem: change.problem ? JSON.stringify(this.redactor.scrubDeep(change.problem)) : null,
      remoteSecretId: change.remoteSecretId ?? null,
      remoteConnectionId: change.remoteConnectionId ?? null,
      at: change.at ?? null,
    });
  }

  /**
   * A replace made its new connection: recorded at once, in its own commit, so a crash before the
   * old one is dealt with never makes a second new one (the retry finishes this one).
   */
  setReplacement(planId: string, itemId: number, connectionId: string): void {
    this.db
      .prepare('UPDATE push_plan_items SET replacement_connection_id = ? WHERE plan_id = ? AND item_id = ?')
      .run(connectionId, planId, itemId);
  }
}

function toItem(row: ItemRow): StoredItem {
  return {
    id: row.item_id,
    workspaceId: row.workspace_id,
    kind: row.kind,
    action: row.action,
    reasons: JSON.parse(row.reasons) as UpdateReason[],
    changes: JSON.parse(row.changes) as string[],
    localSecretId: row.local_secret_id,
    keptConnectionId: row.kept_connection_id,
    authType: row.auth_type,
    remoteName: row.remote_name,
    newName: row.new_name,
    remoteSecretId: row.remote_secret_id,
    remoteConnectionId: row.remote_connection_id,
    replacementConnectionId: row.replacement_connection_id,
    remoteVariableId: row.remote_variable_id,
    payload: row.payload === null ? null : (JSON.parse(row.payload) as VariablePayload),
    cells: JSON.parse(row.cells) as StoredItem['cells'],
    valueFingerprint: row.value_fingerprint,
    status: row.status,
    problem: row.problem ? (JSON.parse(row.problem) as Problem) : null,
    finishedAt: row.finished_at,
  };
}
