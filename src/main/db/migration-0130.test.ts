import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from '../../../test/support/harness';
import { AuthConnectionStore } from '../auth-connections/auth-connection-store';
import { DependantNumbering, toSecretBatch } from '../elevenlabs/listed-secret';
import type { RemoteSecret } from '../elevenlabs/types';
import { InventoryQueries } from '../inventory/inventory-queries';
import { InventoryWriter } from '../inventory/inventory-writer';
import { SecretSearchIndex } from '../inventory/secret-search-index';
import { Redactor } from '../logging/redactor';
import { WorkspaceRepository } from '../workspaces/workspace-repository';
import { openDatabase, schemaVersion } from './database';

afterAll(removeTempDirs);

const frontDesk = {
  kind: 'agent' as const,
  id: 'ag1',
  name: 'Front desk',
  access: 'available' as const,
  accessLevel: 'admin',
  createdAtUnix: 1_700_000_000,
  phoneNumber: null,
  provider: null,
  referencedResourceIds: [],
};

describe('migration 130: each dependant stored once, linked to its secrets', () => {
  it('moves every dependant row over, so the offline inventory reads the same and a sync finds them again', () => {
    const file = path.join(tempDir(), 'm130.sqlite');
    const v120 = openDatabase({ file, targetVersion: 120 });
    v120.exec(`
      INSERT INTO workspaces (id, label, residency, base_url, api_key_ref, verification, position, created_at)
        VALUES ('w1', 'One', 'default', NULL, 'ref-1', 'unverified', 0, 0);
      INSERT INTO workspace_secrets (row_id, workspace_id, secret_id, name, name_folded, agents_count, tools_count,
        phone_numbers_count, mcp_servers_count, others_count, dependant_count, dependants_truncated, dependants_digest,
        first_seen_at, last_seen_at, seen_generation)
      VALUES (1, 'w1', 's1', 'STRIPE_KEY', 'stripe_key', 1, 1, 0, 0, 0, 2, 0, 'd1', 1, 1, 1),
             (2, 'w1', 's2', 'SLACK_TOKEN', 'slack_token', 2, 0, 0, 0, 0, 2, 0, 'd2', 1, 1, 1);
      INSERT INTO secret_dependants (secret_row_id, workspace_id, kind, dependant_id, name, access, access_level,
        created_at_unix, phone_number, provider, referenced_resource_ids)
      VALUES (1, 'w1', 'agent', 'ag1', 'Front desk', 'available', 'admin', 1700000000, NULL, NULL, '[]'),
             (1, 'w1', 'tool', 'tl1', 'billing_lookup', 'available', NULL, NULL, NULL, NULL, '[]'),
             (2, 'w1', 'agent', 'ag1', 'Front desk', 'available', 'admin', 1700000000, NULL, NULL, '[]'),
             -- The same agent through a tool: a different row, kept apart.
             (2, 'w1', 'agent', 'ag2', 'Scheduler', 'available', 'admin', 1700000000, NULL, NULL, '["tl1"]');
    `);
    v120.close();

    const db = openDatabase({ file, targetVersion: 130 });
    expect(schemaVersion(db)).toBe(130);
    expect(db.prepare('SELECT count(*) FROM workspace_dependants').pluck().get()).toBe(3);
    expect(db.prepare('SELECT count(*) FROM secret_dependant_links').pluck().get()).toBe(4);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'secret_dependants'").pluck().get()).toBe(0);

    const workspaces = new WorkspaceRepository(db, new Redactor());
    const index = new SecretSearchIndex(db);
    const queries = new InventoryQueries(db, index);
    expect(queries.getSecret('w1', 's1').dependants.map((d) => [d.kind, d.id, d.name])).toEqual([
      ['agent', 'ag1', 'Front desk'],
      ['tool', 'tl1', 'billing_lookup'],
    ]);
    expect(queries.getSecret('w1', 's2').dependants.map((d) => [d.id, d.referencedResourceIds])).toEqual([
      ['ag1', []],
      ['ag2', ['tl1']],
    ]);
    expect(queries.listDependants('w1').map((d) => [d.kind, d.dependantId, d.secretCount])).toEqual([
      ['agent', 'ag1', 2],
      ['agent', 'ag2', 1],
      ['tool', 'tl1', 1],
    ]);

    // A new secret used by the same agent links to the moved row: fingerprints match the sync's.
    const staged = new InventoryWriter(db, workspaces, new AuthConnectionStore(db, workspaces)).begin('w1');
    const added: RemoteSecret = {
      secretId: 's3',
      name: 'NEW_KEY',
      dependants: [frontDesk],
      truncated: { tools: false, agents: false, phoneNumbers: false },
    };
    staged.add(toSecretBatch([added], 1, new DependantNumbering()));
    staged.commit({ authConnections: [], authConnectionsDenied: null, note: null }, 2);
    expect(db.prepare("SELECT count(*) FROM workspace_dependants WHERE dependant_id = 'ag1'").pluck().get()).toBe(1);
    index.invalidate();
    expect(queries.listDependants('w1').find((d) => d.dependantId === 'ag1')?.secretCount).toBe(1);
    db.close();
  });
});
