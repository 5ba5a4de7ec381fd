import type { ActivityAction } from '../../../shared/schemas/activity';
import type { TargetState } from '../../../shared/schemas/local-secrets';
import { connectionFields, type ConnectionAuthType } from '../../../shared/schemas/connection-definitions';
import type { Plan, PlanItem } from '../../../shared/schemas/push';
import { plural, quoted } from './format';

/** How a target stands, in a word or two, with its tone (see the CSS tone-* classes). */
export const targetStateText: Record<TargetState, { label: string; tone: 'ok' | 'warn' | 'bad' | 'muted'; hint: string }> = {
  in_sync: { label: 'In sync', tone: 'ok', hint: 'Pushed, and neither the value nor the name changed since.' },
  value_changed: { label: 'Value changed', tone: 'warn', hint: 'The value here changed since the last push.' },
  renamed: { label: 'Renamed', tone: 'warn', hint: 'The name to push differs from the one last pushed.' },
  never_pushed: {
    label: 'Not pushed yet',
    tone: 'muted',
    hint: 'Not pushed from here yet: the next push creates it, or gives the dashboard secret it manages the local value.',
  },
  missing_remotely: { label: 'Missing remotely', tone: 'bad', hint: 'It was pushed, but the last sync no longer found it.' },
};

export const actionLabels: Record<PlanItem['action'], string> = {
  create: 'Create',
  update: 'Update',
  replace: 'Replace',
  delete: 'Delete',
  unchanged: 'Unchanged',
  remote_only: 'Remote only',
};

/** The item's name as the user knows it: the new name, or the remote one. */
export function itemName(item: PlanItem): string {
  return item.newName ?? item.remoteName ?? item.remoteSecretId ?? '(unnamed)';
}

/** A changed field of a connection as its form names it ("Scopes", "secret parts"). */
export function connectionChangeLabel(authType: string | null, field: string): string {
  if (field === 'secrets') return 'secret parts';
  if (field === 'name') return 'name';
  if (field === 'authType') return 'type';
  const info = authType ? connectionFields[authType as ConnectionAuthType]?.[field] : undefined;
  return info ? info.label : field;
}

/** "Scopes, secret parts". */
function changeList(item: PlanItem): string {
  return item.changes.map((field) => connectionChangeLabel(item.authType, field)).join(', ');
}

/** Why a connection item is planned, in a sentence part, saying only what the app knows. */
function connectionReason(item: PlanItem): string {
  const why = item.reasons
    .map((reason) => {
      switch (reason) {
        case 'value_changed':
          return 'its secret parts changed since the last push';
        case 'renamed':
          return `renamed from ${quoted(item.remoteName ?? '')}`;
        case 'fields_changed':
          return `changed here since the last push: ${item.changes
            .filter((f) => f !== 'secrets' && f !== 'name')
            .map((f) => connectionChangeLabel(item.authType, f))
            .join(', ')}`;
        case 'changed_remotely':
          return `changed in the dashboard (${changeList(item)}): puts back the definition kept here`;
        case 'forced':
          return 'sent again (forced)';
        case 'takes_over_existing':
          return 'the dashboard has an auth connection of this name and type: takes it over with the definition kept here instead of making a second';
        case 'adopted':
          return 'first push since you adopted it: the dashboard connection gets the secret parts kept here (ElevenLabs never shows them, so whether they differ is unknown)';
        case 'removed_remotely':
          return 'the connection last pushed was deleted in ElevenLabs since';
        case 'not_updatable':
          return 'ElevenLabs cannot update this type in place';
      }
    })
    .join('; ');
  switch (item.action) {
    case 'create':
      return item.reasons.includes('removed_remotely')
        ? 'deleted in ElevenLabs since the last push (the last sync no longer found it): makes it again from the definition kept here'
        : 'not in this workspace as of the last sync: creates the auth connection';
    case 'replace':
      return `${why}. ElevenLabs cannot make this change in place: makes a new connection, then deletes the old one only if nothing uses it`;
    case 'delete':
      return 'you asked to delete it';
    case 'unchanged':
      return 'same definition and secret parts as last pushed';
    case 'remote_only':
      return 'not kept here: left alone';
    case 'update':
      return why;
  }
}

/** Why a variable item is planned: the environments it sets and clears. */
function variableReason(item: PlanItem): string {
  const set = item.cells.filter((c) => c.after !== null).map((c) => c.environment);
  const cleared = item.cells.filter((c) => c.after === null).map((c) => c.environment);
  const parts = [set.length ? `sets ${set.join(', ')}` : '', cleared.length ? `clears ${cleared.join(', ')}` : ''].filter(Boolean);
  switch (item.action) {
    case 'create':
      return `not in this workspace as of the last sync: creates the variable (${parts.join('; ')})`;
    case 'update':
      return parts.join('; ');
    default:
      return 'the same values as the last sync: nothing to send';
  }
}

/** Why an item is planned, in a sentence part, saying only what the app knows. */
export function itemReason(item: PlanItem): string {
  if (item.kind === 'connection') return connectionReason(item);
  if (item.kind === 'variable') return variableReason(item);
  switch (item.action) {
    case 'replace':
      return 'a new one replaces it';
    case 'create':
      return item.reasons.includes('removed_remotely')
        ? 'deleted in ElevenLabs since the last push (the last sync no longer found it): recreates it from the local value'
        : 'not in this workspace as of the last sync: creates it';
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
              return 'the value changed since the last push';
            case 'renamed':
              return `renamed from ${quoted(item.remoteName ?? '')}`;
            case 'forced':
              return 'sent again (forced)';
            case 'takes_over_existing':
              return 'the dashboard has a secret of this name: takes it over with the local value instead of making a second';
            case 'adopted':
              return 'first push since you chose to manage it here: the dashboard secret takes the local value (ElevenLabs never shows values, so whether they differ is unknown)';
            case 'removed_remotely':
              return 'the secret last pushed was deleted in ElevenLabs since';
            default:
              return '';
          }
        })
        .filter(Boolean)
        .join('; ');
  }
}

/** Items still to send: planned, or sent without a result, or failed for a reason a retry can fix. */
export function isOpen(item: PlanItem): boolean {
  return item.status === 'planned' || item.status === 'sending' || item.status === 'failed';
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
    case 'refused':
      return item.problem?.code === 'remote_not_found' ? 'Gone from ElevenLabs' : 'Refused by ElevenLabs';
    case 'left_out':
      return 'Left out: not sent';
    case 'skipped':
      return 'Nothing to send';
  }
}

/** Whether an item sends something (the rest are left alone). */
export function isChange(item: Pick<PlanItem, 'action'>): boolean {
  return item.action === 'create' || item.action === 'update' || item.action === 'replace' || item.action === 'delete';
}

/** The plan's changes: items that send something. */
export function changesOf(plan: Plan): PlanItem[] {
  return plan.items.filter(isChange);
}

/**
 * Why Apply waits, naming what is unconfirmed: "Confirm the overwrite of a value in use above, or
 * leave it out.", "Confirm each of the 2 replaces above, or leave them out.", or both kinds.
 */
export function confirmationHint(unconfirmed: readonly Pick<PlanItem, 'action'>[]): string {
  const replaces = unconfirmed.filter((item) => item.action === 'replace').length;
  const overwrites = unconfirmed.length - replaces;
  const each = (count: number, noun: string) => (count === 1 ? `the ${noun}` : `each of the ${plural(count, noun)}`);
  const parts = [overwrites ? `${each(overwrites, 'overwrite')} of a value in use` : '', replaces ? each(replaces, 'replace') : ''];
  return `Confirm ${parts.filter(Boolean).join(' and ')} above, or leave ${unconfirmed.length === 1 ? 'it' : 'them'} out.`;
}

/** "2 creates, 1 update" (or "Nothing to push"). */
export function planSummary(plan: Plan): string {
  const parts = [
    plan.counts.create ? plural(plan.counts.create, 'create') : '',
    plan.counts.update ? plural(plan.counts.update, 'update') : '',
    plan.counts.replace ? plural(plan.counts.replace, 'replace') : '',
    plan.counts.delete ? plural(plan.counts.delete, 'delete') : '',
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : 'Nothing to push';
}

/** "3 done, 1 refused, 1 left out (still pending here)" for a finished apply. */
export function resultSummary(plan: Plan): string {
  const changes = changesOf(plan);
  const count = (status: PlanItem['status']) => changes.filter((i) => i.status === status).length;
  const [done, refused, failed, leftOut] = [count('done'), count('refused'), count('failed'), count('left_out')];
  const pending = changes.length - done - refused - failed - leftOut;
  return [
    done ? `${done} done` : '',
    refused ? `${refused} refused by ElevenLabs` : '',
    failed ? `${failed} failed` : '',
    leftOut ? `${leftOut} left out (not sent, still pending here)` : '',
    pending ? `${pending} not applied` : '',
  ]
    .filter(Boolean)
    .join(', ');
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
  push_replace: 'Pushed: replaced',
  adopt: 'Adopted',
  rotate: 'Rotated',
  restore: 'Restored previous value',
  link: 'Linked account',
  refresh: 'Refreshed token',
  reconnect: 'Reconnected account',
  unlink: 'Unlinked account',
  workspace_add: 'Added workspace',
  workspace_rename: 'Renamed workspace',
  workspace_rekey: 'Replaced workspace key',
  workspace_remove: 'Removed workspace',
  provider_add: 'Added provider',
  provider_remove: 'Removed provider',
  settings_change: 'Changed settings',
  sync: 'Sync',
  export: 'Exported',
  backup: 'Backed up',
  backup_verify: 'Verified backup',
  backup_restore: 'Restored from backup',
  cli_pair: 'Paired a terminal (akr)',
  cli_unpair: 'Unpaired a terminal (akr)',
  cli_grant: 'Granted access to a terminal (akr)',
  cli_use: 'Handed to a terminal (akr)',
  cli_revoke: 'Ended a terminal grant (akr)',
};
