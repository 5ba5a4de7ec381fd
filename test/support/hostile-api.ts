import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

// Small local servers standing in for a hostile or broken ElevenLabs API, for tests that prove
// no key leaves its place and no loop runs forever. Loopback only, port 0.

export interface TestServer {
  url: string;
  /** Requests received, in order. */
  requests: { method: string; url: string; apiKey: string | undefined }[];
  /** Resolves once `count` requests have arrived. */
  received(count?: number): Promise<void>;
  close(): Promise<void>;
}

async function serve(
  handle: (req: IncomingMessage, res: ServerResponse, requests: TestServer['requests'], body: string) => void,
): Promise<TestServer> {
  const requests: TestServer['requests'] = [];
  const arrivals = new EventEmitter();
  const server: Server = createServer((req, res) => {
    const header = req.headers['xi-api-key'];
    requests.push({ method: req.method ?? 'GET', url: req.url ?? '/', apiKey: typeof header === 'string' ? header : undefined });
    arrivals.emit('request');
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handle(req, res, requests, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    received: (count = 1) =>
      new Promise((resolve) => {
        const check = () => {
          if (requests.length < count) return;
          arrivals.off('request', check);
          resolve();
        };
        arrivals.on('request', check);
        check();
      }),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** How the echo server answers: a valid reply, or one of the failures the app must survive. */
export const echoModes = ['ok', '400', '401', '401_permission', '404', '422', '429', '500', 'malformed', 'text', 'slow'] as const;
export type EchoMode = (typeof echoModes)[number];

/** A secret list item with the echoed value in every field the SDK lets through. */
function echoedSecret(key: string, index: number) {
  const item = { type: 'available', id: key, name: key, created_at_unix_secs: 1, access_level: 'admin' };
  return {
    type: 'stored',
    secret_id: `${key}-${index}`,
    name: key,
    used_by: {
      tools: [item],
      agents: [{ ...item, referenced_resource_ids: [key] }],
      others: [],
      phone_numbers: [{ phone_number_id: key, phone_number: key, label: key, provider: 'twilio' }],
      mcp_servers: [item],
    },
  };
}

/**
 * Echoes the `xi-api-key` it receives into every field of every reply: secret names and ids,
 * dependants, user fields, auth connections, error messages and codes, 422 inputs, headers. In
 * `ok` mode the replies are valid, so the echoed key would reach the inventory if nothing stopped it.
 */
export async function startEchoServer(): Promise<TestServer & { mode: EchoMode }> {
  const state = { mode: 'ok' as EchoMode };
  const server = await serve((req, res, _requests, body) => {
    // Everything secret the request carried: the key, and a secret's value in a write's body.
    const sentValue = (() => {
      try {
        return (JSON.parse(body) as { value?: unknown }).value;
      } catch {
        return undefined;
      }
    })();
    const key = [
      typeof req.headers['xi-api-key'] === 'string' ? req.headers['xi-api-key'] : 'no-key',
      typeof sentValue === 'string' ? sentValue : '',
    ]
      .filter(Boolean)
      .join(' ');
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const headers = { 'x-request-id': key, 'x-echo': key };
    switch (state.mode) {
      case '400':
        return json(res, 400, { detail: { status: key, code: key, message: `Bad request for ${key}` } }, headers);
      case '401':
        return json(res, 401, { detail: { status: key, message: `Invalid API key ${key}` } }, headers);
      case '401_permission':
        return json(
          res,
          401,
          {
            detail: {
              status: 'missing_permissions',
              message: `The API key you used is missing the permission ${key} to execute this operation.`,
            },
          },
          headers,
        );
      case '404':
        return json(res, 404, { detail: { status: key, message: `${key} not found` } }, headers);
      case '422':
        return json(
          res,
          422,
          { detail: [{ type: key, loc: ['body', key], msg: `Field ${key} is wrong`, input: { apiKey: key, body } }] },
          headers,
        );
      case '429':
        return json(res, 429, { detail: { code: key, status: key, message: `Slow down ${key}` } }, { ...headers, 'retry-after': '1' });
      case '500':
        return json(res, 500, { detail: { status: key, message: `Crashed on ${key}` }, key }, headers);
      case 'malformed':
        // A 2xx the SDK must refuse: wrong types everywhere, each holding the key.
        return json(
          res,
          200,
          { secrets: [{ type: key, secret_id: 1, name: { key }, used_by: key }], user_id: key, workspace_id: 7 },
          headers,
        );
      case 'text':
        res.writeHead(502, { 'content-type': 'text/plain', ...headers });
        return res.end(`upstream said ${key}`);
      case 'slow':
        // Never answers: the call's own timeout must end it.
        return;
      case 'ok':
        break;
    }
    if (path.startsWith('/v1/convai/secrets') && req.method !== 'GET') {
      if (req.method === 'DELETE') return json(res, 200, { deleted: key }, headers);
      return json(res, 200, { type: 'stored', secret_id: `id ${key}`, name: key }, headers);
    }
    if (path === '/v1/convai/secrets') {
      return json(res, 200, { secrets: [echoedSecret(key, 1), echoedSecret(key, 2)], next_cursor: null }, headers);
    }
    if (path.startsWith('/v1/convai/secrets/')) return json(res, 200, { dependencies: [], next_cursor: null }, headers);
    if (path === '/v1/user') {
      return json(
        res,
        200,
        {
          user_id: key,
          workspace_id: key,
          first_name: key,
          is_new_user: false,
          can_use_delayed_payment_methods: false,
          is_onboarding_completed: true,
          is_onboarding_checklist_completed: true,
          created_at: 0,
          seat_type: 'workspace_admin',
          xi_api_key: key,
          xi_api_key_preview: key,
          subscription: {
            tier: key,
            character_count: 0,
            character_limit: 0,
            voice_slots_used: 0,
            professional_voice_slots_used: 0,
            professional_voice_slots_used_in_workspace: 0,
            voice_limit: 0,
            voice_add_edit_counter: 0,
            professional_voice_limit: 0,
            max_credit_limit_extension: 0,
            can_extend_character_limit: false,
            allowed_to_extend_character_limit: false,
            can_extend_voice_limit: false,
            can_use_instant_voice_cloning: false,
            can_use_professional_voice_cloning: false,
            current_overage: { amount: '0', currency: 'usd' },
            status: 'active',
          },
        },
        headers,
      );
    }
    if (path === '/v1/workspace/auth-connections') {
      return json(
        res,
        200,
        {
          auth_connections: [
            {
              auth_type: 'bearer_auth',
              id: key,
              name: key,
              provider: key,
              status: 'active',
              status_detail: key,
              used_by: { tools: [{ type: 'available', id: key, name: key, created_at_unix_secs: 1, access_level: 'admin' }] },
            },
            {
              auth_type: 'oauth2_client_credentials',
              id: `${key}-2`,
              name: key,
              provider: key,
              client_id: key,
              token_url: key,
              scopes: [key],
              extra_params: { [key]: key },
              custom_headers: { [key]: key },
            },
          ],
        },
        headers,
      );
    }
    return json(res, 404, { detail: { status: key, message: key } }, headers);
  });
  return Object.assign(server, {
    get mode() {
      return state.mode;
    },
    set mode(mode: EchoMode) {
      state.mode = mode;
    },
  });
}

/** Redirects every request to `target` with the given status (a server the key must never reach). */
export function startRedirectServer(target: string, status = 307): Promise<TestServer> {
  return serve((req, res) => {
    res.writeHead(status, { location: `${target}${req.url ?? '/'}` });
    res.end();
  });
}

/** Accepts any request and answers a valid-looking empty reply (where a redirect would lead). */
export function startSinkServer(): Promise<TestServer> {
  return serve((_req, res) => json(res, 200, { secrets: [], next_cursor: null }));
}

/**
 * A secrets list that never ends: each page has one secret and a next cursor, either the same
 * cursor every time or a new one every time. Other routes answer as an empty workspace.
 */
export function startEndlessPager(cursors: 'same' | 'new'): Promise<TestServer> {
  let page = 0;
  return serve((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/v1/convai/secrets') {
      page += 1;
      const secret = { type: 'stored', secret_id: `sec_${page}`, name: `SECRET_${page}`, used_by: { tools: [], agents: [], others: [] } };
      return json(res, 200, { secrets: [secret], next_cursor: cursors === 'same' ? 'again' : `page-${page}` });
    }
    if (path === '/v1/workspace/auth-connections') return json(res, 200, { auth_connections: [] });
    return json(res, 404, { detail: { status: 'not_found', message: 'Not found' } });
  });
}
