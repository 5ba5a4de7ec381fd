import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { days, issue, makeCa, type Issued } from '../../../test/support/certificates';
import { buildDomain, call, clearKeychainService, removeTempDirs, testKeychainService } from '../../../test/support/harness';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import type { ReviewItem } from '../../shared/schemas/review';
import type { Domain } from '../app/composition';
import { KeptConnectionRepository } from '../auth-connections/kept-connection-repository';
import { publicDefinitionOf } from '../auth-connections/kept-connection-rules';

// Review's auth-connection items, through the dispatcher as the renderer asks, with the real
// keychain and SQLite and two workspaces on the emulator: a demo-seeded one (a connection whose
// credentials are invalid, one nothing uses, read-only integration and Slack ones) and a
// bench-seeded one (a revoked one, an unused WhatsApp connection). Each kind is shown with what
// must NOT be flagged beside it.

const STAGING = 'sk_review_conn_staging_01';
const BENCH = 'sk_review_conn_bench_0001';
const DAY = 24 * 60 * 60 * 1000;
const keychainService = testKeychainService();
let emulator: RunningEmulator;
let domain: Domain;
let staging: string;
let bench: string;
let root: Issued;

beforeAll(async () => {
  await clearKeychainService(keychainService);
  emulator = await startEmulator({
    keys: [
      { key: STAGING, seed: 'demo' },
      { key: BENCH, seed: 'bench:3' },
    ],
  });
  domain = buildDomain({ keychainService });
  staging = await addWorkspace('Staging', STAGING);
  bench = await addWorkspace('Bench', BENCH);
  await sync();
  root = await makeCa('CN=Review Root CA');
});

afterAll(async () => {
  await domain.close();
  await emulator.close();
  await clearKeychainService(keychainService);
  removeTempDirs();
});

async function addWorkspace(label: string, apiKey: string): Promise<string> {
  const added = await call(domain, 'workspaces:add', { label, residency: 'custom', baseUrl: emulator.url, apiKey });
  if (added.outcome !== 'saved') throw new Error(added.outcome);
  return added.workspace.id;
}
const sync = () => call(domain, 'inventory:sync', { workspaceIds: [] });
const review = async () => (await call(domain, 'review:list', { rotationDays: 90 })).items;
const ofKind = async (kind: ReviewItem['kind']) => (await review()).filter((item) => item.kind === kind);

/** The emulator's own API, as the dashboard would change things behind the app's back. */
async function api(key: string, method: string, path = '', body?: unknown): Promise<unknown> {
  const response = await fetch(`${emulator.url}/v1/workspace/auth-connections${path}`, {
    method,
    headers: { 'xi-api-key': key, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  expect(response.ok, `${method} ${path}`).toBe(true);
  return response.json();
}
async function remoteId(key: string, name: string): Promise<string> {
  const { auth_connections } = (await api(key, 'GET')) as { auth_connections: { id: string; name: string }[] };
  const found = auth_connections.find((c) => c.name === name);
  if (!found) throw new Error(`no ${name}`);
  return found.id;
}

/** An mTLS definition whose client certificate (signed by `ca`) ends at `notAfter`. */
async function mtls(name: string, options: { notAfter: Date; ca?: Issued }) {
  const ca = options.ca ?? root;
  const client = await issue(ca, { subject: `CN=${name}`, clientAuth: true, notBefore: days(-60), notAfter: options.notAfter });
  return {
    authType: 'mtls' as const,
    name,
    provider: 'bank',
    clientCertificate: client.certPem,
    clientKey: client.keyPem,
    caCertificate: ca.certPem,
  };
}

describe('Review: synced auth connections', () => {
  it('lists a connection whose status is revoked, refresh_failed or credential_invalid, quoting what ElevenLabs said cut at a word, and not an active one', async () => {
    const calendar = await remoteId(STAGING, 'Google Calendar (Avery)');
    const long = `The provider refused the refresh:\n${'invalid_grant '.repeat(30)}end`;
    emulator.setAuthConnectionStatus(STAGING, { authConnectionId: calendar, status: 'refresh_failed', statusDetail: long });
    await sync();
    const failing = await ofKind('connection_failing');
    expect(failing.map((item) => [item.name, item.workspaceIds])).toEqual(
      expect.arrayContaining([
        ['Google Calendar (Avery)', [staging]],
        ['Legacy billing API', [staging]],
        ['Legacy basic', [bench]],
      ]),
    );
    expect(failing).toHaveLength(3);
    const byName = (name: string) => failing.find((item) => item.name === name)!;
    expect(byName('Legacy billing API')).toMatchObject({
      remoteConnectionId: await remoteId(STAGING, 'Legacy billing API'),
      keptConnectionId: null,
      detail:
        'ElevenLabs found its credentials invalid (status credential_invalid): ElevenLabs said “The billing API answered 401 Unauthorized with these credentials.”. Keep it here with working credentials and push it, or mend it in the dashboard.',
    });
    expect(byName('Legacy basic').detail).toBe(
      'It was revoked (status revoked). Keep it here with working credentials and push it, or mend it in the dashboard.',
    );
    // Server text: one line, cut at a word with an ellipsis, and a read-only type is mended where it was made.
    const calendarDetail = byName('Google Calendar (Avery)').detail;
    expect(calendarDetail).toMatch(
      /^ElevenLabs could not refresh its token \(status refresh_failed\): ElevenLabs said “The provider refused the refresh: invalid_grant/,
    );
    expect(calendarDetail).toMatch(/invalid_grant…”\. Sign it in again where it was made, in the ElevenLabs dashboard\.$/);
    expect(calendarDetail).not.toContain('\n');
    expect(calendarDetail).not.toContain('end”');
    // Active ones (Salesforce API, the catalog, the forecast, the Slack bot) are not listed.
    expect(failing.map((item) => item.name)).not.toContain('Salesforce API');
  });

  it('lists a connection nothing uses, only of the types the API makes: not a read-only integration one, not one in use', async () => {
    const unused = await ofKind('connection_unused');
    expect(unused.map((item) => `${item.name} @ ${item.workspaceIds[0] === staging ? 'Staging' : 'Bench'}`).sort()).toEqual([
      'Catalog bearer @ Bench',
      'Legacy basic @ Bench',
      'Legacy billing API @ Staging',
    ]);
    expect(unused[0]!.detail).toBe('No tool or MCP server uses it, as of the last sync.');
    // The unused WhatsApp connection of the bench workspace is managed elsewhere: not flagged.
    expect((await review()).some((item) => item.name === 'WhatsApp Business')).toBe(false);
  });

  it('looks only at the workspaces Review is set to look at', async () => {
    await call(domain, 'settings:update', { reviewWorkspaces: { [bench]: false } });
    const items = (await review()).filter((item) => item.kind === 'connection_unused' || item.kind === 'connection_failing');
    expect(items.every((item) => item.workspaceIds[0] === staging)).toBe(true);
    await call(domain, 'settings:update', { reviewWorkspaces: { [bench]: true } });
  });
});

describe('Review: connections kept here', () => {
  it('lists a certificate that ends within 30 days or has ended, with its date and days left, and not one 31+ days out', async () => {
    const soon = await call(domain, 'keptConnections:create', {
      definition: await mtls('Soon mTLS', { notAfter: new Date(Date.now() + 12 * DAY + 3_600_000) }),
      targets: [{ workspaceId: staging, remoteName: null }],
    });
    const expired = await call(domain, 'keptConnections:create', {
      definition: await mtls('Expired mTLS', { notAfter: new Date(Date.now() - 3 * DAY - 3_600_000) }),
    });
    await call(domain, 'keptConnections:create', { definition: await mtls('Later mTLS', { notAfter: days(45) }) });
    // A CA ending in 20 days, its client certificate in 200: the CA is what is listed.
    const shortCa = await issue(root, { subject: 'CN=Short-lived CA', ca: true, notBefore: days(-60), notAfter: days(20) });
    await call(domain, 'keptConnections:create', { definition: await mtls('CA ends mTLS', { notAfter: days(200), ca: shortCa }) });

    const expiring = await ofKind('certificate_expiring');
    expect(expiring.map((item) => item.name).sort()).toEqual(['CA ends mTLS', 'Expired mTLS', 'Soon mTLS']);
    const byName = (name: string) => expiring.find((item) => item.name === name)!;
    const date = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const soonAt = soon.pem!.certificate!.notAfter;
    expect(byName('Soon mTLS')).toMatchObject({
      keptConnectionId: soon.id,
      workspaceIds: [staging],
      since: soonAt,
      detail: `Its client certificate (CN=Soon mTLS) expires on ${date(soonAt)}, in 12 days. Give a new one in Edit, then push it.`,
    });
    expect(byName('Expired mTLS')).toMatchObject({ keptConnectionId: expired.id, workspaceIds: [] });
    expect(byName('Expired mTLS').detail).toMatch(/^Its client certificate \(CN=Expired mTLS\) expired on \d{4}-\d\d-\d\d, 3 days ago\./);
    expect(byName('CA ends mTLS').detail).toMatch(/^Its CA certificate \(CN=Short-lived CA\) expires on \d{4}-\d\d-\d\d, in 19 days\./);
  });

  it('lists a kept connection missing in a target it was pushed to, and one changed in the dashboard (naming the fields); not one in step', async () => {
    const kept = new KeptConnectionRepository(domain.db);
    // Two dashboard connections kept here, recorded as pushed the way the push engine records a push.
    const pushed = async (name: string, definition: Parameters<typeof call<'keptConnections:adopt'>>[2]['definition']) => {
      const remoteConnectionId = await remoteId(STAGING, name);
      const connection = await call(domain, 'keptConnections:adopt', { workspaceId: staging, remoteConnectionId, definition });
      const record = kept.find(connection.id)!;
      kept.recordPushed(connection.id, staging, {
        remoteConnectionId,
        fingerprint: record.fingerprint,
        name,
        fields: publicDefinitionOf(record),
        at: Date.now(),
      });
      return { id: connection.id, remoteConnectionId };
    };
    const catalog = await pushed('Product Catalog gateway', {
      authType: 'bearer_auth',
      name: 'Product Catalog gateway',
      provider: 'catalog-gateway',
      token: 'review-catalog-token-01',
    });
    const billing = await pushed('Legacy billing API', {
      authType: 'basic_auth',
      name: 'Legacy billing API',
      provider: 'billing-legacy',
      username: 'svc-voice-agent',
      password: 'review-billing-pw-0001',
    });
    await sync();
    // In step: nothing about them yet.
    expect(
      (await review()).filter((item) => item.kind === 'kept_connection_missing' || item.kind === 'connection_changed_remotely'),
    ).toEqual([]);

    // In the dashboard: the catalog's provider changed, the billing connection deleted.
    await api(STAGING, 'PATCH', `/${catalog.remoteConnectionId}`, { auth_type: 'bearer_auth', provider: 'catalog-v2' });
    await api(STAGING, 'DELETE', `/${billing.remoteConnectionId}`);
    await sync();

    expect(await ofKind('kept_connection_missing')).toEqual([
      expect.objectContaining({
        name: 'Legacy billing API',
        keptConnectionId: billing.id,
        workspaceIds: [staging],
        detail: 'Pushed to “Staging”, where the last sync no longer found it. A push creates it again.',
      }),
    ]);
    expect(await ofKind('connection_changed_remotely')).toEqual([
      expect.objectContaining({
        name: 'Product Catalog gateway',
        keptConnectionId: catalog.id,
        remoteConnectionId: catalog.remoteConnectionId,
        workspaceIds: [staging],
        detail:
          'Differs from the definition kept here: provider in “Staging” (changed in the dashboard since the last push). A push sets it back, or edit the definition here to match.',
      }),
    ]);
    // The synced connection kept here is tied to its kept connection in its other items too.
    expect(
      (await review()).filter((item) => item.remoteConnectionId === catalog.remoteConnectionId && item.keptConnectionId !== catalog.id),
    ).toEqual([]);
  });
});
