import { hash } from 'node:crypto';
import type { Database } from '../db/database';
import { dependantText, type DependantValues } from '../elevenlabs/listed-secret';

/** Identifies a dependant row by every column of it, so one seen again is found, not stored twice. */
export function dependantFingerprint(values: DependantValues): string {
  return hash('md5', dependantText(values), 'base64');
}

/**
 * The row of a workspace's dependant, found by its fingerprint or added: one statement for the
 * sync and for migration 130, so both identify a dependant the same way.
 */
export function dependantRowFinder(db: Database): (workspaceId: string, values: DependantValues) => number {
  const statement = db
    .prepare(
      `INSERT INTO workspace_dependants (workspace_id, fingerprint, kind, dependant_id, name, access, access_level,
         created_at_unix, phone_number, provider, referenced_resource_ids)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (workspace_id, fingerprint) DO UPDATE SET fingerprint = excluded.fingerprint
       RETURNING row_id`,
    )
    .pluck();
  return (workspaceId, values) => statement.get(workspaceId, dependantFingerprint(values), ...values) as number;
}
