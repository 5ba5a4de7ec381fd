import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issue, makeCa } from '../../../test/support/certificates';
import {
  buildDomain,
  call,
  callError,
  clearKeychainService,
  filesUnder,
  removeTempDirs,
  tempDir,
  testKeychainService,
} from '../../../test/support/harness';
import { exampleDefinitions } from '../../../test/support/kept-connection-examples';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { sensitiveFieldsOf, type ConnectionAuthType } from '../../shared/schemas/connection-definitions';
import type { DefinitionRequestInput, KeptConnection } from '../../shared/schemas/kept-connections';
import type { Plan } from '../../shared/schemas/push';
import type { Domain } from '../app/composition';

// Connections kept here pushed through the one plan engine, end to end with the real keychain,
// SQLite and the SDK against the emulator: every type created in two workspaces with exactly the
// sensitive values kept here, updated in place where the API can, replaced where it cannot
// (never deleting an old connection something uses), adopted, copied, and a refused delete.

const STAGING_KEY = 'sk_push_conn_staging1';
const PRODUCTION_KEY = 'sk_push_conn_product1';
const keychainService = testKeychainService();
const dataDir = tempDir();
let emulator: RunningEmulator;
let domain: Domain;
let staging: string;
let production: string;
/** Every sensitive value sent, by type and field: what the emulator must have received. */
const sent: Record<string, Record<string, string>> = {};
const kept: Partial<Record<ConnectionAuthType, KeptConnection>> = {};
const CANARY = `canary-${randomBytes(6).toString('hex')}`;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const snake = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

interface Listed {
  id: string;
  name: string;
  auth_type: string;
  used_by?: { tools?: unknown[] };
}
/** The workspace's auth connections as the API lists them. */
async function remoteConnections(key: string): Promise<Listed[]> {
  const response = await fetch(`${emulator.url}/v1/workspace/auth-connections`, { headers: { 'xi-api-key': key } });
  return ((await response.json()) as { auth_connections: Listed[] }).auth_connections;
}

/** The plan's connection changes as [action, name, workspace] rows, for readable assertions. */
const rows = (plan: Plan) =>
  plan.items
    .filter((i) => i.kind === 'connection' && i.action !== 'unchanged' && i.action !== 'remote_only')
    .map((i) => [i.action, i.newName ?? i.remoteName, i.workspaceId === staging ? 'staging' : 'production']);

const planConnections = (connectionIds: string[], over: Record<string, unknown> = {}) =>
  call(domain, 'push:plan', { secretIds: [], connectionIds, workspaceIds: [], force: false, deletions: [], ...over });

/** The digests the emulator keeps of what a connection was last sent, compared with the values kept here. */
async function expectSentExactly(key: string, connectionId: string, authType: ConnectionAuthType): Promise<void> {
  const digests = emulator.authConnectionCredentials(key, connectionId);
  const expected = Object.fromEntries(
    sensitiveFieldsOf(authType)
      .filter((field) => sent[authType]![field] !== undefined)
      .map((field) => [snake(field), sha256(sent[authType]![field]!)]),
  );
  expect(digests).toEqual(expected);
}

beforeAll(async () => {
  emulator = await startEmulator({
    keys: [
      { key: STAGING_KEY, seed: 'demo' },
      { key: PRODUCTION_KEY, seed: 'empty' },
    ],
  });
  await clearKeychainService(keychainService);
  domain = buildDomain({ dataDir, keychainService });
  for (const [label, apiKey] of [
    ['Staging', STAGING_KEY],
    ['Production', PRODUCTION_KEY],
  ] as const) {
    const added = await call(domain, 'workspaces:add', { label, residency: 'custom', baseUrl: emulator.url, apiKey });
    if (added.outcome !== 'saved') throw new Error(added.outcome);
    if (label === 'Staging') staging = added.workspace.id;
    else production = added.workspace.id;
  }
  await call(domain, 'inventory:sync', { workspaceIds: [] });
});

afterAll(async () => {
  domain.close();
  await emulator.close();
  await clearKeychainService(keychainService);
  removeTempDirs();
});

describe('pushing connections kept here', () => {
  it('creates each of the seven types in two workspaces with exactly the sensitive values kept here', async () => {
    const root = await makeCa('CN=Push Root CA');
    const leaf = await issue(root, { subject: 'CN=push-client', clientAuth: true });
    const passphrase = `${CANARY}-passphrase`;
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const all = exampleDefinitions('https://idp.example', {
      secret: (field) => `${CANARY}-${field}`,
      rsa,
      certPem: leaf.certPem,
      keyPem: leaf.encryptedKeyPem(passphrase),
      caPem: root.certPem,
    });
    all.mtls = { ...all.mtls, keyPassphrase: passphrase } as DefinitionRequestInput;
    for (const [authType, definition] of Object.entries(all) as [ConnectionAuthType, DefinitionRequestInput][]) {
      sent[authType] = Object.fromEntries(
        sensitiveFieldsOf(authType)
          .filter((field) => typeof (definition as Record<string, unknown>)[field] === 'string')
          .map((field) => [field, (definition as Record<string, string>)[field]!]),
      );
      kept[authType] = await call(domain, 'keptConnections:create', {
        definition,
        targets: [
          { workspaceId: staging, remoteName: null },
          { workspaceId: production, remoteName: null },
        ],
      });
    }
    const ids = Object.values(kept).map((c) => c.id);

    const plan = await planConnections(ids);
    expect(plan.counts).toMatchObject({ create: 14, update: 0, replace: 0, delete: 0 });
    expect(plan.items.every((i) => i.kind === 'connection' && !i.needsConfirmation)).toBe(true);
    // The plan and its items carry names and fingerprints' effects, never a value.
    expect(JSON.stringify(plan)).not.toContain(CANARY);

    const applied = await call(domain, 'push:apply', { planId: plan.id });
    expect(applied.items.map((i) => i.status)).toEqual(Array(14).fill('done'));

    for (const [key, workspaceId] of [
      [STAGING_KEY, staging],
      [PRODUCTION_KEY, production],
    ] as const) {
      const listed = await remoteConnections(key);
      for (const [authType, connection] of Object.entries(kept) as [ConnectionAuthType, KeptConnection][]) {
        const found = listed.filter((c) => c.name === connection.name);
        expect(found, `${connection.name} in ${key}`).toHaveLength(1);
        expect(found[0]!.auth_type).toBe(authType);
        await expectSentExactly(key, found[0]!.id, authType);
        const now = await call(domain, 'keptConnections:get', { id: connection.id });
        expect(now.targets.find((t) => t.workspaceId === workspaceId)).toMatchObject({
          remoteConnectionId: found[0]!.id,
          state: 'in_sync',
        });
      }
    }
    // Pushed once, nothing changed: the next plan sends nothing.
    expect(rows(await planConnections(ids))).toEqual([]);
  });

  it('updates each updatable type in place with its new sensitive parts; the connection keeps its id', async () => {
    const updatable = ['oauth2_client_credentials', 'basic_auth', 'bearer_auth', 'oauth2_jwt'] as const;
    const before = await remoteConnections(STAGING_KEY);
    for (const authType of updatable) {
      const connection = kept[authType]!;
      const field = sensitiveFieldsOf(authType)[0]!;
      const value =
        authType === 'oauth2_jwt'
          ? generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
          : `${CANARY}-${field}-rotated`;
      sent[authType]![field] = value;
      await call(domain, 'keptConnections:update', {
        id: connection.id,
        definition: { authType, name: connection.name, ...connection.fields, [field]: value } as DefinitionRequestInput,
      });
    }
    // A public field too: scopes of the client-credentials connection.
    const client = kept.oauth2_client_credentials!;
    await call(domain, 'keptConnections:update', {
      id: client.id,
      definition: {
        authType: 'oauth2_client_credentials',
        name: client.name,
        ...client.fields,
        scopes: ['api', 'refresh_token'],
      } as DefinitionRequestInput,
    });

    const plan = await planConnections(updatable.map((t) => kept[t]!.id));
    expect(plan.counts).toMatchObject({ create: 0, update: 8, replace: 0 });
    expect(plan.items.find((i) => i.newName === client.name)).toMatchObject({
      reasons: ['value_changed', 'fields_changed'],
      changes: ['secrets', 'scopes'],
    });
    await call(domain, 'push:apply', { planId: plan.id });
    const after = await remoteConnections(STAGING_KEY);
    for (const authType of updatable) {
      const id = before.find((c) => c.name === kept[authType]!.name)!.id;
      expect(after.find((c) => c.name === kept[authType]!.name)!.id).toBe(id);
      await expectSentExactly(STAGING_KEY, id, authType);
    }
    const scopes = (after.find((c) => c.name === client.name) as unknown as { scopes: string[] }).scopes;
    expect(scopes).toEqual(['api', 'refresh_token']);
  });

  it('replaces what the API cannot change in place, names the tools that use the old one, and never deletes it while in use', async () => {
    const header = kept.custom_header_auth!;
    const oldStaging = (await remoteConnections(STAGING_KEY)).find((c) => c.name === header.name)!.id;
    const oldProduction = (await remoteConnections(PRODUCTION_KEY)).find((c) => c.name === header.name)!.id;
    emulator.addAuthConnectionUser(STAGING_KEY, { authConnectionId: oldStaging, kind: 'tool', name: 'Search products' });
    await call(domain, 'inventory:sync', { workspaceIds: [] });
    sent.custom_header_auth!.token = `${CANARY}-header-rotated`;
    await call(domain, 'keptConnections:update', {
      id: header.id,
      definition: {
        authType: 'custom_header_auth',
        name: header.name,
        ...header.fields,
        token: sent.custom_header_auth!.token,
      } as DefinitionRequestInput,
    });

    const plan = await planConnections([header.id]);
    const replace = plan.items.find((i) => i.workspaceId === staging)!;
    expect(replace).toMatchObject({
      action: 'replace',
      reasons: ['value_changed', 'not_updatable'],
      needsConfirmation: true,
      remoteConnectionId: oldStaging,
    });
    expect(replace.dependants.map((d) => [d.kind, d.name])).toEqual([['tool', 'Search products']]);
    // Not confirmed: refused before anything is sent.
    expect(await callError(domain, 'push:apply', { planId: plan.id })).toMatchObject({
      code: 'conflict',
      field: 'confirmed',
      message: `“${header.name}” in this plan is replaced by a new connection (the old one is used by 1 tool, to be re-pointed): confirm it or leave it out. Nothing was sent.`,
    });
    expect((await remoteConnections(STAGING_KEY)).filter((c) => c.name === header.name)).toHaveLength(1);

    const applied = await call(domain, 'push:apply', { planId: plan.id, confirmed: plan.items.map((i) => i.id) });
    expect(applied.items.map((i) => i.status)).toEqual(['done', 'done']);
    // Staging: the old one stays for the tool that uses it; the new one holds the new token and is the one kept here.
    const inStaging = (await remoteConnections(STAGING_KEY)).filter((c) => c.name === header.name);
    expect(inStaging.map((c) => c.id)).toContain(oldStaging);
    expect(inStaging).toHaveLength(2);
    const replacement = inStaging.find((c) => c.id !== oldStaging)!.id;
    await expectSentExactly(STAGING_KEY, replacement, 'custom_header_auth');
    // Production: nothing used the old one, so it is gone.
    const inProduction = (await remoteConnections(PRODUCTION_KEY)).filter((c) => c.name === header.name);
    expect(inProduction.map((c) => c.id)).not.toContain(oldProduction);
    expect(inProduction).toHaveLength(1);
    const now = await call(domain, 'keptConnections:get', { id: header.id });
    expect(now.targets.find((t) => t.workspaceId === staging)).toMatchObject({ remoteConnectionId: replacement, state: 'in_sync' });

    const activity = await call(domain, 'activity:list', {
      workspaceId: staging,
      action: 'push_replace',
      result: null,
      query: '',
      offset: 0,
      limit: 5,
    });
    expect(activity.entries[0]).toMatchObject({ subject: header.name, detail: expect.stringContaining('changed: secrets') });
  });

  it('refuses to delete a connection in use, says who uses it, and keeps it; deletes one nothing uses', async () => {
    const header = kept.custom_header_auth!;
    // The old one, which the tool still uses (the kept connection now goes to its replacement).
    const current = (await call(domain, 'keptConnections:get', { id: header.id })).targets.find((t) => t.workspaceId === staging)!;
    const old = (await remoteConnections(STAGING_KEY)).find((c) => c.name === header.name && c.id !== current.remoteConnectionId);
    expect(old).toBeDefined();
    const plan = await call(domain, 'push:plan', {
      secretIds: [],
      workspaceIds: [staging],
      force: false,
      deletions: [],
      connectionDeletions: [{ workspaceId: staging, remoteConnectionId: old!.id }],
      deletionsOnly: true,
    });
    expect(plan.items).toHaveLength(1);
    expect(plan.items[0]!.dependants.map((d) => d.name)).toEqual(['Search products']);
    const applied = await call(domain, 'push:apply', { planId: plan.id });
    expect(applied.items[0]).toMatchObject({
      status: 'refused',
      problem: { message: expect.stringContaining('still used by 1 tool (tool “Search products”)') },
    });
    expect((await remoteConnections(STAGING_KEY)).some((c) => c.id === old!.id)).toBe(true);

    const bearer = kept.bearer_auth!;
    const pushed = (await call(domain, 'keptConnections:get', { id: bearer.id })).targets.find((t) => t.workspaceId === production)!;
    const deletion = await call(domain, 'push:plan', {
      secretIds: [],
      workspaceIds: [production],
      force: false,
      deletions: [],
      connectionDeletions: [{ workspaceId: production, remoteConnectionId: pushed.remoteConnectionId! }],
      deletionsOnly: true,
    });
    expect((await call(domain, 'push:apply', { planId: deletion.id })).items[0]!.status).toBe('done');
    expect((await remoteConnections(PRODUCTION_KEY)).some((c) => c.id === pushed.remoteConnectionId)).toBe(false);
    // Still kept here and still targeting production: the next plan makes it again.
    expect(rows(await planConnections([bearer.id]))).toEqual([['create', bearer.name, 'production']]);
  });

  it('adopts a dashboard connection in use: its first push is an update that needs confirming', async () => {
    const catalog = (await call(domain, 'authConnections:list', { workspaceId: staging, query: '' })).connections.find(
      (c) => c.name === 'Product Catalog gateway',
    )!;
    const adopted = await call(domain, 'keptConnections:adopt', {
      workspaceId: staging,
      remoteConnectionId: catalog.connectionId,
      definition: { authType: 'bearer_auth', name: 'Product Catalog gateway', provider: 'catalog-gateway', token: `${CANARY}-adopted` },
    });
    const plan = await planConnections([adopted.id]);
    expect(plan.items).toEqual([
      expect.objectContaining({
        action: 'update',
        reasons: ['adopted'],
        needsConfirmation: true,
        remoteConnectionId: catalog.connectionId,
      }),
    ]);
    await call(domain, 'push:apply', { planId: plan.id, confirmed: [plan.items[0]!.id] });
    expect(emulator.authConnectionCredentials(STAGING_KEY, catalog.connectionId)).toEqual({ token: sha256(`${CANARY}-adopted`) });
  });

  it('copies a connection from staging to production in one plan', async () => {
    const token = `${CANARY}-copied`;
    const only = await call(domain, 'keptConnections:create', {
      definition: { authType: 'bearer_auth', name: 'Weather staging', provider: 'weather', token },
      targets: [{ workspaceId: staging, remoteName: null }],
    });
    let plan = await planConnections([only.id]);
    await call(domain, 'push:apply', { planId: plan.id });
    await call(domain, 'keptConnections:copyTarget', { id: only.id, fromWorkspaceId: staging, toWorkspaceId: production });
    plan = await planConnections([only.id]);
    expect(rows(plan)).toEqual([['create', 'Weather staging', 'production']]);
    await call(domain, 'push:apply', { planId: plan.id });
    const copied = (await remoteConnections(PRODUCTION_KEY)).filter((c) => c.name === 'Weather staging');
    expect(copied).toHaveLength(1);
    expect(emulator.authConnectionCredentials(PRODUCTION_KEY, copied[0]!.id)).toEqual({ token: sha256(token) });
  });

  it('a 500 after the create landed ends with exactly one connection, for a create and for a replace', async () => {
    const made = await call(domain, 'keptConnections:create', {
      definition: { authType: 'basic_auth', name: 'Landed anyway', provider: 'billing', username: 'svc', password: `${CANARY}-landed` },
      targets: [{ workspaceId: production, remoteName: null }],
    });
    emulator.injectFault({ status: 500, afterHandling: true, method: 'POST', pathPrefix: '/v1/workspace/auth-connections', count: 1 });
    let plan = await planConnections([made.id]);
    expect((await call(domain, 'push:apply', { planId: plan.id })).items[0]!.status).toBe('done');
    let named = (await remoteConnections(PRODUCTION_KEY)).filter((c) => c.name === 'Landed anyway');
    expect(named).toHaveLength(1);
    const first = named[0]!.id;

    // A rename is a replace: its create lands, the answer is lost; the old one (unused) goes, one new one stays.
    await call(domain, 'keptConnections:update', {
      id: made.id,
      definition: { authType: 'basic_auth', name: 'Landed anyway', provider: 'billing', username: 'svc' },
    });
    await call(domain, 'keptConnections:setTargets', { id: made.id, targets: [{ workspaceId: production, remoteName: 'Landed again' }] });
    emulator.injectFault({ status: 500, afterHandling: true, method: 'POST', pathPrefix: '/v1/workspace/auth-connections', count: 1 });
    plan = await planConnections([made.id]);
    expect(plan.items[0]).toMatchObject({ action: 'replace', reasons: ['renamed'], dependants: [] });
    expect((await call(domain, 'push:apply', { planId: plan.id, confirmed: [plan.items[0]!.id] })).items[0]!.status).toBe('done');
    const listed = await remoteConnections(PRODUCTION_KEY);
    expect(listed.some((c) => c.id === first)).toBe(false);
    named = listed.filter((c) => c.name === 'Landed again');
    expect(named).toHaveLength(1);
    expect(emulator.authConnectionCredentials(PRODUCTION_KEY, named[0]!.id)).toEqual({ password: sha256(`${CANARY}-landed`) });
  });

  it('never writes a sensitive value to the data folder', () => {
    domain.db.pragma('wal_checkpoint(TRUNCATE)');
    const files = filesUnder(dataDir);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(fs.readFileSync(file).toString('latin1').includes(CANARY), file).toBe(false);
  });
});
