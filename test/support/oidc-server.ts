// A real OAuth 2 / OpenID Connect server for tests (oidc-provider), run in-process or as a
// program (`tsx test/support/oidc-server.ts --port 0 --ttl 5`, which prints `listening on URL`).
// Its development login and consent pages accept any login and are driven by Playwright.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export const OIDC_CLIENT_ID = 'agent-keyring-desktop';

export interface RunningOidc {
  issuer: string;
  /** Token endpoint requests by grant type, and refresh tokens presented twice. */
  counts: { authorization_code: number; refresh_token: number; reuse: number; revoked: number };
  /** Takes the server off the network (the provider is "down") and back on the same port. */
  stop(): Promise<void>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** A second client, confidential: it authenticates with this secret (client_secret_post). */
export const OIDC_CONFIDENTIAL_CLIENT_ID = 'agent-keyring-confidential';

/** Machine clients (client_credentials grant), one per way of sending the secret. */
export const OIDC_MACHINE_CLIENTS = { post: 'agent-keyring-machine-post', basic: 'agent-keyring-machine-basic' } as const;

export async function startOidcServer(
  options: {
    port?: number;
    accessTokenTtl?: number;
    confidentialSecret?: string;
    /** Adds the client_credentials grant and the two machine clients, with this secret and these scopes. */
    machine?: { secret: string; scopes: string[] };
  } = {},
): Promise<RunningOidc> {
  const { default: Provider } = await import('oidc-provider');
  const counts = { authorization_code: 0, refresh_token: 0, reuse: 0, revoked: 0 };
  let server = http.createServer();
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: OIDC_CLIENT_ID,
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        // Loopback redirect URIs match whatever the port (RFC 8252 §7.3).
        redirect_uris: ['http://127.0.0.1/callback/custom'],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
      {
        client_id: OIDC_CONFIDENTIAL_CLIENT_ID,
        client_secret: options.confidentialSecret ?? 'confidential-test-secret',
        application_type: 'native',
        token_endpoint_auth_method: 'client_secret_post',
        redirect_uris: ['http://127.0.0.1/callback/custom'],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
      ...(options.machine
        ? (['post', 'basic'] as const).map((method) => ({
            client_id: OIDC_MACHINE_CLIENTS[method],
            client_secret: options.machine!.secret,
            token_endpoint_auth_method: method === 'post' ? 'client_secret_post' : 'client_secret_basic',
            grant_types: ['client_credentials'],
            response_types: [],
            redirect_uris: [],
            scope: options.machine!.scopes.join(' '),
          }))
        : []),
    ],
    ttl: {
      AccessToken: options.accessTokenTtl ?? 3600,
      ClientCredentials: options.accessTokenTtl ?? 3600,
      RefreshToken: 24 * 3600,
      Grant: 24 * 3600,
    },
    features: { revocation: { enabled: true }, ...(options.machine ? { clientCredentials: { enabled: true } } : {}) },
    scopes: ['openid', 'offline_access', 'email', ...(options.machine?.scopes ?? [])],
    claims: { openid: ['sub'], email: ['email'] },
    async findAccount(_ctx: unknown, sub: string) {
      return { accountId: sub, claims: async () => ({ sub, email: `${sub}@example.test` }) };
    },
  });
  provider.on('grant.success', (ctx: { oidc: { params?: { grant_type?: string } } }) => {
    const type = ctx.oidc.params?.grant_type;
    if (type === 'authorization_code' || type === 'refresh_token') counts[type] += 1;
  });
  provider.on('grant.error', (_ctx: unknown, error: { error_description?: string }) => {
    if (/rotated|consumed|revoked/i.test(error.error_description ?? '')) counts.reuse += 1;
  });
  // Revocation destroys the tokens it was given (and, for a refresh token, its grant).
  provider.on('refresh_token.destroyed', () => (counts.revoked += 1));
  provider.on('access_token.destroyed', () => (counts.revoked += 1));
  const listener = provider.callback();
  server.on('request', listener);
  return {
    issuer,
    counts,
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
    async restart() {
      server = http.createServer(listener);
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    },
    async close() {
      if (!server.listening) return;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

// As a program, for E2E tests in other processes.
if (process.argv[1]?.endsWith('oidc-server.ts')) {
  const arg = (name: string) => {
    const index = process.argv.indexOf(`--${name}`);
    return index === -1 ? undefined : Number(process.argv[index + 1]);
  };
  void startOidcServer({ port: arg('port') ?? 0, accessTokenTtl: arg('ttl') }).then((oidc) => {
    process.on('SIGTERM', () => void oidc.close().then(() => process.exit(0)));
    process.stdout.write(`listening on ${oidc.issuer}\n`);
  });
}
