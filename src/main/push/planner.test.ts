import { describe, expect, it } from 'vitest';
import type { LocalSecretRecord, RemoteSecretRecord, TargetRecord } from '../local-secrets/local-secret-repository';
import type {
  KeptConnectionRecord,
  KeptConnectionTargetRecord,
  RemoteConnectionRecord,
} from '../auth-connections/kept-connection-repository';
import { computeConnectionPlan, computePlan, type ConnectionPlanScope, type PlanScope } from './planner';

// The planner's reasons must be true: each case is the state the app would be in, from SQLite alone.

const secret: LocalSecretRecord = {
  id: 'l1',
  name: 'TWILIO_AUTH_TOKEN',
  note: '',
  tags: [],
  valueRef: 'ref',
  previousValueRef: null,
  fingerprint: 'fp-now',
  previousFingerprint: null,
  createdAt: 1,
  updatedAt: 1,
  valueChangedAt: 1,
  linkedAccountId: null,
};
const target = (over: Partial<TargetRecord>): TargetRecord => ({
  localSecretId: 'l1',
  workspaceId: 'w1',
  remoteName: null,
  remoteSecretId: null,
  pushedFingerprint: null,
  pushedName: null,
  pushedAt: null,
  ...over,
});
const remote = (over: Partial<RemoteSecretRecord>): RemoteSecretRecord => ({
  workspaceId: 'w1',
  secretId: 'r1',
  name: 'TWILIO_AUTH_TOKEN',
  removed: false,
  dependantCount: 3,
  agentCount: 1,
  counts: { agents: 1, tools: 0, phoneNumbers: 2, mcpServers: 0, others: 0 },
  ...over,
});
const scope: PlanScope = { secretIds: new Set(['l1']), workspaceIds: null, force: false, deletions: [] };
const plan = (targets: TargetRecord[], remotes: RemoteSecretRecord[]) => computePlan({ secrets: [secret], targets, remotes, scope });

describe('computePlan reasons', () => {
  it('an adopted secret not pushed since is taken over, not "the value changed"', () => {
    const [item] = plan([target({ remoteSecretId: 'r1' })], [remote({})]);
    expect(item).toMatchObject({ action: 'update', reasons: ['adopted'], remoteSecretId: 'r1' });
  });

  it('an adopted secret once pushed is unchanged until its value changes', () => {
    const pushed = { remoteSecretId: 'r1', pushedFingerprint: 'fp-now', pushedName: 'TWILIO_AUTH_TOKEN', pushedAt: 5 };
    expect(plan([target(pushed)], [remote({})])[0]).toMatchObject({ action: 'unchanged', reasons: [] });
    expect(plan([target({ ...pushed, pushedFingerprint: 'fp-old' })], [remote({})])[0]).toMatchObject({
      action: 'update',
      reasons: ['value_changed'],
    });
  });

  it('a pushed secret deleted in the dashboard since is recreated, and says so', () => {
    const pushed = { remoteSecretId: 'r1', pushedFingerprint: 'fp-now', pushedName: 'TWILIO_AUTH_TOKEN', pushedAt: 5 };
    const [item] = plan([target(pushed)], [remote({ removed: true })]);
    expect(item).toMatchObject({ action: 'create', reasons: ['removed_remotely'], newName: 'TWILIO_AUTH_TOKEN' });
  });

  it('a never-pushed target is a plain create; one of the same name made in the dashboard is taken over', () => {
    expect(plan([target({})], [])[0]).toMatchObject({ action: 'create', reasons: [] });
    expect(plan([target({})], [remote({ secretId: 'r9' })])[0]).toMatchObject({
      action: 'update',
      reasons: ['takes_over_existing'],
      remoteSecretId: 'r9',
    });
  });

  it('deleted in the dashboard and made again there under the same name: both reasons', () => {
    const pushed = { remoteSecretId: 'r1', pushedFingerprint: 'fp-now', pushedName: 'TWILIO_AUTH_TOKEN', pushedAt: 5 };
    const [item] = plan([target(pushed)], [remote({ removed: true }), remote({ secretId: 'r2' })]);
    expect(item).toMatchObject({ action: 'update', reasons: ['removed_remotely', 'takes_over_existing'], remoteSecretId: 'r2' });
  });
});

// ---- connections kept here: the same engine, one more action (replace) ----------------------

const bearer: KeptConnectionRecord = {
  id: 'k1',
  name: 'Catalog bearer',
  authType: 'bearer_auth',
  publicFields: { provider: 'catalog' },
  fingerprint: 'cfp-now',
  pem: null,
  certificateNotAfter: null,
  createdAt: 1,
  updatedAt: 1,
  secretsChangedAt: 1,
};
const client: KeptConnectionRecord = {
  ...bearer,
  id: 'k2',
  name: 'CRM client',
  authType: 'oauth2_client_credentials',
  publicFields: { provider: 'crm', clientId: 'c1', tokenUrl: 'https://crm.example/token', scopes: ['api'] },
};
const mtls: KeptConnectionRecord = { ...bearer, id: 'k3', name: 'Bank mTLS', authType: 'mtls', publicFields: { provider: 'bank' } };
const connectionTarget = (connection: KeptConnectionRecord, over: Partial<KeptConnectionTargetRecord>): KeptConnectionTargetRecord => ({
  keptConnectionId: connection.id,
  workspaceId: 'w1',
  remoteName: null,
  remoteConnectionId: null,
  pushedFingerprint: null,
  pushedName: null,
  pushedFields: null,
  pushedAt: null,
  ...over,
});
const pushedAs = (connection: KeptConnectionRecord, remoteConnectionId = 'c-r1') => ({
  remoteConnectionId,
  pushedFingerprint: connection.fingerprint,
  pushedName: connection.name,
  pushedFields: { authType: connection.authType, ...connection.publicFields },
  pushedAt: 5,
});
const remoteConnection = (connection: KeptConnectionRecord, over: Partial<RemoteConnectionRecord> = {}): RemoteConnectionRecord => ({
  workspaceId: 'w1',
  connectionId: 'c-r1',
  name: connection.name,
  authType: connection.authType,
  provider: (connection.publicFields.provider as string) ?? null,
  status: 'active',
  details: {},
  usedBy: { tools: [], mcpServers: [], integrationConnections: [] },
  removed: false,
  ...over,
});
const connectionScope: ConnectionPlanScope = { connectionIds: null, workspaceIds: null, force: false, deletions: [] };
const planConnections = (
  connections: KeptConnectionRecord[],
  targets: KeptConnectionTargetRecord[],
  remotes: RemoteConnectionRecord[],
  over: Partial<ConnectionPlanScope> = {},
) => computeConnectionPlan({ connections, targets, remotes, scope: { ...connectionScope, ...over } });

describe('computeConnectionPlan', () => {
  it('creates where missing, then leaves a pushed connection alone until something changes here', () => {
    expect(planConnections([bearer], [connectionTarget(bearer, {})], [])).toEqual([
      expect.objectContaining({ kind: 'connection', action: 'create', keptConnectionId: 'k1', newName: 'Catalog bearer', reasons: [] }),
    ]);
    const pushed = connectionTarget(bearer, pushedAs(bearer));
    expect(planConnections([bearer], [pushed], [remoteConnection(bearer)])[0]).toMatchObject({ action: 'unchanged', reasons: [] });
  });

  it('updates in place what the API can update: the secret parts, a list; never the name', () => {
    const pushed = connectionTarget(client, pushedAs(client));
    const changed = { ...client, fingerprint: 'cfp-new', publicFields: { ...client.publicFields, scopes: ['api', 'refresh'] } };
    expect(planConnections([changed], [pushed], [remoteConnection(client)])[0]).toMatchObject({
      action: 'update',
      reasons: ['value_changed', 'fields_changed'],
      changes: ['secrets', 'scopes'],
      remoteConnectionId: 'c-r1',
    });
  });

  it('plans a replace for what the API cannot change in place: the name, the token URL, any change to a type it cannot update', () => {
    const renamed = { ...client, name: 'CRM client v2' };
    expect(planConnections([renamed], [connectionTarget(client, pushedAs(client))], [remoteConnection(client)])[0]).toMatchObject({
      action: 'replace',
      reasons: ['renamed'],
      remoteName: 'CRM client',
      newName: 'CRM client v2',
    });
    const moved = { ...client, publicFields: { ...client.publicFields, tokenUrl: 'https://crm.example/v2/token' } };
    expect(planConnections([moved], [connectionTarget(client, pushedAs(client))], [remoteConnection(client)])[0]).toMatchObject({
      action: 'replace',
      changes: ['tokenUrl'],
    });
    const rekeyed = { ...mtls, fingerprint: 'cfp-new' };
    expect(planConnections([rekeyed], [connectionTarget(mtls, pushedAs(mtls))], [remoteConnection(mtls)])[0]).toMatchObject({
      action: 'replace',
      reasons: ['value_changed', 'not_updatable'],
    });
  });

  it('a removed list is emptied by an update; a removed setting needs a replace', () => {
    const withKid = { ...client, publicFields: { ...client.publicFields, keyId: 'k' } };
    const pushedWithKid = connectionTarget(client, pushedAs(withKid));
    expect(planConnections([client], [pushedWithKid], [remoteConnection(client)])[0]).toMatchObject({ action: 'replace' });
    const { scopes: _scopes, ...noScopes } = client.publicFields;
    expect(
      planConnections([{ ...client, publicFields: noScopes }], [connectionTarget(client, pushedAs(client))], [remoteConnection(client)])[0],
    ).toMatchObject({ action: 'update', changes: ['scopes'] });
  });

  it('an adopted connection: updated in place when the API can, replaced when it cannot', () => {
    expect(
      planConnections([bearer], [connectionTarget(bearer, { remoteConnectionId: 'c-r1' })], [remoteConnection(bearer)])[0],
    ).toMatchObject({ action: 'update', reasons: ['adopted'] });
    expect(planConnections([mtls], [connectionTarget(mtls, { remoteConnectionId: 'c-r1' })], [remoteConnection(mtls)])[0]).toMatchObject({
      action: 'replace',
      reasons: ['adopted', 'not_updatable'],
    });
  });

  it('a dashboard connection of the same name and type is taken over; one of another type is not', () => {
    const dashboard = remoteConnection(bearer, { connectionId: 'c-dash' });
    expect(planConnections([bearer], [connectionTarget(bearer, {})], [dashboard])[0]).toMatchObject({
      action: 'update',
      reasons: ['takes_over_existing'],
      remoteConnectionId: 'c-dash',
    });
    const otherType = remoteConnection(bearer, { connectionId: 'c-dash', authType: 'basic_auth' });
    expect(planConnections([bearer], [connectionTarget(bearer, {})], [otherType])[0]).toMatchObject({ action: 'create' });
  });

  it('puts back a definition changed in the dashboard where it can, and recreates one deleted there', () => {
    const pushed = connectionTarget(client, pushedAs(client));
    const drifted = remoteConnection(client, { details: { clientId: 'someone-else' } });
    expect(planConnections([client], [pushed], [drifted])[0]).toMatchObject({
      action: 'update',
      reasons: ['changed_remotely'],
      changes: ['clientId'],
    });
    expect(planConnections([client], [pushed], [remoteConnection(client, { removed: true })])[0]).toMatchObject({
      action: 'create',
      reasons: ['removed_remotely'],
    });
  });

  it('deletes only what was asked, lists the rest as remote-only, and plans only the connections named', () => {
    const other = remoteConnection(bearer, { connectionId: 'c-other', name: 'Made in the dashboard' });
    const items = planConnections([bearer], [connectionTarget(bearer, pushedAs(bearer))], [remoteConnection(bearer), other], {
      deletions: [{ workspaceId: 'w1', remoteConnectionId: 'c-r1' }],
    });
    expect(items.map((i) => [i.action, i.remoteConnectionId])).toEqual([
      ['delete', 'c-r1'],
      ['remote_only', 'c-other'],
    ]);
    expect(
      planConnections([bearer, client], [connectionTarget(bearer, {}), connectionTarget(client, {})], [], {
        connectionIds: new Set(['k2']),
      }).map((i) => i.keptConnectionId),
    ).toEqual(['k2']);
  });
});
