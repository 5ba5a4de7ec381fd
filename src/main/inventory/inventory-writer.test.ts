import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Dependant } from '../../shared/schemas/inventory';
import { AuthConnectionStore } from '../auth-connections/auth-connection-store';
import { openDatabase } from '../db/database';
import { DependantNumbering, toSecretBatch } from '../elevenlabs/listed-secret';
import type { RemoteSecret } from '../elevenlabs/types';
import { removeTempDirs, tempDir } from '../../../test/support/harness';
import { Redactor } from '../logging/redactor';
import { WorkspaceRepository } from '../workspaces/workspace-repository';
import { unverifiedFacts } from '../workspaces/key-check';
import { InventoryQueries } from './inventory-queries';
import { InventoryWriter } from './inventory-writer';
import { SecretSearchIndex } from './secret-search-index';

afterAll(removeTempDirs);

const agent = (id: string, name: string): Dependant => ({
  kind: 'agent',
  id,
  name,
  access: 'available',
  accessLevel: 'admin',
  createdAtUnix: 1_700_000_000,
  phoneNumber: null,
  provider: null,
  referencedResourceIds: [],
});
const secret = (secretId: string, name: string, dependants: Dependant[] = []): RemoteSecret => ({
  secretId,
  name,
  dependants,
  truncated: { tools: false, agents: false, phoneNumbers: false },
});

function setup() {
  const db = openDatabase({ file: path.join(tempDir(), 'w.sqlite') });
  const workspaces = new WorkspaceRepository(db, new Redactor());
  workspaces.insert({ id: 'w1', label: 'One', residency: 'default', baseUrl: null, apiKeyRef: 'ref-1', createdAt: 0, ...unverifiedFacts });
  workspaces.insert({ id: 'w2', label: 'Two', residency: 'default', baseUrl: null, apiKeyRef: 'ref-2', createdAt: 0, ...unverifiedFacts });
  const writer = new InventoryWriter(db, workspaces, new AuthConnectionStore(db, workspaces));
  const index = new SecretSearchIndex(db);
  const queries = new InventoryQueries(db, index);
  const write = (workspaceId: string, secrets: RemoteSecret[], at: number) => {
    const staged = writer.begin(workspaceId);
    // Two batches of one listing, as the API host hands them over.
    const numbering = new DependantNumbering();
    staged.add(toSecretBatch(secrets.slice(0, 2), 1, numbering));
    staged.add(toSecretBatch(secrets.slice(2), 1, numbering));
    const counts = staged.commit({ authConnections: [], authConnectionsDenied: null, note: null }, at);
    index.invalidate();
    return counts;
  };
  const rows = (workspaceId: string) =>
    queries.searchSecrets({ query: '', workspaceId, usage: 'any', presence: 'all', usedBy: null, offset: 0, limit: 500 }).items;
  return { db, write, rows, queries, workspaces };
}

describe('InventoryWriter', () => {
  it('inserts, updates, rewrites changed dependants, marks the missing removed and revives the returning', () => {
    const { write, rows, queries } = setup();
    write(
      'w1',
      [
        secret('a', 'ALPHA', [agent('ag1', 'Front desk')]),
        secret('b', 'BETA'),
        secret('c', 'GAMMA', [agent('ag1', 'Front desk')]),
        secret('e', 'EPSILON'),
      ],
      1000,
    );

    const counts = write(
      'w1',
      [
        secret('a', 'ALPHA', [agent('ag1', 'Front desk')]), // unchanged
        secret('b', 'BETA_RENAMED'), // renamed
        secret('c', 'GAMMA', [agent('ag2', 'Scheduler'), agent('ag3', 'Triage')]), // dependants changed
        secret('d', 'DELTA'), // new
        // e: gone
      ],
      2000,
    );
    expect(counts).toEqual({ secretCount: 4, removedSecretCount: 1, authConnectionCount: 0, changes: { added: 1, removed: 1 } });
    const byId = Object.fromEntries(rows('w1').map((r) => [r.secretId, r]));
    expect(byId['a']).toMatchObject({ name: 'ALPHA', firstSeenAt: 1000, lastSeenAt: 2000, removedRemotelyAt: null, dependantCount: 1 });
    expect(byId['b']).toMatchObject({ name: 'BETA_RENAMED', firstSeenAt: 1000 });
    expect(byId['d']).toMatchObject({ firstSeenAt: 2000 });
    expect(byId['e']).toMatchObject({ removedRemotelyAt: 2000, lastSeenAt: 1000 });
    expect(queries.getSecret('w1', 'c').dependants.map((d) => d.id)).toEqual(['ag2', 'ag3']);
    expect(queries.getSecret('w1', 'a').dependants.map((d) => d.name)).toEqual(['Front desk']);

    write(
      'w1',
      [
        secret('a', 'ALPHA', [agent('ag1', 'Front desk')]),
        secret('b', 'BETA_RENAMED'),
        secret('c', 'GAMMA'),
        secret('d', 'DELTA'),
        secret('e', 'EPSILON'),
      ],
      3000,
    );
    expect(rows('w1').find((r) => r.secretId === 'e')).toMatchObject({ removedRemotelyAt: null, lastSeenAt: 3000, firstSeenAt: 1000 });
    expect(queries.getSecret('w1', 'c').dependants).toEqual([]);
  });

  it('leaves nothing behind when a staged sync is discarded', () => {
    const { db, write, rows, workspaces } = setup();
    write('w1', [secret('a', 'ALPHA')], 1);
    const staged = new InventoryWriter(db, workspaces, new AuthConnectionStore(db, workspaces)).begin('w1');
    staged.add(toSecretBatch([secret('b', 'BETA')], 1, new DependantNumbering()));
    staged.discard();
    expect(rows('w1').map((r) => r.secretId)).toEqual(['a']);
    expect(db.prepare('SELECT count(*) AS n FROM temp.staged_secrets').get()).toEqual({ n: 0 });
  });

  it('stores each dependant once per workspace, drops the ones nothing uses, and links go with their workspace', () => {
    const { db, write, queries, workspaces } = setup();
    const count = (table: string) => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get();
    const viaTool = { ...agent('ag2', 'Scheduler'), referencedResourceIds: ['tl1'] };
    write('w1', [secret('a', 'A', [agent('ag1', 'Front desk')]), secret('b', 'B', [agent('ag1', 'Front desk'), viaTool])], 1);
    write('w2', [secret('a', 'A', [agent('ag1', 'Front desk')])], 1);
    // ag1 once in each workspace, ag2 (through a tool) once: four links.
    expect(count('workspace_dependants')).toBe(3);
    expect(count('secret_dependant_links')).toBe(4);
    expect(queries.getSecret('w1', 'b').dependants.map((d) => [d.id, d.referencedResourceIds])).toEqual([
      ['ag1', []],
      ['ag2', ['tl1']],
    ]);

    // b no longer uses the scheduler: its row goes, nothing else does.
    write('w1', [secret('a', 'A', [agent('ag1', 'Front desk')]), secret('b', 'B', [agent('ag1', 'Front desk')])], 2);
    expect(count('workspace_dependants')).toBe(2);
    expect(count('secret_dependant_links')).toBe(3);

    workspaces.delete('w1');
    expect(count('workspace_dependants')).toBe(1);
    expect(count('secret_dependant_links')).toBe(1);
    expect(queries.getSecret('w2', 'a').dependants.map((d) => d.name)).toEqual(['Front desk']);
  });

  it('refuses a batch whose dependants were numbered out of order, staging nothing', () => {
    const { db, workspaces } = setup();
    const staged = new InventoryWriter(db, workspaces, new AuthConnectionStore(db, workspaces)).begin('w1');
    const numbering = new DependantNumbering();
    toSecretBatch([secret('x', 'X', [agent('ag9', 'Skipped')])], 1, numbering);
    // The first batch of this numbering was never handed over.
    expect(() => staged.add(toSecretBatch([secret('a', 'A', [agent('ag1', 'Front desk')])], 1, numbering))).toThrow(/out of order/);
    expect(db.prepare('SELECT count(*) FROM temp.staged_secrets').pluck().get()).toBe(0);
    staged.discard();
  });

  it('keeps workspaces apart, even when their secrets share ids and names', () => {
    const { write, rows } = setup();
    write('w1', [secret('same', 'SHARED_NAME')], 1);
    write('w2', [secret('same', 'SHARED_NAME'), secret('other', 'OTHER')], 1);
    write('w1', [], 2);
    expect(rows('w1').map((r) => r.removedRemotelyAt)).toEqual([2]);
    expect(rows('w2').map((r) => [r.name, r.removedRemotelyAt])).toEqual([
      ['OTHER', null],
      ['SHARED_NAME', null],
    ]);
  });
});

describe('secret search', () => {
  it('matches any part of the name regardless of case, with filters and windows, in name order', () => {
    const { write, queries } = setup();
    write(
      'w1',
      [
        secret('1', 'Stripe_Webhook_Secret', [agent('ag1', 'Billing')]),
        secret('2', 'stripe_api_key'),
        secret('3', 'GOOGLE_OAUTH_TOKEN', [agent('ag2', 'Scheduler')]),
        secret('4', 'slack_bot_token'),
      ],
      1,
    );
    write('w2', [secret('5', 'STRIPE_RESTRICTED_KEY', [agent('ag1', 'Billing')])], 1);
    const search = (overrides: object) =>
      queries.searchSecrets({
        query: '',
        workspaceId: null,
        usage: 'any',
        presence: 'present',
        usedBy: null,
        offset: 0,
        limit: 50,
        ...overrides,
      });

    expect(search({ query: 'STRIPE' }).items.map((s) => s.name)).toEqual([
      'stripe_api_key',
      'STRIPE_RESTRICTED_KEY',
      'Stripe_Webhook_Secret',
    ]);
    expect(search({ query: 'token' }).total).toBe(2);
    expect(search({ query: '_t' }).items.map((s) => s.name)).toEqual(['GOOGLE_OAUTH_TOKEN', 'slack_bot_token']);
    expect(search({ query: 'd_k' }).items.map((s) => s.secretId)).toEqual(['5']);
    // Underscores, hyphens, spaces and case are alike: the way people type names.
    expect(search({ query: 'api key' }).items.map((s) => s.name)).toEqual(['stripe_api_key']);
    expect(search({ query: 'webhook-SECRET' }).items.map((s) => s.name)).toEqual(['Stripe_Webhook_Secret']);
    expect(search({ query: '  google   oauth ' }).items.map((s) => s.name)).toEqual(['GOOGLE_OAUTH_TOKEN']);
    expect(search({ query: 'stripe', workspaceId: 'w1' }).total).toBe(2);
    expect(search({ query: 'stripe', usage: 'unused' }).items.map((s) => s.secretId)).toEqual(['2']);
    expect(search({ usage: 'used' }).total).toBe(3);
    expect(search({ usedBy: { workspaceId: 'w1', kind: 'agent', dependantId: 'ag1' } }).items.map((s) => s.secretId)).toEqual(['1']);
    expect(search({ query: 'nothing like this' })).toEqual({ total: 0, offset: 0, items: [] });
    expect(search({ query: 'token\nstripe' }).total).toBe(0);
    expect(search({ workspaceId: 'not-a-workspace' }).total).toBe(0);

    const window = search({ offset: 1, limit: 2 });
    expect(window.total).toBe(5);
    expect(window.items.map((s) => s.name)).toEqual(
      search({})
        .items.slice(1, 3)
        .map((s) => s.name),
    );
  });
});
