// What needs attention among auth connections, from SQLite alone: synced connections (in the
// workspaces Review looks at) that fail or that nothing uses, and connections kept here whose
// certificates end soon, that went missing in a target, or that were changed in the dashboard.
import { connectionFields } from '../../shared/schemas/connection-definitions';
import type { CertificateFacts } from '../../shared/schemas/kept-connections';
import type { ReviewItem } from '../../shared/schemas/review';
import { reviewItem, type ReviewItemFields } from './review-item';
import { cutAtWord } from '../../shared/text';
import { keptTargetStanding } from '../auth-connections/kept-connection-rules';
import { KeptConnectionRepository, type KeptConnectionRecord } from '../auth-connections/kept-connection-repository';
import { isReadOnlyAuthType } from '../auth-connections/rules';
import type { Database } from '../db/database';
import { MAX_QUOTED_SERVER_TEXT } from '../elevenlabs/api-problem';

const DAY_MS = 24 * 60 * 60 * 1000;
/** A certificate is listed this long before it ends. */
export const CERTIFICATE_EXPIRING_WITHIN_DAYS = 30;

/** What each failing status means, in words a builder acts on. */
const failingStatuses: Record<string, string> = {
  refresh_failed: 'ElevenLabs could not refresh its token (status refresh_failed)',
  revoked: 'It was revoked (status revoked)',
  credential_invalid: 'ElevenLabs found its credentials invalid (status credential_invalid)',
};

interface SyncedRow {
  workspace_id: string;
  connection_id: string;
  name: string;
  auth_type: string;
  status: string | null;
  status_detail: string | null;
  used_by: string;
}

/**
 * The auth-connection items: `reviewed` are the workspaces whose synced connections are looked
 * at; connections kept here are this computer's and always reviewed, like local secrets.
 */
export function connectionReviewItems(db: Database, reviewed: ReadonlySet<string>, now: number): ReviewItem[] {
  const kept = new KeptConnectionRepository(db);
  const items: ReviewItem[] = [];
  const push = (fields: ReviewItemFields) => items.push(reviewItem(fields));
  const labels = new Map(
    (db.prepare('SELECT id, label FROM workspaces').all() as { id: string; label: string }[]).map((w) => [w.id, w.label]),
  );
  const labelOf = (id: string) => labels.get(id) ?? 'a removed workspace';
  const connections = kept.all();
  const targets = kept.allTargets();
  const owner = new Map<string, string>();
  for (const target of targets) {
    if (target.remoteConnectionId) owner.set(remoteKey(target.workspaceId, target.remoteConnectionId), target.keptConnectionId);
  }

  const synced = db
    .prepare(
      `SELECT workspace_id, connection_id, name, auth_type, status, status_detail, used_by FROM auth_connections
       WHERE removed_remotely_at IS NULL ORDER BY name_folded, row_id`,
    )
    .all() as SyncedRow[];
  for (const row of synced) {
    if (!reviewed.has(row.workspace_id)) continue;
    const keptConnectionId = owner.get(remoteKey(row.workspace_id, row.connection_id)) ?? null;
    const about = { name: row.name, workspaceIds: [row.workspace_id], remoteConnectionId: row.connection_id, keptConnectionId };
    const failing = row.status === null ? undefined : failingStatuses[row.status];
    if (failing) {
      const said = serverText(row.status_detail);
      const remedy = isReadOnlyAuthType(row.auth_type)
        ? 'Sign it in again where it was made, in the ElevenLabs dashboard.'
        : keptConnectionId
          ? 'Check the definition kept here, then push it again.'
          : 'Keep it here with working credentials and push it, or mend it in the dashboard.';
      push({ ...about, kind: 'connection_failing', detail: `${failing}${said ? `: ElevenLabs said “${said}”` : ''}. ${remedy}` });
    }
    const usedBy = JSON.parse(row.used_by) as Record<string, unknown[]>;
    const users = ['tools', 'mcpServers', 'integrationConnections'].reduce((n, kind) => n + (usedBy[kind]?.length ?? 0), 0);
    // Integration, WhatsApp, Slack bot and the like are managed where they were made: not flagged here.
    if (users === 0 && !isReadOnlyAuthType(row.auth_type)) {
      push({ ...about, kind: 'connection_unused', detail: 'No tool or MCP server uses it, as of the last sync.' });
    }
  }

  const remotes = new Map(kept.remoteConnections(null).map((remote) => [remoteKey(remote.workspaceId, remote.connectionId), remote]));
  for (const connection of connections) {
    const own = targets.filter((target) => target.keptConnectionId === connection.id);
    const about = { name: connection.name, keptConnectionId: connection.id };
    const ending = endingCertificates(connection, now);
    if (ending.length > 0) {
      push({
        ...about,
        kind: 'certificate_expiring',
        workspaceIds: own.map((target) => target.workspaceId),
        detail: `${ending.map((e) => endingText(e, now)).join(' ')} Give a new one in Edit, then push it.`,
        since: ending[0]!.certificate.notAfter,
      });
    }
    const standings = own.map((target) => ({
      target,
      standing: keptTargetStanding(
        connection,
        target,
        target.remoteConnectionId ? remotes.get(remoteKey(target.workspaceId, target.remoteConnectionId)) : undefined,
      ),
    }));
    const missing = standings.filter(({ standing }) => standing.state === 'missing_remotely').map(({ target }) => target);
    if (missing.length > 0) {
      push({
        ...about,
        kind: 'kept_connection_missing',
        workspaceIds: missing.map((target) => target.workspaceId),
        detail: `Pushed to ${missing.map((t) => `“${labelOf(t.workspaceId)}”`).join(', ')}, where the last sync no longer found it. A push creates it again.`,
      });
    }
    const changed = standings.filter(({ standing }) => standing.state === 'changed_remotely');
    if (changed.length > 0) {
      const fieldLabel = (field: string) =>
        field === 'authType' ? 'type' : (connectionFields[connection.authType][field]?.label ?? field).toLowerCase();
      const where = changed.map(
        ({ target, standing }) => `${standing.changes.map(fieldLabel).join(', ')} in “${labelOf(target.workspaceId)}”`,
      );
      const replace = changed.some(({ standing }) => standing.replaceNeeded);
      push({
        ...about,
        kind: 'connection_changed_remotely',
        workspaceIds: changed.map(({ target }) => target.workspaceId),
        remoteConnectionId: changed.length === 1 ? changed[0]!.target.remoteConnectionId : null,
        detail: `Differs from the definition kept here: ${where.join('; ')} (changed in the dashboard since the last push). ${
          replace ? 'Setting it back takes a replace.' : 'A push sets it back, or edit the definition here to match.'
        }`,
      });
    }
  }
  return items;
}

interface Ending {
  role: string;
  certificate: CertificateFacts;
}

/** Its certificates that end within the window (or have ended), soonest first. */
function endingCertificates(connection: KeptConnectionRecord, now: number): Ending[] {
  if (!connection.pem) return [];
  const all: Ending[] = [
    ...(connection.pem.certificate ? [{ role: 'client certificate', certificate: connection.pem.certificate }] : []),
    ...connection.pem.intermediates.map((certificate) => ({ role: 'intermediate certificate', certificate })),
    ...connection.pem.ca.map((certificate) => ({ role: 'CA certificate', certificate })),
  ];
  return all
    .filter(({ certificate }) => certificate.notAfter - now < CERTIFICATE_EXPIRING_WITHIN_DAYS * DAY_MS)
    .sort((a, b) => a.certificate.notAfter - b.certificate.notAfter);
}

/** "Its client certificate (CN=agent) expires on 2026-12-20, in 12 days." */
function endingText({ role, certificate }: Ending, now: number): string {
  const date = new Date(certificate.notAfter).toISOString().slice(0, 10);
  const who = `Its ${role} (${cutAtWord(certificate.subject, 80)})`;
  if (certificate.notAfter <= now) {
    const ago = Math.floor((now - certificate.notAfter) / DAY_MS);
    return `${who} expired on ${date}${ago >= 1 ? `, ${days(ago)} ago` : ', today'}.`;
  }
  const left = Math.floor((certificate.notAfter - now) / DAY_MS);
  return `${who} expires on ${date}, ${left >= 1 ? `in ${days(left)}` : 'in less than a day'}.`;
}

function days(count: number): string {
  return `${count} day${count === 1 ? '' : 's'}`;
}

/** Server prose fit to quote: one line, short (the dispatcher scrubs every reply of known credentials too). */
function serverText(text: string | null): string | null {
  // eslint-disable-next-line no-control-regex
  const line = (text ?? '').replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
  return line ? cutAtWord(line, MAX_QUOTED_SERVER_TEXT) : null;
}

function remoteKey(workspaceId: string, connectionId: string): string {
  return `${workspaceId}\u0000${connectionId}`;
}
