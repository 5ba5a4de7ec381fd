import { spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Issued, issue, makeCa } from '../../../test/support/certificates';
import { exampleDefinitions } from '../../../test/support/kept-connection-examples';
import {
  buildDomain,
  call,
  callError,
  clearKeychainService,
  databaseSnapshot,
  filesUnder,
  keychainAccounts,
  removeTempDirs,
  tempDir,
  testKeychainService,
} from '../../../test/support/harness';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import type { RequestOf } from '../../shared/contract';
import { connectionFields, type ConnectionAuthType } from '../../shared/schemas/connection-definitions';
import type { DefinitionRequestInput, KeptConnection } from '../../shared/schemas/kept-connections';
import type { Domain } from '../app/composition';

// Connections kept here, end to end through IPC with the real keychain and SQLite: each of the
// seven types created, edited with and without its sensitive parts, deleted, adopted from a
// synced workspace, copied to another workspace and checked against a local server; then
// canaries in every sensitive field, a crash between the keychain and the row, and bad input.

const STAGING_KEY = 'sk_kept_staging_0001';
const PRODUCTION_KEY = 'sk_kept_production_01';
const RIGHT_TOKEN = 'right-bearer-token-5d1e0c';
const keychainService = testKeychainService();
let emulator: RunningEmulator;
let probe: http.Server;
/** The local server's origin: token URLs point here, so no check leaves this machine. */
let probeBase: string;
let probeUrl: string;
let root: Issued;
let client: Issued;
let other: Issued;
const rsaPem = () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

beforeAll(async () => {
  emulator = await startEmulator({
    keys: [
      { key: STAGING_KEY, seed: 'demo' },
      { key: PRODUCTION_KEY, seed: 'empty' },
    ],
  });
  // A server that accepts only the right bearer token, as an API a tool calls would.
  probe = http.createServer((request, response) => {
    response.writeHead(request.headers.authorization === `Bearer ${RIGHT_TOKEN}` ? 200 : 401).end();
  });
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  probeBase = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
  probeUrl = `${probeBase}/me`;
  root = await makeCa('CN=Kept Root CA');
  client = await issue(root, { subject: 'CN=kept-client, O=Acme', clientAuth: true });
  other = await issue(root, { subject: 'CN=someone-else', clientAuth: true });
});

afterAll(async () => {
  await emulator.close();
  await new Promise((resolve) => probe.close(resolve));
  await clearKeychainService(keychainService);
  removeTempDirs();
});

async function addWorkspace(domain: Domain, label: string, apiKey: string): Promise<string> {
  const added = await call(domain, 'workspaces:add', { label, residency: 'custom', baseUrl: emulator.url, apiKey });
  if (added.outcome !== 'saved') throw new Error(added.outcome);
  return added.workspace.id;
}

const connectionAccounts = async () => (await keychainAccounts(keychainService)).filter((a) => a.startsWith('connection-'));

describe('connections kept here', () => {
  let domain: Domain;
  let staging: string;
  let production: string;
  const created: Partial<Record<ConnectionAuthType, KeptConnection>> = {};

  beforeAll(async () => {
    await clearKeychainService(keychainService);
    domain = buildDomain({ keychainService });
    staging = await addWorkspace(domain, 'Staging', STAGING_KEY);
    production = await addWorkspace(domain, 'Production', PRODUCTION_KEY);
    await call(domain, 'inventory:sync', { workspaceIds: [staging, production] });
  });
  afterAll(() => domain.close());

  it('keeps one of each of the seven types: public fields, PEM facts and a fingerprint in SQLite, each sensitive part in the keychain', async () => {
    const passphrase = 'open-sesame-passphrase';
    // The RS256 key is read from a file the user chose, in main.
    const keyFile = path.join(tempDir(), 'warehouse.pem');
    fs.writeFileSync(keyFile, rsaPem());
    const all = exampleDefinitions(probeBase, {
      secret: (field) => `${field}-value-${randomBytes(6).toString('hex')}`,
      rsa: 'unused',
      certPem: client.certPem,
      keyPem: client.encryptedKeyPem(passphrase),
      caPem: root.certPem,
    });
    all.mtls = { ...all.mtls, keyPassphrase: passphrase } as DefinitionRequestInput;
    all.oauth2_jwt = { ...all.oauth2_jwt, secretKey: { file: keyFile } } as DefinitionRequestInput;
    for (const [authType, definition] of Object.entries(all) as [ConnectionAuthType, DefinitionRequestInput][]) {
      created[authType] = await call(domain, 'keptConnections:create', {
        definition,
        targets: [{ workspaceId: staging, remoteName: null }],
      });
    }

    const mtls = created.mtls!;
    expect(mtls.kept).toEqual(['caCertificate', 'clientCertificate', 'clientKey', 'keyPassphrase']);
    expect(mtls.fields).toEqual({ provider: 'bank' });
    expect(mtls.pem?.certificate).toMatchObject({ subject: 'CN=kept-client, O=Acme', issuer: 'CN=Kept Root CA', keyType: 'ec' });
    expect(mtls.pem?.certificate?.fingerprint256).toBe(new (await import('node:crypto')).X509Certificate(client.certPem).fingerprint256);
    expect(mtls.pem?.ca.map((ca) => ca.subject)).toEqual(['CN=Kept Root CA']);
    expect(mtls.pem?.key).toEqual({ type: 'ec', bits: 256, curve: 'prime256v1', encrypted: true });
    expect(created.oauth2_jwt!.pem?.key).toMatchObject({ type: 'rsa', bits: 2048 });
    expect(created.oauth2_client_credentials!.fields).toMatchObject({
      clientId: 'crm-client',
      scopes: ['api'],
      extraParams: { audience: 'crm' },
      basicAuthInHeader: false,
    });
    expect(created.bearer_auth!.targets).toEqual([
      expect.objectContaining({ workspaceId: staging, remoteName: 'Catalog bearer', state: 'never_pushed', remoteConnectionId: null }),
    ]);
    for (const connection of Object.values(created)) expect(connection.fingerprint).toMatch(/^[0-9a-f]{64}$/);

    // One keychain entry per sensitive part, each of its own kind; the list says the same.
    const accounts = await connectionAccounts();
    expect(accounts).toHaveLength(1 + 1 + 1 + 1 + 1 + 1 + 4);
    expect(new Set(accounts.map((a) => a.slice(0, a.indexOf('/'))))).toEqual(
      new Set([
        'connection-client-secret',
        'connection-secret-key',
        'connection-password',
        'connection-token',
        'connection-client-certificate',
        'connection-client-key',
        'connection-ca-certificate',
        'connection-key-passphrase',
      ]),
    );
    const listed = await call(domain, 'keptConnections:list', { query: 'bank' });
    expect(listed.connections.map((c) => c.name)).toEqual(['Bank mTLS']);
    const row = domain.db.prepare("SELECT * FROM kept_connections WHERE name = 'Bank mTLS'").get() as Record<string, unknown>;
    expect(row).toMatchObject({ auth_type: 'mtls', certificate_not_after: mtls.pem?.certificate?.notAfter });

    // A second connection of the same name is refused, naming the field; nothing more is kept.
    expect(await callError(domain, 'keptConnections:create', { definition: all.bearer_auth })).toMatchObject({
      code: 'conflict',
      field: 'definition.name',
    });
    expect(await connectionAccounts()).toEqual(accounts);
  });

  it('edits without sensitive parts (they stay) and with them (the old entry goes), and checks what is kept now', async () => {
    const bearer = created.bearer_auth!;
    const entriesBefore = await connectionAccounts();
    const renamed = await call(domain, 'keptConnections:update', {
      id: bearer.id,
      definition: { authType: 'bearer_auth', name: 'Catalog bearer', provider: 'catalog-v2' },
    });
    expect(renamed).toMatchObject({ fields: { provider: 'catalog-v2' }, fingerprint: bearer.fingerprint, kept: ['token'] });
    expect(await connectionAccounts()).toEqual(entriesBefore);

    // The kept token is wrong for the server: the check, reading it from the keychain, says so.
    const wrong = await call(domain, 'keptConnections:check', { id: bearer.id, probeUrl });
    expect(wrong).toMatchObject({ outcome: 'failed', facts: { httpStatus: 401 } });

    const fixed = await call(domain, 'keptConnections:update', {
      id: bearer.id,
      definition: { authType: 'bearer_auth', name: 'Catalog bearer', provider: 'catalog-v2', token: RIGHT_TOKEN },
    });
    expect(fixed.fingerprint).not.toBe(bearer.fingerprint);
    const entriesAfter = await connectionAccounts();
    expect(entriesAfter).toHaveLength(entriesBefore.length);
    expect(entriesAfter.filter((a) => !entriesBefore.includes(a))).toHaveLength(1);
    const right = await call(domain, 'keptConnections:check', { id: bearer.id, probeUrl });
    expect(right).toMatchObject({ outcome: 'passed', summary: expect.stringContaining('HTTP 200') });
    expect(JSON.stringify(right)).not.toContain(RIGHT_TOKEN);

    // An optional part removed with null: its entry goes too.
    const mtls = await call(domain, 'keptConnections:update', {
      id: created.mtls!.id,
      definition: { authType: 'mtls', name: 'Bank mTLS', provider: 'bank', caCertificate: null },
    });
    expect(mtls.kept).toEqual(['clientCertificate', 'clientKey', 'keyPassphrase']);
    expect(mtls.pem?.ca).toEqual([]);
    expect((await connectionAccounts()).some((a) => a.startsWith('connection-ca-certificate/'))).toBe(false);

    // A certificate whose key is not the one kept is refused, naming the field; nothing changes.
    const before = databaseSnapshot(domain.db);
    expect(
      await callError(domain, 'keptConnections:update', {
        id: created.mtls!.id,
        definition: { authType: 'mtls', name: 'Bank mTLS', provider: 'bank', clientCertificate: other.certPem },
      }),
    ).toMatchObject({ code: 'invalid_request', field: 'definition.clientKey', message: expect.stringContaining('not a pair') });
    expect(databaseSnapshot(domain.db)).toEqual(before);

    const activity = await call(domain, 'activity:list', {
      workspaceId: null,
      action: 'update',
      result: null,
      query: '',
      offset: 0,
      limit: 10,
    });
    expect(activity.entries.map((e) => e.detail)).toEqual(expect.arrayContaining(['changed: provider', 'changed: secrets']));
  });

  it('adopts a dashboard connection by its sensitive parts, or into a kept one, marked as not yet pushed', async () => {
    const remote = await call(domain, 'authConnections:list', { workspaceId: staging, query: '' });
    const byName = (name: string) => remote.connections.find((c) => c.name === name)!;
    const catalog = byName('Product Catalog gateway');
    const adopted = await call(domain, 'keptConnections:adopt', {
      workspaceId: staging,
      remoteConnectionId: catalog.connectionId,
      definition: { authType: 'bearer_auth', name: 'Product Catalog gateway', provider: 'catalog-gateway', token: 'adopted-token-0001' },
    });
    expect(adopted.targets).toEqual([
      expect.objectContaining({ workspaceId: staging, remoteConnectionId: catalog.connectionId, state: 'never_pushed' }),
    ]);
    expect(adopted.targets[0]!.usedBy.mcpServers.map((m) => m.name)).toEqual(['Product Catalog MCP']);
    expect(
      await callError(domain, 'keptConnections:adopt', {
        workspaceId: staging,
        remoteConnectionId: catalog.connectionId,
        definition: { authType: 'bearer_auth', name: 'Another', provider: 'x', token: 'adopted-token-0002' },
      }),
    ).toMatchObject({ code: 'conflict', message: expect.stringContaining('already kept here as “Product Catalog gateway”') });

    // Into a kept connection of the same type.
    const forecast = byName('Weather forecast header');
    const kept = await call(domain, 'keptConnections:create', {
      definition: {
        authType: 'custom_header_auth',
        name: 'Forecast',
        provider: 'openweather',
        headerName: 'X-Api-Key',
        token: 'forecast-0001',
      },
    });
    const linked = await call(domain, 'keptConnections:adopt', {
      workspaceId: staging,
      remoteConnectionId: forecast.connectionId,
      keptConnectionId: kept.id,
    });
    expect(linked.targets).toEqual([
      expect.objectContaining({ remoteName: 'Weather forecast header', followsName: false, state: 'never_pushed' }),
    ]);

    // A type the API cannot create, and a definition of another type, are refused.
    const readOnly = remote.connections.find((c) => c.readOnly)!;
    expect(
      await callError(domain, 'keptConnections:adopt', {
        workspaceId: staging,
        remoteConnectionId: readOnly.connectionId,
        keptConnectionId: kept.id,
      }),
    ).toMatchObject({ code: 'conflict' });
    expect(
      await callError(domain, 'keptConnections:adopt', {
        workspaceId: staging,
        remoteConnectionId: byName('Salesforce API').connectionId,
        definition: { authType: 'bearer_auth', name: 'Salesforce API', provider: 'sf', token: 'adopted-token-0003' },
      }),
    ).toMatchObject({ code: 'invalid_request', field: 'definition.authType' });
  });

  it('copies a target from staging to production under the same name, ready for the plan', async () => {
    const crm = created.oauth2_client_credentials!;
    await call(domain, 'keptConnections:setTargets', { id: crm.id, targets: [{ workspaceId: staging, remoteName: 'CRM (shared)' }] });
    const copied = await call(domain, 'keptConnections:copyTarget', { id: crm.id, fromWorkspaceId: staging, toWorkspaceId: production });
    expect(copied.targets.map((t) => [t.workspaceId, t.remoteName, t.state])).toEqual(
      expect.arrayContaining([
        [staging, 'CRM (shared)', 'never_pushed'],
        [production, 'CRM (shared)', 'never_pushed'],
      ]),
    );
    expect(
      await callError(domain, 'keptConnections:copyTarget', { id: crm.id, fromWorkspaceId: staging, toWorkspaceId: production }),
    ).toMatchObject({ code: 'conflict', field: 'toWorkspaceId' });
  });

  it('deletes a connection: no keychain entry, no row, no target is left', async () => {
    const mtls = created.mtls!;
    const before = await connectionAccounts();
    await call(domain, 'keptConnections:delete', { id: mtls.id });
    const after = await connectionAccounts();
    expect(before.length - after.length).toBe(3);
    expect(after.some((a) => /^connection-(client-certificate|client-key|key-passphrase)\//.test(a))).toBe(false);
    for (const table of ['kept_connections', 'kept_connection_credentials', 'kept_connection_targets']) {
      const column = table === 'kept_connections' ? 'id' : 'kept_connection_id';
      expect(domain.db.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${column} = ?`).get(mtls.id)).toEqual({ n: 0 });
    }
    expect(await callError(domain, 'keptConnections:get', { id: mtls.id })).toMatchObject({ code: 'not_found' });
  });
});

describe('bad input to a connection kept here', () => {
  it('names each field of each type when its value has a wrong shape, and keeps nothing', async () => {
    await clearKeychainService(keychainService);
    const domain = buildDomain({ keychainService });
    const valid = exampleDefinitions(probeBase, {
      secret: (field) => `${field}-valid-value`,
      rsa: rsaPem(),
      certPem: client.certPem,
      keyPem: client.keyPem,
      caPem: root.certPem,
    });
    // A wrong shape for each kind of input.
    const wrong = (authType: ConnectionAuthType, field: string): unknown => {
      const info = connectionFields[authType][field]!;
      switch (info.input) {
        case 'url':
          return 'http://auth.example.com/token';
        case 'list':
          return ['has space'];
        case 'map':
          return { name: 42 };
        case 'boolean':
          return 'yes';
        case 'integer':
          return 30;
        case 'choice':
          return 'XX999';
        case 'pem':
          return 'not PEM at all';
        default:
          return field === 'username' ? 'has:colon' : field === 'headerName' ? 'has space' : '';
      }
    };
    // Prove the valid ones are accepted, then forget them.
    await call(domain, 'keptConnections:create', { definition: valid.basic_auth });
    const before = databaseSnapshot(domain.db);
    const entries = await keychainAccounts(keychainService);
    let cases = 0;
    for (const [authType, definition] of Object.entries(valid) as [ConnectionAuthType, Record<string, unknown>][]) {
      for (const field of Object.keys(connectionFields[authType])) {
        const request = { definition: { ...definition, name: `${definition.name as string} 2`, [field]: wrong(authType, field) } };
        const error = await callError(domain, 'keptConnections:create', request);
        expect(error.code, `${authType}.${field}`).toBe('invalid_request');
        expect(error.field, `${authType}.${field}: ${error.message}`).toMatch(new RegExp(`^definition\\.${field}(\\.|$)`));
        expect(error.message).toMatch(new RegExp(`^Invalid request: definition\\.${field}`));
        cases += 1;
      }
    }
    expect(cases).toBeGreaterThan(40);
    // Rules main applies once the material is read: the key's fit, the pair, a missing file, a missing required part.
    const refused: [RequestOf<'keptConnections:create'>, string][] = [
      [{ definition: { ...valid.private_key_jwt, algorithm: 'RS256' } as DefinitionRequestInput }, 'definition.secretKey'],
      [{ definition: { ...valid.mtls, clientCertificate: other.certPem } as DefinitionRequestInput }, 'definition.clientKey'],
      [
        { definition: { ...valid.mtls, clientKey: { file: '/nonexistent/key.pem' } } as DefinitionRequestInput },
        'definition.clientKey.file',
      ],
      [
        {
          definition: {
            ...valid.mtls,
            clientKey: client.encryptedKeyPem('pw-123456'),
            keyPassphrase: 'wrong-pass',
          } as DefinitionRequestInput,
        },
        'definition.keyPassphrase',
      ],
      [{ definition: { authType: 'bearer_auth', name: 'No token', provider: 'x' } as DefinitionRequestInput }, 'definition.token'],
      [{ definition: { ...valid.bearer_auth, authType: 'digest_auth' } as unknown as DefinitionRequestInput }, 'definition.authType'],
    ];
    for (const [request, field] of refused) {
      expect(await callError(domain, 'keptConnections:create', request)).toMatchObject({ code: 'invalid_request', field });
    }
    expect(databaseSnapshot(domain.db)).toEqual(before);
    expect(await keychainAccounts(keychainService)).toEqual(entries);
    await domain.close();
  });
});

describe('a crash between the keychain and the row', () => {
  it('leaves no orphan: the next start deletes the entry nothing points at', async () => {
    await clearKeychainService(keychainService);
    const dataDir = tempDir();
    const definition = { authType: 'basic_auth', name: 'Crash', provider: 'x', username: 'u', password: 'crash-password-0001' };
    const child = path.join(__dirname, '../../../test/support/kept-connection-child.ts');
    const output = await new Promise<string>((resolve, reject) => {
      const proc = spawn(process.execPath, ['--import', 'tsx', child, dataDir, keychainService, JSON.stringify(definition)], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let text = '';
      proc.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
      proc.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
      proc.on('error', reject);
      proc.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve(text) : reject(new Error(`not killed:\n${text}`))));
    });
    expect(output).toMatch(/^stored connection-password\//m);
    expect(await connectionAccounts()).toHaveLength(1);

    const domain = buildDomain({ dataDir, keychainService });
    await domain.reconciled;
    expect(await connectionAccounts()).toEqual([]);
    expect(domain.db.prepare('SELECT count(*) AS n FROM kept_connections').get()).toEqual({ n: 0 });
    expect(domain.db.prepare('SELECT count(*) AS n FROM credential_intents').get()).toEqual({ n: 0 });
    await domain.close();
  });
});

describe('canaries in every sensitive field of every type', () => {
  it('are found only in the keychain: not in the data folder, the logs, an IPC reply or an event', async () => {
    await clearKeychainService(keychainService);
    const domain = buildDomain({ keychainService });
    const seen: string[] = [];
    domain.events.subscribe((event, payload) => seen.push(JSON.stringify({ event, payload })));
    const record = async (channel: string, request: unknown) => {
      const reply = await domain.dispatch(channel, request);
      seen.push(JSON.stringify(reply));
      return reply;
    };
    const canaries: string[] = [];
    const canary = (field: string) => {
      const value = `canary-${field}-${randomBytes(10).toString('hex')}`;
      canaries.push(value);
      return value;
    };
    // PEM material is unique by nature (made here); the passphrase opens the canary key.
    const passphrase = canary('keyPassphrase');
    const ca = await makeCa('CN=Canary CA');
    const leaf = await issue(ca, { subject: 'CN=canary-client', clientAuth: true });
    const rsa = rsaPem();
    const pems = [rsa, leaf.certPem, leaf.encryptedKeyPem(passphrase), ca.certPem];
    const all = exampleDefinitions(probeBase, { secret: canary, rsa, certPem: leaf.certPem, keyPem: pems[2]!, caPem: ca.certPem });
    all.mtls = { ...all.mtls, keyPassphrase: passphrase } as DefinitionRequestInput;

    const workspaceId = await addWorkspace(domain, 'Canary', STAGING_KEY);
    await record('inventory:sync', { workspaceIds: [workspaceId] });
    const ids: string[] = [];
    for (const definition of Object.values(all)) {
      const reply = await record('keptConnections:create', { definition, targets: [{ workspaceId, remoteName: null }] });
      if (!reply.ok) throw new Error(reply.error.message);
      ids.push((reply.data as KeptConnection).id);
    }
    // Edits with new canaries, checks (which read every part back), failures that carry a canary.
    const bearerId = ids[Object.keys(all).indexOf('bearer_auth')]!;
    await record('keptConnections:update', {
      id: bearerId,
      definition: { authType: 'bearer_auth', name: 'Catalog bearer', provider: 'catalog', token: canary('newToken') },
    });
    for (const id of ids) await record('keptConnections:check', { id, probeUrl });
    const catalog = (await call(domain, 'authConnections:list', { workspaceId, query: 'Product Catalog' })).connections[0]!;
    await record('keptConnections:adopt', {
      workspaceId,
      remoteConnectionId: catalog.connectionId,
      definition: { authType: 'bearer_auth', name: 'Adopted catalog', provider: 'c', token: canary('adoptedToken') },
    });
    await record('keptConnections:create', { definition: { ...all.bearer_auth, token: canary('duplicateName') } });
    await record('keptConnections:create', {
      definition: { ...all.custom_header_auth, name: 'Bad', headerName: 'bad name', token: canary('badHeader') },
    });
    await record('keptConnections:create', { definition: { ...all.mtls, name: 'Wrong pass', keyPassphrase: canary('wrongPassphrase') } });
    await record('keptConnections:list', { query: '' });
    for (const id of ids) await record('keptConnections:get', { id });
    await record('activity:list', { workspaceId: null, action: null, result: null, query: '', offset: 0, limit: 100 });
    await record('activity:export', { format: 'json', filter: { workspaceId: null, action: null, result: null, query: '' } });
    await record('keptConnections:delete', { id: ids[0]! });
    await domain.close();

    // Positive control: the parts were really kept (the connection deleted last took its one part with it).
    expect((await connectionAccounts()).length).toBe(1 + 1 + 1 + 1 + 1 + 4 + 1);
    // Each PEM text, as written and JSON-escaped, and its longest base64 line on its own.
    const needles = [
      ...canaries,
      ...pems.flatMap((pem) => [
        pem.trim(),
        JSON.stringify(pem.trim()).slice(1, -1),
        pem.split('\n').reduce((a, b) => (b.length > a.length ? b : a)),
      ]),
    ];
    const files = filesUnder(domain.paths.dataDir);
    expect(files.some((f) => f.endsWith('main.log'))).toBe(true);
    for (const file of files) {
      const content = fs.readFileSync(file).toString('latin1');
      for (const needle of needles) expect(content.includes(needle), `${needle.slice(0, 40)} in ${file}`).toBe(false);
    }
    expect(seen.length).toBeGreaterThan(25);
    for (const message of seen) {
      for (const needle of needles) expect(message.includes(needle), `${needle.slice(0, 40)} in ${message.slice(0, 200)}`).toBe(false);
    }
  });
});
