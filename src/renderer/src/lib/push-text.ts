import type { ActivityAction } from '../../../shared/schemas/activity';
import type { TargetState } from '../../../shared/schemas/local-secrets';
import type { Plan, PlanItem } from '../../../shared/schemas/push';
import { plural, quoted } from './format';

/** How a target stands, in a word or two, with its tone (see the CSS tone-* classes). */
export const targetStateText: Record<TargetState, { label: string; tone: 'ok' | 'warn' | 'bad' | 'muted'; hint: string }> = {
  in_sync: { label: 'In sync', tone: 'ok', hint: 'Pushed, and neither the value nor the name changed since.' },
  value_changed: { label: 'Value changed', tone: 'warn', hint: 'The value here changed since the last push.' },
  renamed: { label: 'Renamed', tone: 'warn', hint: 'The name to push differs from the one last pushed.' },
  never_pushed: { label: 'Not pushed yet', tone: 'muted', hint: 'There is no remote secret for it in this workspace yet.' },
  missing_remotely: { label: 'Missing remotely', tone: 'bad', hint: 'It was pushed, but the last sync no longer found it.' },
};

export const actionLabels: Record<PlanItem['action'], string> = {
  create: 'Create',
  update: 'Update',
  delete: 'Delete',
  unchanged: 'Unchanged',
  remote_only: 'Remote only',
};

/** The item's name as the user knows it: the new name, or the remote one. */
export function itemName(item: PlanItem): string {
  return item.newName ?? item.remoteName ?? item.remoteSecretId ?? '(unnamed)';
}

/** Why an item is planned, in a sentence part: "new value", "renamed from “A”"... */
export function itemReason(item: PlanItem): string {
  switch (item.action) {
    case 'create':
      return 'new in this workspace';
    case 'delete':
      return 'you asked to delete it';
    case 'unchanged':
      return 'same value and name as last pushed';
    case 'remote_only':
      return 'not managed here: left alone';
    case 'update':
      return item.reasons
        .map((reason) => {
          switch (reason) {
            case 'value_changed':
              return 'the value changed';
            case 'renamed':
              return `renamed from ${quoted(item.remoteName ?? '')}`;
            case 'forced':
              return 'sent again (forced)';
            case 'takes_over_existing':
              return 'a remote secret of this name exists: it takes it over instead of making a second';
          }
        })
        .join('; ');
  }
}

/** An item's state during or after an apply. */
export function itemStatusText(item: PlanItem, interrupted: boolean): string {
  switch (item.status) {
    case 'planned':
      return 'Not sent yet';
    case 'sending':
      return interrupted ? 'May have been applied: checked before it is sent again' : 'Sending…';
    case 'done':
      return item.action === 'delete' ? 'Deleted' : 'Done';
    case 'failed':
      return 'Failed';
    case 'skipped':
      return 'Nothing to send';
  }
}

/** The plan's changes: items that send something. */
export function changesOf(plan: Plan): PlanItem[] {
  return plan.items.filter((item) => item.action === 'create' || item.action === 'update' || item.action === 'delete');
}

/** "2 creates, 1 update" (or "Nothing to push"). */
export function planSummary(plan: Plan): string {
  const parts = [
    plan.counts.create ? plural(plan.counts.create, 'create') : '',
    plan.counts.update ? plural(plan.counts.update, 'update') : '',
    plan.counts.delete ? plural(plan.counts.delete, 'delete') : '',
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : 'Nothing to push';
}

/** "3 done, 1 failed" for a finished apply. */
export function resultSummary(plan: Plan): string {
  const changes = changesOf(plan);
  const done = changes.filter((i) => i.status === 'done').length;
  const failed = changes.filter((i) => i.status === 'failed').length;
  const pending = changes.length - done - failed;
  return [done ? `${done} done` : '', failed ? `${failed} failed` : '', pending ? `${pending} not applied` : ''].filter(Boolean).join(', ');
}

export const activityActionLabels: Record<ActivityAction, string> = {
  create: 'Created',
  update: 'Updated',
  rename: 'Renamed',
  delete: 'Deleted here',
  import: 'Imported',
  push_create: 'Pushed: created',
  push_update: 'Pushed: updated',
  push_delete: 'Deleted in ElevenLabs',
  adopt: 'Adopted',
  rotate: 'Rotated',
  restore: 'Restored previous value',
  link: 'Linked account',
  refresh: 'Refreshed token',
  reconnect: 'Reconnected account',
  unlink: 'Unlinked account',
  backup: 'Backed up',
  backup_verify: 'Verified backup',
  backup_restore: 'Restored from backup',
};
