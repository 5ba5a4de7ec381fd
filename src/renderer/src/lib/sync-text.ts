import { hostnameOf, placeOfHost } from '../../../shared/hosts';
import type { Problem } from '../../../shared/schemas/common';
import type { SyncProgress, SyncResult } from '../../../shared/schemas/inventory';
import type { WorkspaceSummary } from '../../../shared/schemas/workspaces';
import type { RunningSync } from '../queries/syncActivity';
import { clockTime, formatNumber, plural, quoted, relativeTime } from './format';

/** Why main is waiting before trying again, in plain words. */
export function retryReason(code: NonNullable<SyncProgress['retry']>['code']): string {
  return code === 'rate_limited' ? 'rate limited' : 'server error';
}

/** "Waiting for ElevenLabs (rate limited), retrying in 4 s". */
export function retryText(retry: NonNullable<SyncProgress['retry']>, now: number): string {
  const seconds = Math.max(0, Math.ceil((retry.retryAt - now) / 1000));
  const when = seconds > 0 ? `retrying in ${seconds} s` : 'retrying now';
  return `Waiting for ElevenLabs (${retryReason(retry.code)}), ${when}`;
}

/** "Demo workspace: 200 secrets (2 pages)…" */
export function progressText(label: string, run: RunningSync, now: number): string {
  if (run.retry && run.retry.retryAt > now - 1000) return `${label}: ${retryText(run.retry, now)}…`;
  const secrets = plural(run.secretsFetched, 'secret');
  switch (run.phase) {
    case 'queued':
      return `${label}: waiting to start…`;
    case 'starting':
      return `${label}: connecting…`;
    case 'secrets':
      return `${label}: ${secrets} (${plural(run.pagesFetched, 'page')})…`;
    case 'dependants':
      return `${label}: ${secrets}, completing the lists of who uses them…`;
    case 'auth_connections':
      return `${label}: ${secrets}, now auth connections…`;
    case 'saving':
      return `${label}: saving ${secrets}…`;
    default:
      return `${label}: finishing…`;
  }
}

/** Rough share of the work done, for the bar (the total number of pages is not known up front). */
export function progressValue(run: RunningSync): number {
  const steps: Record<RunningSync['phase'], number> = {
    queued: 0,
    starting: 5,
    secrets: Math.min(70, 10 + run.pagesFetched * 6),
    dependants: 75,
    auth_connections: 85,
    saving: 95,
    done: 100,
    failed: 100,
    cancelled: 100,
  };
  return steps[run.phase];
}

/** What one sync changed: "2 new secrets, 1 removed remotely", or "no changes". */
export function changesText(changes: SyncResult['changes']): string {
  const parts = [
    changes.added ? plural(changes.added, 'new secret') : '',
    changes.removed ? `${formatNumber(changes.removed)} removed remotely` : '',
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : 'no changes';
}

/**
 * A problem in plain words. Main's messages are written for people already, except a rate
 * limit, which quotes the API's code; say what it means instead.
 */
export function problemText(problem: Problem): string {
  if (problem.code === 'rate_limited') {
    return 'ElevenLabs is limiting how many requests this key may make (rate limited). Wait a little, then try again.';
  }
  return problem.message;
}

/** A few words on why a workspace failed, for a summary that names several. */
export function shortReason(problem: Problem | null): string {
  switch (problem?.code) {
    case 'missing_permission':
      return problem.permission ? `its key lacks ${problem.permission}` : 'its key lacks a permission';
    case 'rate_limited':
      return 'rate limited';
    case 'unreachable':
    case 'timeout':
      return 'did not answer';
    case 'invalid_key':
      return 'key refused';
    case 'server_error':
      return 'server error';
    case 'key_missing':
    case 'keychain_unavailable':
    case 'keychain_locked':
    case 'keychain_failed':
      return 'keychain problem';
    default:
      return 'see the workspace';
  }
}

/** When a rate-limited workspace may try again (ms since the epoch), if ElevenLabs said. */
export function retryAllowedAt(problem: Problem | null, attemptAt: number | null): number | null {
  if (problem?.code !== 'rate_limited' || problem.retryAfterSeconds === undefined || attemptAt === null) return null;
  return attemptAt + problem.retryAfterSeconds * 1000;
}

/** One line for everything a sync did, whatever the number of workspaces. */
export function syncSummary(
  results: SyncResult[],
  labelOf: (workspaceId: string) => string,
): { tone: 'success' | 'warning' | 'error' | 'info'; message: string } {
  const ok = results.filter((r) => r.ok);
  const cancelled = results.filter((r) => !r.ok && r.problem?.code === 'cancelled');
  const failed = results.filter((r) => !r.ok && r.problem?.code !== 'cancelled');
  const noted = ok.filter((r) => r.problem);

  if (results.length === 1) {
    const [result] = results as [SyncResult];
    const label = quoted(labelOf(result.workspaceId));
    if (failed.length) return { tone: 'error', message: `Sync of ${label} failed: ${problemText(result.problem!)}` };
    if (cancelled.length) return { tone: 'info', message: `Sync of ${label} cancelled; the previous inventory was kept.` };
    const base = `Synced ${label}: ${changesText(result.changes)}.`;
    return result.problem ? { tone: 'warning', message: `${base} ${result.problem.message}` } : { tone: 'success', message: base };
  }

  const added = ok.reduce((n, r) => n + r.changes.added, 0);
  const removed = ok.reduce((n, r) => n + r.changes.removed, 0);
  // "Synced 0 workspaces (no changes)" would say something happened; say only what did.
  const parts = ok.length ? [`Synced ${plural(ok.length, 'workspace')} (${changesText({ added, removed })})`] : [];
  if (failed.length) {
    const which = failed.map((r) => `${labelOf(r.workspaceId)} (${shortReason(r.problem)})`).join(', ');
    parts.push(
      ok.length ? `${formatNumber(failed.length)} failed: ${which}` : `Sync of ${plural(failed.length, 'workspace')} failed: ${which}`,
    );
  }
  if (cancelled.length)
    parts.push(parts.length ? `${formatNumber(cancelled.length)} cancelled` : `Sync of ${plural(cancelled.length, 'workspace')} cancelled`);
  let message = `${parts.join('; ')}.`;
  if (noted.length) message += ` ${plural(noted.length, 'workspace')} synced with a note: see the Workspaces view.`;
  const tone = failed.length ? 'error' : noted.length ? 'warning' : cancelled.length && !ok.length ? 'info' : 'success';
  return { tone, message };
}

/** The host (with its port) a custom-URL workspace's API is at, as configured. */
function configuredHost(workspace: WorkspaceSummary): string | null {
  if (!workspace.baseUrl || hostnameOf(workspace.baseUrl) === null) return null;
  return new URL(workspace.baseUrl).host;
}

/**
 * Why one workspace is offline, from what is known: its address, where that address is (this
 * computer, the local network, the internet), whether its last sync timed out, and when it last
 * answered. A loopback address is never a matter of the internet connection.
 */
export function offlineWhereText(workspace: WorkspaceSummary, now: number, withAddress: boolean): string {
  const host = configuredHost(workspace);
  const place = host ? placeOfHost(host) : 'internet';
  const contact = workspace.lastContactAt ? ` (it last answered ${relativeTime(workspace.lastContactAt, now)})` : '';
  const timedOut = workspace.sync.status === 'failed' && workspace.sync.problem?.code === 'timeout';
  const label = quoted(workspace.label);
  if (host && place !== 'internet' && !timedOut) {
    return place === 'this_computer'
      ? `${label}: nothing answers at ${host} on this computer${contact}. Is the emulator (or the server meant to be there) running?`
      : `${label}: nothing answers at ${host} on the local network${contact}. Is that server running, and is this computer on its network?`;
  }
  const at = withAddress && workspace.baseUrl ? ` at ${workspace.baseUrl}` : '';
  return `${label} did not answer${at}${timedOut ? ' in time' : ''}${contact}.`;
}

/** What is known of a workspace's saved inventory: when it was last synced, or that it never was. */
export function lastSyncedText(workspace: WorkspaceSummary, now: number, syncing: boolean): string {
  const label = quoted(workspace.label);
  if (syncing) return `${label} is syncing`;
  const at = workspace.sync.lastSuccessAt;
  return at === null ? `${label} has never been synced` : `${label} was last synced ${clockTime(at, now)} (${relativeTime(at, now)})`;
}

/**
 * The offline banner: which shown workspaces did not answer and why, then what is on screen
 * instead, per workspace. Nothing is said of a workspace beyond what was recorded of it: one
 * never contacted is "never synced", not "up to date".
 */
export function offlineBanner(input: {
  shown: WorkspaceSummary[];
  unreachable: WorkspaceSummary[];
  running: Record<string, unknown>;
  now: number;
  /** The browser says this computer has no network. */
  browserOffline: boolean;
}): { heading: string; text: string } {
  const { shown, unreachable, running, now } = input;
  const everyOne = unreachable.length === shown.length;
  const single = shown.length === 1;
  const heading = everyOne ? 'Offline' : unreachable.length === 1 ? 'One workspace offline' : `${unreachable.length} workspaces offline`;
  const where = unreachable.map((w) => offlineWhereText(w, now, single || placeOfHost(configuredHost(w) ?? '') !== 'internet'));
  // The browser's own opinion only adds to what the workspaces say, and only about the internet.
  const overInternet = unreachable.some((w) => placeOfHost(configuredHost(w) ?? 'api.elevenlabs.io') === 'internet');
  const computer = everyOne && overInternet && input.browserOffline ? ['This computer seems to be offline.'] : [];
  let saved: string;
  if (single) {
    const at = shown[0]!.sync.lastSuccessAt;
    saved =
      at === null ? 'No inventory has been saved yet.' : `Showing the inventory saved ${clockTime(at, now)} (${relativeTime(at, now)}).`;
  } else if (everyOne) {
    saved = `Showing what was saved: ${unreachable.map((w) => lastSyncedText(w, now, false)).join('; ')}.`;
  } else {
    const others = shown.filter((w) => !unreachable.includes(w));
    saved = `${others.map((w) => lastSyncedText(w, now, Boolean(running[w.id]))).join('; ')}.`;
  }
  return { heading, text: [...where, ...computer, saved].join(' ') };
}
