import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { jwtVerify, decodeProtectedHeader, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Issued, days, issue, makeCa } from '../../../../test/support/certificates';
import { OIDC_MACHINE_CLIENTS, startOidcServer, type RunningOidc } from '../../../../test/support/oidc-server';
import {
  CheckReportSchema,
  ConnectionDefinitionSchema,
  type ConnectionDefinition,
  type ConnectionDefinitionInput,
} from '../../../shared/schemas/connection-definitions';
import type { Logger } from '../../logging/logger';
import { JWT_BEARER_GRANT, checkConnection, type CheckOptions, type CheckReport } from './index';

// Each check against a real local server: oidc-provider for client credentials, a JWT-bearer
// token endpoint that verifies the assertion with jose, an https server that requires a client
// certificate, plain servers for header credentials, and hostile token URLs. Then canaries.

const RIGHT_SECRET = 'machine-secret-right-4f1c9a';
const SCOPES = ['api:read', 'api:write'];
const RECEIVED_TOKEN = 'received-access-token-77ac01d5e';

const servers: (http.Server | https.Server)[] = [];
let oidc: RunningOidc;

async function listen<T extends http.Server | https.Server>(server: T): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const scheme = server instanceof https.Server ? 'https' : 'http';
  return `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function readBody(request: http.IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of request) text += String(chunk);
  return text;
}

function json(response: http.ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

/** Parses and runs a check; parse failures fail the test, so every definition here is one the app would accept. */
function check(definition: ConnectionDefinitionInput, options: CheckOptions = {}): Promise<CheckReport> {
  return checkConnection(ConnectionDefinitionSchema.parse(definition) as ConnectionDefinition, options);
}

// ---- a token endpoint that records exactly what it was sent ----------------------------------
interface Recorded {
  method: string;
  headers: http.IncomingHttpHeaders;
  form: Record<string, string>;
}
let recorded: Recorded[] = [];
let recordingUrl: string;

// ---- a JWT-bearer token endpoint that verifies the assertion ---------------------------------
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const RSA_PEM = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const OTHER_RSA_PEM = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const HS_SECRET = 'a-shared-hmac-secret-for-the-jwt-check-0123';
let jwtUrl: string;
let verified: { header: Record<string, unknown>; payload: JWTPayload }[] = [];

// ---- https with a client certificate ---------------------------------------------------------
let root: Issued;
let client: Issued;
let strangerClient: Issued;
let mtlsUrl: string;

// ---- header credentials and hostile servers --------------------------------------------------
let probeUrl: string;
let hostileUrl: string;

beforeAll(async () => {
  oidc = await startOidcServer({ machine: { secret: RIGHT_SECRET, scopes: SCOPES } });

  recordingUrl = await listen(
    http.createServer(async (request, response) => {
      const body = await readBody(request);
      recorded.push({ method: request.method ?? '', headers: request.headers, form: Object.fromEntries(new URLSearchParams(body)) });
      json(response, 200, { access_token: RECEIVED_TOKEN, token_type: 'Bearer', expires_in: 3600, scope: 'a b' });
    }),
  );

  jwtUrl = await listen(
    http.createServer(async (request, response) => {
      const form = Object.fromEntries(new URLSearchParams(await readBody(request)));
      if (form.grant_type !== JWT_BEARER_GRANT || !form.assertion) {
        json(response, 400, { error: 'unsupported_grant_type' });
        return;
      }
      const header = decodeProtectedHeader(form.assertion);
      const key = String(header.alg).startsWith('RS') ? rsa.publicKey : new TextEncoder().encode(HS_SECRET);
      try {
        const { payload } = await jwtVerify(form.assertion, key, { issuer: 'agent-keyring', audience: `${jwtUrl}/token` });
        verified.push({ header: header as Record<string, unknown>, payload });
        json(response, 200, {
          access_token: RECEIVED_TOKEN,
          id_token: `${RECEIVED_TOKEN}-id`,
          token_type: 'Bearer',
          expires_in: 1800,
          scope: form.scope ?? '',
        });
      } catch {
        json(response, 400, { error: 'invalid_grant', error_description: 'assertion signature or claims invalid' });
      }
    }),
  );

  root = await makeCa('CN=Check Root CA');
  const stranger = await makeCa('CN=Stranger CA');
  const server = await issue(root, { subject: 'CN=127.0.0.1', serverAuth: true, ips: ['127.0.0.1'] });
  client = await issue(root, { subject: 'CN=agent-client, O=Acme', clientAuth: true, notAfter: days(200) });
  strangerClient = await issue(stranger, { subject: 'CN=stranger', clientAuth: true });
  mtlsUrl = await listen(
    https.createServer(
      { key: server.keyPem, cert: server.certPem, ca: root.certPem, requestCert: true, rejectUnauthorized: true },
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('hello, client');
      },
    ),
  );

  probeUrl = await listen(
    http.createServer((request, response) => {
      const ok =
        request.headers.authorization === `Basic ${Buffer.from('svc:right-password').toString('base64')}` ||
        request.headers.authorization === 'Bearer right-bearer-token' ||
        request.headers['x-api-key'] === 'right-header-token';
      // A hostile server repeats what it was sent, in the body and a header.
      response.writeHead(ok ? 200 : 401, { 'content-type': 'text/plain', 'x-echo': String(request.headers.authorization ?? '') });
      response.end(`you sent ${JSON.stringify(request.headers)}`);
    }),
  );

  hostileUrl = await listen(
    http.createServer(async (request, response) => {
      const path = request.url ?? '';
      if (path === '/redirect') {
        response.writeHead(302, { location: 'http://127.0.0.1:9/steal' });
        response.end();
      } else if (path === '/hang') {
        // Never answers.
      } else if (path === '/huge') {
        response.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(64 * 1024, 'a');
        let sent = 0;
        const pump = () => {
          while (sent < 20 * 1024 * 1024) {
            sent += chunk.length;
            if (!response.write(chunk)) return void response.once('drain', pump);
          }
          response.end();
        };
        pump();
      } else if (path === '/huge-declared') {
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(20 * 1024 * 1024) });
        response.write('{');
      } else if (path === '/trickle') {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.write('{"access_token":');
      } else if (path === '/echo') {
        // Echoes everything it received in an OAuth error, as a hostile or careless server might.
        const body = await readBody(request);
        json(response, 401, { error: 'invalid_client', error_description: `got ${body} with ${JSON.stringify(request.headers)}` });
      } else if (path === '/html') {
        response.writeHead(502, { 'content-type': 'text/html' });
        response.end('<h1>Bad gateway</h1>');
      }
    }),
  );
}, 60_000);

afterAll(async () => {
  await oidc?.close();
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const clientCredentials = (overrides: Partial<Record<string, unknown>> = {}) =>
  ({
    authType: 'oauth2_client_credentials',
    name: 'Machine',
    provider: 'oidc',
    clientId: OIDC_MACHINE_CLIENTS.post,
    tokenUrl: `${oidc.issuer}/token`,
    clientSecret: RIGHT_SECRET,
    scopes: SCOPES,
    ...overrides,
  }) as ConnectionDefinitionInput;

const jwtDefinition = (overrides: Partial<Record<string, unknown>> = {}) =>
  ({
    authType: 'oauth2_jwt',
    name: 'JWT',
    provider: 'local',
    issuer: 'agent-keyring',
    subject: 'service-account-7',
    audience: `${jwtUrl}/token`,
    tokenUrl: `${jwtUrl}/token`,
    algorithm: 'RS256',
    secretKey: RSA_PEM,
    ...overrides,
  }) as ConnectionDefinitionInput;

describe('OAuth2 client credentials', () => {
  it('gets a token from oidc-provider with the secret in the body, and says when it expires and what was granted', async () => {
    const report = await check(clientCredentials());
    expect(report.outcome).toBe('passed');
    expect(report.summary).toBe(`Token received from ${new URL(oidc.issuer).host}, expires in 3600 s, scopes granted: api:read api:write.`);
    expect(report.facts).toMatchObject({
      expiresInSeconds: 3600,
      scopesGranted: SCOPES,
      tokenType: 'Bearer',
      clientAuthentication: 'request_body',
    });
  });

  it('gets a token with the secret in a Basic header when basic_auth_in_header says so', async () => {
    const report = await check(clientCredentials({ clientId: OIDC_MACHINE_CLIENTS.basic, basicAuthInHeader: true, scopes: ['api:read'] }));
    expect(report.summary).toMatch(/^Token received .* scopes granted: api:read\.$/);
    expect(report.facts.clientAuthentication).toBe('basic_header');
    const wrongSecret = await check(
      clientCredentials({ clientId: OIDC_MACHINE_CLIENTS.basic, basicAuthInHeader: true, clientSecret: 'machine-secret-wrong-000000' }),
    );
    expect(wrongSecret.summary).toMatch(/HTTP 401: invalid_client/);
  });

  it('reports a wrong secret as the server said it, with a hint', async () => {
    const report = await check(clientCredentials({ clientSecret: 'machine-secret-wrong-000000' }));
    expect(report.outcome).toBe('failed');
    expect(report.summary).toMatch(/refused the token request with HTTP 401: invalid_client .*The client id or secret is wrong/);
    expect(JSON.stringify(report)).not.toContain('machine-secret-wrong-000000');
  });

  it('sends exactly what ElevenLabs sends: grant, credentials, scopes, extra params and custom headers', async () => {
    recorded = [];
    await check(
      clientCredentials({
        tokenUrl: `${recordingUrl}/oauth/token`,
        clientId: 'id with space',
        clientSecret: 's3cr:et/+',
        scopes: ['a', 'b'],
        extraParams: { audience: 'https://api.example.com', grant_type: 'password' },
        customHeaders: { 'X-Tenant': 'acme' },
      }),
    );
    await check(
      clientCredentials({
        tokenUrl: `${recordingUrl}/oauth/token`,
        clientId: 'id with space',
        clientSecret: 's3cr:et/+',
        basicAuthInHeader: true,
        scopes: [],
      }),
    );
    const [body, basic] = recorded;
    expect(body).toMatchObject({
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-tenant': 'acme' },
      // An extra parameter cannot replace the grant.
      form: {
        grant_type: 'client_credentials',
        client_id: 'id with space',
        client_secret: 's3cr:et/+',
        scope: 'a b',
        audience: 'https://api.example.com',
      },
    });
    expect(body!.headers.authorization).toBeUndefined();
    expect(basic!.form).toEqual({ grant_type: 'client_credentials' });
    expect(basic!.headers.authorization).toBe(`Basic ${Buffer.from('id+with+space:s3cr%3Aet%2F%2B').toString('base64')}`);
  });
});

describe('OAuth2 client credentials, header edge cases', () => {
  it('keeps its own content type and Basic credentials whatever custom headers say', async () => {
    recorded = [];
    await check(
      clientCredentials({
        tokenUrl: `${recordingUrl}/oauth/token`,
        basicAuthInHeader: true,
        customHeaders: { 'Content-Type': 'text/plain', Authorization: 'Bearer not-this', 'X-Tenant': 'acme' },
      }),
    );
    const [sent] = recorded;
    expect(sent!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(sent!.headers.authorization).toMatch(/^Basic [A-Za-z0-9+/=]+$/);
    expect(sent!.headers['x-tenant']).toBe('acme');
  });

  it('hides even a short secret that a server repeats', async () => {
    const report = await check(clientCredentials({ tokenUrl: `${hostileUrl}/echo`, clientSecret: 'abc12' }));
    expect(report.summary).toMatch(/client_secret=\[redacted\]/);
    expect(JSON.stringify(report)).not.toContain('abc12');
  });
});

describe('OAuth2 JWT', () => {
  it('signs an RS256 assertion that the token endpoint verifies, and reads the chosen token field', async () => {
    verified = [];
    const now = Date.now();
    const report = await check(
      jwtDefinition({ keyId: 'key-2026', expirationSeconds: 600, extraParams: { tenant: 't-1' }, scopes: ['read'] }),
    );
    expect(report.outcome).toBe('passed');
    expect(report.steps.map((s) => [s.label, s.outcome])).toEqual([
      ['Signing key', 'passed'],
      ['Assertion', 'passed'],
      ['Token request', 'passed'],
    ]);
    expect(report.summary).toMatch(/^Token received from .*, expires in 1800 s, scopes granted: read\.$/);
    const [{ header, payload }] = verified as [(typeof verified)[0]];
    expect(header).toMatchObject({ alg: 'RS256', kid: 'key-2026', typ: 'JWT' });
    expect(payload).toMatchObject({ iss: 'agent-keyring', sub: 'service-account-7', tenant: 't-1', jti: expect.any(String) });
    expect(payload.exp! - payload.iat!).toBe(600);
    expect(Math.abs(payload.iat! * 1000 - now)).toBeLessThan(5_000);

    const idToken = await check(jwtDefinition({ tokenResponseField: 'id_token' }));
    expect(idToken.summary).toMatch(/^ID token received/);
    expect(idToken.facts.tokenField).toBe('id_token');
  });

  it('signs with HS256 from a shared secret', async () => {
    const report = await check(jwtDefinition({ algorithm: 'HS256', secretKey: HS_SECRET }));
    expect(report.outcome).toBe('passed');
    expect(report.steps[0]!.detail).toBe(`shared secret of ${HS_SECRET.length} bytes, fits HS256.`);
  });

  it('reports an assertion the endpoint does not accept, and a key that does not fit the algorithm', async () => {
    const wrongKey = await check(jwtDefinition({ secretKey: OTHER_RSA_PEM }));
    expect(wrongKey.summary).toMatch(
      /HTTP 400: invalid_grant \(assertion signature or claims invalid\)\. The signed assertion was not accepted/,
    );
    const ecKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const notRsa = await check(jwtDefinition({ secretKey: ecKey }));
    expect(notRsa.summary).toBe('secretKey is a key of type ec, but RS256 needs an RSA key.');
    expect(notRsa.steps).toHaveLength(1);
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect((await check(jwtDefinition({ secretKey: small }))).summary).toBe(
      'secretKey is a 1024-bit RSA key; RS256 needs at least 2048 bits.',
    );
  });
});

describe('private key JWT', () => {
  it('signs a test token that verifies, for RS and HS keys', async () => {
    const base = { authType: 'private_key_jwt', name: 'PK', provider: 'p', issuer: 'i', audience: 'a', subject: 's' };
    const rs = await check({ ...base, algorithm: 'RS512', secretKey: RSA_PEM } as ConnectionDefinitionInput);
    expect(rs.outcome).toBe('passed');
    expect(rs.steps.map((s) => s.detail)).toEqual([
      'RSA 2048-bit key, fits RS512.',
      'Signed a test JWT with RS512 and verified it (issuer, subject, audience, expiry).',
    ]);
    const hs = await check({ ...base, algorithm: 'HS384', secretKey: HS_SECRET } as ConnectionDefinitionInput);
    expect(hs.outcome).toBe('passed');
    const garbled = await check({
      ...base,
      algorithm: 'RS256',
      secretKey: RSA_PEM.replace(/\n[A-Za-z0-9+/]{20}/, '\nAAAAAAAAAAAAAAAAAAAA'),
    } as ConnectionDefinitionInput);
    expect(garbled.outcome).toBe('failed');
    expect(garbled.summary).toBe('secretKey is not a valid private key: its PEM block does not decode.');
  });
});

describe('mTLS', () => {
  it('checks pair, passphrase, chain and expiry, then shakes hands with a server that requires the certificate', async () => {
    const report = await check(
      {
        authType: 'mtls',
        name: 'Bank',
        provider: 'bank',
        clientCertificate: client.certPem,
        clientKey: client.encryptedKeyPem('open sesame'),
        keyPassphrase: 'open sesame',
        caCertificate: root.certPem,
      },
      { probeUrl: `${mtlsUrl}/ping` },
    );
    expect(report.steps.map((s) => [s.label, s.outcome])).toEqual([
      ['Client certificate', 'passed'],
      ['Client key', 'passed'],
      ['Key and certificate', 'passed'],
      ['Chain', 'passed'],
      ['Validity', 'passed'],
      ['TLS handshake', 'passed'],
    ]);
    expect(report.outcome).toBe('passed');
    expect(report.steps[1]!.detail).toBe('EC 256-bit key, opened with the passphrase.');
    expect(report.facts).toMatchObject({
      subject: 'CN=agent-client, O=Acme',
      issuer: 'CN=Check Root CA',
      daysToExpiry: 199,
      keyType: 'ec',
      httpStatus: 200,
    });
    expect(report.summary).toMatch(/^127\.0\.0\.1:\d+ accepted the client certificate \(TLSv1\.3\) and answered HTTP 200\.$/);
  });

  it('reports a certificate the server does not trust, a wrong passphrase, a mismatched key and a near expiry', async () => {
    const stranger = await check(
      {
        authType: 'mtls',
        name: 'S',
        provider: 'p',
        clientCertificate: strangerClient.certPem,
        clientKey: strangerClient.keyPem,
        caCertificate: root.certPem,
      },
      { probeUrl: mtlsUrl },
    );
    expect(stranger.steps.find((s) => s.label === 'Chain')).toMatchObject({ outcome: 'failed' });
    expect(stranger.steps.find((s) => s.label === 'TLS handshake')).toMatchObject({
      outcome: 'failed',
      // TLS 1.3 sends the server's alert after the client's Finished: it is read, or the reset after it is.
      detail: expect.stringMatching(
        /does not trust the client certificate's issuer \(TLS alert: unknown CA\)|closed the connection during the TLS handshake; it may have refused the client certificate/,
      ),
    });

    const wrongPassphrase = await check({
      authType: 'mtls',
      name: 'W',
      provider: 'p',
      clientCertificate: client.certPem,
      clientKey: client.encryptedKeyPem('open sesame'),
      keyPassphrase: 'close sesame',
    });
    expect(wrongPassphrase.steps.find((s) => s.label === 'Client key')).toEqual({
      label: 'Client key',
      outcome: 'failed',
      detail: 'keyPassphrase does not open clientKey: the passphrase is wrong.',
    });

    const mismatched = await check(
      { authType: 'mtls', name: 'M', provider: 'p', clientCertificate: client.certPem, clientKey: strangerClient.keyPem },
      { probeUrl: mtlsUrl },
    );
    expect(mismatched.summary).toBe('clientKey does not belong to clientCertificate (CN=agent-client, O=Acme): they are not a pair.');
    expect(mismatched.steps.at(-1)).toMatchObject({ label: 'TLS handshake', outcome: 'skipped' });

    const soon = await issue(root, { subject: 'CN=soon', clientAuth: true, notAfter: days(10) });
    const expiring = await check({ authType: 'mtls', name: 'E', provider: 'p', clientCertificate: soon.certPem, clientKey: soon.keyPem });
    expect(expiring.outcome).toBe('warning');
    expect(expiring.summary).toMatch(/^The certificate expires in 9 days \(\d{4}-\d\d-\d\d\)\.$/);
    const expired = await check(
      { authType: 'mtls', name: 'X', provider: 'p', clientCertificate: soon.certPem, clientKey: soon.keyPem },
      { now: days(30) },
    );
    expect(expired.summary).toMatch(/^The certificate expired on /);
  });

  it("does not trust the server's private certificate without the CA, and never turns verification off", async () => {
    const withoutCa = await check(
      { authType: 'mtls', name: 'N', provider: 'p', clientCertificate: client.certPem, clientKey: client.keyPem },
      { probeUrl: mtlsUrl },
    );
    // No CA given: the server's private certificate is not trusted, and that is said.
    expect(withoutCa.steps.at(-1)).toMatchObject({
      label: 'TLS handshake',
      outcome: 'failed',
      detail: expect.stringMatching(/not trusted/),
    });
  });
});

describe('basic, bearer and custom header', () => {
  it('try the credentials on a URL the builder gives, reporting the status only', async () => {
    const basic = { authType: 'basic_auth', name: 'B', provider: 'p', username: 'svc', password: 'right-password' } as const;
    expect((await check(basic, { probeUrl })).summary).toBe(`${new URL(probeUrl).host} answered HTTP 200.`);
    const wrong = await check({ ...basic, password: 'wrong-password-123' }, { probeUrl });
    expect(wrong).toMatchObject({
      outcome: 'failed',
      summary: `${new URL(probeUrl).host} answered HTTP 401: it did not accept the credentials.`,
    });
    // The hostile server echoed the credentials in its body and a header; neither is read or shown.
    expect(JSON.stringify(wrong)).not.toMatch(/wrong-password|d3Jvbmct/);

    const bearer = { authType: 'bearer_auth', name: 'T', provider: 'p', token: 'right-bearer-token' } as const;
    expect((await check(bearer, { probeUrl })).outcome).toBe('passed');
    const header = {
      authType: 'custom_header_auth',
      name: 'H',
      provider: 'p',
      headerName: 'X-Api-Key',
      token: 'right-header-token',
    } as const;
    expect((await check(header, { probeUrl })).outcome).toBe('passed');
    expect((await check({ ...header, headerName: 'X-Other' }, { probeUrl })).outcome).toBe('failed');

    const skipped = await check(bearer);
    expect(skipped).toMatchObject({ outcome: 'passed', steps: [{ label: 'Request', outcome: 'skipped' }] });
    const plainHttp = await check(bearer, { probeUrl: 'http://example.com/' });
    expect(plainHttp.summary).toBe('probeUrl must use https (plain http is only allowed for 127.0.0.1 or localhost).');
  });
});

describe('hostile token URLs', () => {
  const DEADLINE = 1_500;
  const timed = async (path: string) => {
    const started = Date.now();
    const report = await check(clientCredentials({ tokenUrl: `${hostileUrl}${path}` }), { deadlineMs: DEADLINE });
    return { report, elapsed: Date.now() - started };
  };
  const host = () => new URL(hostileUrl).host;

  it('refuses a redirect without following it', async () => {
    const { report } = await timed('/redirect');
    expect(report.summary).toBe(
      `${host()} answered with a redirect (HTTP 302). It was not followed: credentials are never sent to another address. Use the final URL.`,
    );
  });

  it('gives up on one that hangs, or trickles, at the deadline', async () => {
    for (const path of ['/hang', '/trickle']) {
      const { report, elapsed } = await timed(path);
      expect(report.summary).toBe(`${host()} did not answer within 1.5 s.`);
      expect(elapsed).toBeGreaterThanOrEqual(DEADLINE - 50);
      expect(elapsed).toBeLessThan(DEADLINE + 2_000);
    }
  });

  it('refuses a 20 MB answer, declared or not, without reading it all', async () => {
    for (const path of ['/huge', '/huge-declared']) {
      const { report, elapsed } = await timed(path);
      expect(report.summary).toBe(`${host()} answered with more than 1024 KiB; that is not a token response.`);
      expect(elapsed).toBeLessThan(DEADLINE);
    }
  });

  it('describes an answer that is not JSON, and a server that is not there', async () => {
    const { report } = await timed('/html');
    expect(report.summary).toBe(`${host()} refused the token request with HTTP 502 (text/html).`);
    // A port that was free a moment ago: nothing listens there.
    const spare = http.createServer();
    await new Promise<void>((resolve) => spare.listen(0, '127.0.0.1', resolve));
    const { port } = spare.address() as AddressInfo;
    await new Promise((resolve) => spare.close(resolve));
    const closed = await check(clientCredentials({ tokenUrl: `http://127.0.0.1:${port}/token` }));
    expect(closed.summary).toBe(`Could not reach 127.0.0.1:${port}: the connection was refused.`);
    // A port fetch never tries is refused with the definition, naming the field, before any check.
    const blocked = ConnectionDefinitionSchema.safeParse(clientCredentials({ tokenUrl: 'http://127.0.0.1:10080/token' }));
    expect(blocked.error?.issues).toEqual([
      expect.objectContaining({ path: ['tokenUrl'], message: expect.stringMatching(/^uses port 10080/) }),
    ]);
  });
});

describe('canaries', () => {
  it('never shows a planted secret, a derived credential or a received token in any report or log', async () => {
    const canary = (field: string) => `canary-${field}-5be1d0c7a9`;
    const lines: string[] = [];
    const logger: Logger = {
      info: (message, fields) => lines.push(JSON.stringify({ message, ...fields })),
      warn: (message, fields) => lines.push(JSON.stringify({ message, ...fields })),
      error: (message, fields) => lines.push(JSON.stringify({ message, ...fields })),
    };
    const echo = `${hostileUrl}/echo`;
    const encryptedKey = client.encryptedKeyPem(canary('keyPassphrase'));
    const runs: [ConnectionDefinitionInput, CheckOptions][] = [
      [clientCredentials({ tokenUrl: echo, clientSecret: canary('clientSecret') }), {}],
      [clientCredentials({ tokenUrl: echo, clientSecret: canary('clientSecret'), basicAuthInHeader: true }), {}],
      [clientCredentials({ tokenUrl: `${recordingUrl}/t`, clientSecret: canary('clientSecret') }), {}],
      [jwtDefinition({ tokenUrl: echo, algorithm: 'HS256', secretKey: canary('secretKey-hs') }), {}],
      [jwtDefinition({ tokenUrl: echo }), {}],
      [jwtDefinition({ algorithm: 'HS256', secretKey: HS_SECRET }), {}],
      [
        {
          authType: 'private_key_jwt',
          name: 'P',
          provider: 'p',
          issuer: 'i',
          audience: 'a',
          subject: 's',
          secretKey: canary('secretKey-pk'),
        },
        {},
      ],
      [
        {
          authType: 'private_key_jwt',
          name: 'P',
          provider: 'p',
          issuer: 'i',
          audience: 'a',
          subject: 's',
          algorithm: 'RS256',
          secretKey: RSA_PEM,
        },
        {},
      ],
      [{ authType: 'basic_auth', name: 'B', provider: 'p', username: 'svc', password: canary('password') }, { probeUrl }],
      [{ authType: 'bearer_auth', name: 'T', provider: 'p', token: canary('bearer') }, { probeUrl }],
      [{ authType: 'custom_header_auth', name: 'H', provider: 'p', headerName: 'X-Api-Key', token: canary('header') }, { probeUrl }],
      [
        {
          authType: 'mtls',
          name: 'M',
          provider: 'p',
          clientCertificate: client.certPem,
          clientKey: encryptedKey,
          keyPassphrase: canary('keyPassphrase'),
          caCertificate: root.certPem,
        },
        { probeUrl: mtlsUrl },
      ],
      [
        {
          authType: 'mtls',
          name: 'M',
          provider: 'p',
          clientCertificate: client.certPem,
          clientKey: encryptedKey,
          keyPassphrase: canary('wrong'),
        },
        {},
      ],
    ];
    const reports: CheckReport[] = [];
    for (const [definition, options] of runs) reports.push(await check(definition, { ...options, logger }));
    // Every report is what the contract says (so it can cross IPC as it is).
    for (const report of reports) expect(CheckReportSchema.parse(report)).toEqual(report);
    // The echo server did repeat the secrets: the reports had something to hide.
    expect(reports[0]!.summary).toMatch(/\[redacted\]/);
    const output = JSON.stringify(reports) + lines.join('\n');
    expect(lines).toHaveLength(runs.length);
    expect(output).not.toMatch(/canary-/);
    expect(output).not.toContain(RECEIVED_TOKEN);
    expect(output).not.toContain(Buffer.from(`${OIDC_MACHINE_CLIENTS.post}:${canary('clientSecret')}`).toString('base64'));
    // PEM material: no line of any key or certificate body.
    for (const pem of [RSA_PEM, encryptedKey, client.keyPem, client.certPem, root.certPem]) {
      for (const line of pem.split('\n').filter((l) => l.length >= 16 && !l.startsWith('-----'))) expect(output).not.toContain(line);
    }
    // And no signed assertion (three base64url parts).
    expect(output).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]+/);
  });
});
