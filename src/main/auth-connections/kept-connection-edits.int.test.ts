import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issue, makeCa, type Issued } from '../../../test/support/certificates';
import {
  buildDomain,
  call,
  callError,
  clearKeychainService,
  databaseSnapshot,
  keychainAccounts,
  removeTempDirs,
  testKeychainService,
} from '../../../test/support/harness';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import type { ActivityEntry } from '../../shared/schemas/activity';
import type { Domain } from '../app/composition';

// Edits of connections kept here that remove a part, and the activity log of every change to
// them, through the dispatcher with the real keychain and SQLite (and the emulator for adopt).

const STAGING_KEY = 'sk_kept_edits_staging_01';
const PRODUCTION_KEY = 'sk_kept_edits_production';
const keychainService = testKeychainService();
let emulator: RunningEmulator;
let domain: Domain;
let staging: string;
let production: string;
let root: Issued;
let client: Issued;

beforeAll(async () => {
  await clearKeychainService(keychainService);
  emulator = await startEmulator({
    keys: [
      { key: STAGING_KEY, seed: 'demo' },
      { key: PRODUCTION_KEY, seed: 'empty' },
    ],
  });
  domain = buildDomain({ keychainService });
  const add = async (label: string, apiKey: string) => {
    const added = await call(domain, 'workspaces:add', { label, residency: 'custom', baseUrl: emulator.url, apiKey });
    if (added.outcome !== 'saved') throw new Error(added.outcome);
    return added.workspace.id;
  };
  staging = await add('Staging', STAGING_KEY);
  production = await add('Production', PRODUCTION_KEY);
  await call(domain, 'inventory:sync', { workspaceIds: [] });
  root = await makeCa('CN=Edits Root CA');
  client = await issue(root, { subject: 'CN=edits-client', clientAuth: true });
});

afterAll(async () => {
  await domain.close();
  await emulator.close();
  await clearKeychainService(keychainService);
  removeTempDirs();
});

/** The keychain entries of one kind, and the credential rows of one connection. */
const entriesOf = async (kind: string) => (await keychainAccounts(keychainService)).filter((a) => a.startsWith(`${kind}/`));
const rowsOf = (id: string) =>
  (
    domain.db.prepare('SELECT field, credential_ref AS ref FROM kept_connection_credentials WHERE kept_connection_id = ?').all(id) as {
      field: string;
      ref: string;
    }[]
  ).sort((a, b) => a.field.localeCompare(b.field));

describe('an edit that removes an optional sensitive part', () => {
  it('removes the key passphrase of an mTLS connection: its keychain entry and credential row go together, and the fingerprint changes', async () => {
    const passphrase = `pass-${randomBytes(8).toString('hex')}`;
    const created = await call(domain, 'keptConnections:create', {
      definition: {
        authType: 'mtls',
        name: 'Vault mTLS',
        provider: 'vault',
        clientCertificate: client.certPem,
        clientKey: client.encryptedKeyPem(passphrase),
        caCertificate: root.certPem,
        keyPassphrase: passphrase,
      },
    });
    expect(created.kept).toEqual(['caCertificate', 'clientCertificate', 'clientKey', 'keyPassphrase']);
    const passphraseEntries = await entriesOf('connection-key-passphrase');
    expect(passphraseEntries).toHaveLength(1);
    expect(rowsOf(created.id).map((row) => row.field)).toContain('keyPassphrase');

    // The key is still encrypted: without its passphrase it cannot open, so the removal is refused, naming the field; nothing changes.
    const before = databaseSnapshot(domain.db);
    expect(
      await callError(domain, 'keptConnections:update', {
        id: created.id,
        definition: { authType: 'mtls', name: 'Vault mTLS', provider: 'vault', keyPassphrase: null },
      }),
    ).toMatchObject({ code: 'invalid_request', field: 'definition.keyPassphrase', message: expect.stringContaining('encrypted') });
    expect(databaseSnapshot(domain.db)).toEqual(before);
    expect(await entriesOf('connection-key-passphrase')).toEqual(passphraseEntries);

    // The same key, decrypted, with the passphrase removed in the same edit.
    const edited = await call(domain, 'keptConnections:update', {
      id: created.id,
      definition: { authType: 'mtls', name: 'Vault mTLS', provider: 'vault', clientKey: client.keyPem, keyPassphrase: null },
    });
    expect(edited.kept).toEqual(['caCertificate', 'clientCertificate', 'clientKey']);
    expect(edited.pem?.key).toMatchObject({ encrypted: false });
    expect(edited.fingerprint).not.toBe(created.fingerprint);
    expect(await entriesOf('connection-key-passphrase')).toEqual([]);
    // Keychain and database in step: one entry per row, no row without its entry.
    const rows = rowsOf(created.id);
    expect(rows.map((row) => row.field)).toEqual(['caCertificate', 'clientCertificate', 'clientKey']);
    const accounts = await keychainAccounts(keychainService);
    for (const row of rows) expect(accounts).toContain(row.ref);
    expect(domain.db.prepare('SELECT count(*) AS n FROM credential_intents').get()).toEqual({ n: 0 });

    // The check reads what is kept now: the unencrypted key opens without a passphrase.
    const report = await call(domain, 'keptConnections:check', { id: created.id });
    expect(report.outcome).not.toBe('failed');
    const activity = await call(domain, 'activity:list', {
      workspaceId: null,
      action: 'update',
      result: null,
      query: 'Vault',
      offset: 0,
      limit: 5,
    });
    expect(activity.entries[0]).toMatchObject({ subject: 'Vault mTLS', detail: 'changed: secrets' });
  });
});

describe('the activity log of connections kept here', () => {
  it('records each create, edit, rename, target change, adopt, copy and delete, and never one of their values', async () => {
    const canary = () => `canary-${randomBytes(10).toString('hex')}`;
    const canaries: string[] = [];
    const value = () => {
      const made = canary();
      canaries.push(made);
      return made;
    };
    const start = (domain.db.prepare('SELECT coalesce(max(id), 0) AS id FROM activity').get() as { id: number }).id;

    const crm = await call(domain, 'keptConnections:create', {
      definition: {
        authType: 'oauth2_client_credentials',
        name: 'CRM',
        provider: 'crm',
        clientId: 'crm-client',
        tokenUrl: 'https://auth.example.com/token',
        clientSecret: value(),
      },
      targets: [{ workspaceId: staging, remoteName: null }],
    });
    const billing = await call(domain, 'keptConnections:create', {
      definition: { authType: 'basic_auth', name: 'Billing', provider: 'billing', username: 'svc', password: value() },
    });
    await call(domain, 'keptConnections:update', {
      id: crm.id,
      definition: {
        authType: 'oauth2_client_credentials',
        name: 'CRM',
        provider: 'crm',
        clientId: 'crm-client',
        tokenUrl: 'https://auth.example.com/token',
        clientSecret: value(),
      },
    });
    await call(domain, 'keptConnections:update', {
      id: billing.id,
      definition: { authType: 'basic_auth', name: 'Billing v2', provider: 'billing', username: 'svc', password: value() },
    });
    await call(domain, 'keptConnections:setTargets', { id: billing.id, targets: [{ workspaceId: staging, remoteName: null }] });
    const catalog = (await call(domain, 'authConnections:list', { workspaceId: staging, query: 'Product Catalog' })).connections[0]!;
    const adopted = await call(domain, 'keptConnections:adopt', {
      workspaceId: staging,
      remoteConnectionId: catalog.connectionId,
      definition: { authType: 'bearer_auth', name: 'Product Catalog gateway', provider: 'catalog-gateway', token: value() },
    });
    await call(domain, 'keptConnections:copyTarget', { id: crm.id, fromWorkspaceId: staging, toWorkspaceId: production });
    await call(domain, 'keptConnections:delete', { id: adopted.id });
    // A refused create (bad input) records nothing, and says nothing of its value either.
    await callError(domain, 'keptConnections:create', {
      definition: { authType: 'bearer_auth', name: 'CRM', provider: 'x', token: value() },
    });

    const rows = domain.db.prepare('SELECT * FROM activity WHERE id > ? ORDER BY id').all(start) as Record<string, unknown>[];
    const entries = (
      await call(domain, 'activity:list', { workspaceId: null, action: null, result: null, query: '', offset: 0, limit: 50 })
    ).entries;
    const mine = entries.filter((entry) => entry.id > start).reverse();
    const line = (e: ActivityEntry) => `${e.action} ${e.subject}${e.workspaceLabel ? ` @ ${e.workspaceLabel}` : ''}: ${e.detail ?? ''}`;
    expect(mine.map(line)).toEqual([
      'create CRM: oauth2_client_credentials connection kept here',
      'create Billing: basic_auth connection kept here',
      'update CRM: changed: secrets',
      'rename Billing v2: changed: name, secrets',
      'update Billing v2: targets 1 workspace(s)',
      'adopt Product Catalog gateway @ Staging: auth connection',
      'update CRM @ Production: target copied from “Staging”',
      'delete Product Catalog gateway: definition and its keychain entries deleted here; connections in workspaces kept',
    ]);
    expect(rows).toHaveLength(mine.length);
    // Positive control: the values kept now are in the keychain, so they were there to leak.
    expect(canaries).toHaveLength(6);
    const keytar = (await import('keytar')).default;
    const kept = (await keytar.findCredentials(keychainService)).map((c) => c.password);
    expect(kept).toEqual(expect.arrayContaining([canaries[2], canaries[3]]));
    const stored = JSON.stringify(rows) + JSON.stringify(entries);
    for (const value of canaries) expect(stored).not.toContain(value);
  });
});
