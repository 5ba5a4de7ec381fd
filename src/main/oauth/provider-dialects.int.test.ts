import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtInProfiles, type ProviderProfile } from './providers';
import { exchangeCode, refreshTokens, revokeToken, TokenError, type OAuthClient } from './token-client';

// Slack and GitHub do not answer the way RFC 6749 says. Two small local servers answer the way
// they do (Slack: JSON, HTTP 200 with ok:false, the user token under authed_user; GitHub: a
// form-encoded body, errors as HTTP 200), and the token client must read both right.

interface Received {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  fields: URLSearchParams;
  body: string;
}

async function startServer(answer: (request: Received) => { status?: number; type: string; body: string }) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const request = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, fields: new URLSearchParams(body), body };
      received.push(request);
      const reply = answer(request);
      res.writeHead(reply.status ?? 200, { 'content-type': reply.type });
      res.end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const json = (body: unknown) => ({ type: 'application/json; charset=utf-8', body: JSON.stringify(body) });
const form = (fields: Record<string, string>) => ({
  type: 'application/x-www-form-urlencoded; charset=utf-8',
  body: new URLSearchParams(fields).toString(),
});

const callback = (state: string, code: string) => new URLSearchParams({ code, state });
const REDIRECT = 'http://localhost:53682/callback/slack';

describe('Slack-style token replies', () => {
  let slack: Awaited<ReturnType<typeof startServer>>;
  let client: OAuthClient;
  const usedRefreshTokens = new Set<string>();

  beforeAll(async () => {
    slack = await startServer((request) => {
      if (request.path === '/api/auth.revoke') return json({ ok: true, revoked: true });
      const grant = request.fields.get('grant_type');
      if (grant === 'refresh_token') {
        const token = request.fields.get('refresh_token') ?? '';
        if (usedRefreshTokens.has(token)) return json({ ok: false, error: 'invalid_refresh_token' });
        usedRefreshTokens.add(token);
        // Rotation answers at the top level, with the new pair.
        return json({
          ok: true,
          token_type: 'user',
          access_token: 'xoxe.xoxp-rotated',
          refresh_token: 'xoxe-1-rotated',
          expires_in: 43200,
          scope: 'users:read',
        });
      }
      if (request.fields.get('code') !== 'good-code') return json({ ok: false, error: 'invalid_code' });
      // A sign-in answers with the bot token at the top level and the person's token under authed_user.
      return json({
        ok: true,
        app_id: 'A0001',
        access_token: 'xoxb-bot-token-not-the-persons',
        token_type: 'bot',
        scope: 'chat:write',
        authed_user: {
          id: 'U0ALICE',
          scope: 'users:read,users:read.email',
          access_token: 'xoxe.xoxp-alice',
          refresh_token: 'xoxe-1-alice',
          expires_in: 43200,
          token_type: 'user',
        },
        team: { id: 'T0001', name: 'Test team' },
      });
    });
    const profile: ProviderProfile = {
      ...builtInProfiles.slack,
      tokenUrl: `${slack.url}/api/oauth.v2.access`,
      revokeUrl: `${slack.url}/api/auth.revoke`,
    };
    client = { profile, name: 'Slack', clientId: 'slack-client', clientSecret: 'slack-secret' };
  });
  afterAll(() => slack.close());

  it("takes the person's token from authed_user, not the bot's, and their Slack id as the subject", async () => {
    const tokens = await exchangeCode(client, {
      params: callback('s1', 'good-code'),
      state: 's1',
      redirectUri: REDIRECT,
      codeVerifier: 'v'.repeat(43),
    });
    expect(tokens).toEqual({
      accessToken: 'xoxe.xoxp-alice',
      refreshToken: 'xoxe-1-alice',
      expiresIn: 43200,
      scopes: ['users:read', 'users:read.email'],
      subject: 'U0ALICE',
    });
    const sent = slack.received.at(-1)!;
    expect(sent.fields.get('redirect_uri')).toBe(REDIRECT);
    expect(sent.fields.get('code_verifier')).toBe('v'.repeat(43));
  });

  it('reads ok:false with HTTP 200 as an error, naming its code', async () => {
    const error = await exchangeCode(client, {
      params: callback('s2', 'bad-code'),
      state: 's2',
      redirectUri: REDIRECT,
      codeVerifier: 'v'.repeat(43),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenError);
    expect((error as TokenError).oauthError).toBe('invalid_code');
    expect((error as TokenError).message).toContain('invalid_code');
  });

  it('refreshes with rotation from the top level, and a reused refresh token fails for good', async () => {
    const first = await refreshTokens(client, 'xoxe-1-alice');
    expect(first.accessToken).toBe('xoxe.xoxp-rotated');
    expect(first.refreshToken).toBe('xoxe-1-rotated');
    const reused = (await refreshTokens(client, 'xoxe-1-alice').catch((e: unknown) => e)) as TokenError;
    expect(reused).toBeInstanceOf(TokenError);
    expect(reused.permanent).toBe(true);
    expect(reused.oauthError).toBe('invalid_refresh_token');
  });

  it('revokes through auth.revoke', async () => {
    await revokeToken(client, 'xoxe.xoxp-rotated', 'access_token');
    const sent = slack.received.at(-1)!;
    expect(sent.path).toBe('/api/auth.revoke');
    expect(sent.fields.get('token')).toBe('xoxe.xoxp-rotated');
  });
});

describe('GitHub-style token replies', () => {
  let github: Awaited<ReturnType<typeof startServer>>;
  let client: OAuthClient;

  beforeAll(async () => {
    github = await startServer((request) => {
      if (request.method === 'DELETE') {
        const auth = Buffer.from((request.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString();
        return auth === 'gh-client:gh-secret' && JSON.parse(request.body).access_token === 'ghu_rotated'
          ? { status: 204, type: 'text/plain', body: '' }
          : { status: 404, type: 'application/json', body: '{}' };
      }
      if (request.path === '/user') return json({ id: 4242, login: 'alice' });
      const grant = request.fields.get('grant_type');
      if (grant === 'refresh_token') {
        if (request.fields.get('refresh_token') !== 'ghr_alice')
          return form({ error: 'bad_refresh_token', error_description: 'The refresh token passed is incorrect or expired.' });
        return form({
          access_token: 'ghu_rotated',
          expires_in: '28800',
          refresh_token: 'ghr_rotated',
          refresh_token_expires_in: '15811200',
          scope: '',
          token_type: 'bearer',
        });
      }
      if (request.fields.get('code') !== 'good-code')
        return form({
          error: 'bad_verification_code',
          error_description: 'The code passed is incorrect or expired.',
          error_uri: 'https://docs.github.com/',
        });
      if (request.fields.get('client_secret') !== 'gh-secret') return form({ error: 'incorrect_client_credentials' });
      return form({
        access_token: 'ghu_alice',
        expires_in: '28800',
        refresh_token: 'ghr_alice',
        refresh_token_expires_in: '15811200',
        scope: '',
        token_type: 'bearer',
      });
    });
    const profile: ProviderProfile = {
      ...builtInProfiles.github,
      tokenUrl: `${github.url}/login/oauth/access_token`,
      revokeUrl: `${github.url}/applications/{client_id}/token`,
      userinfo: { url: `${github.url}/user`, field: 'id' },
    };
    client = { profile, name: 'GitHub', clientId: 'gh-client', clientSecret: 'gh-secret' };
  });
  afterAll(() => github.close());

  const redirectUri = 'http://127.0.0.1:50111/callback/github';

  it('reads a form-encoded reply, the expiry as a number, and the user id from the API', async () => {
    const tokens = await exchangeCode(client, {
      params: callback('g1', 'good-code'),
      state: 'g1',
      redirectUri,
      codeVerifier: 'w'.repeat(43),
    });
    expect(tokens).toEqual({ accessToken: 'ghu_alice', refreshToken: 'ghr_alice', expiresIn: 28800, scopes: [], subject: '4242' });
  });

  it('reads an error sent with HTTP 200 as an error, without repeating its description', async () => {
    const error = (await exchangeCode(client, {
      params: callback('g2', 'stale-code'),
      state: 'g2',
      redirectUri,
      codeVerifier: 'w'.repeat(43),
    }).catch((e: unknown) => e)) as TokenError;
    expect(error).toBeInstanceOf(TokenError);
    expect(error.oauthError).toBe('bad_verification_code');
    expect(error.message).not.toContain('incorrect or expired');
  });

  it('refreshes from a form-encoded reply, and a bad refresh token fails for good', async () => {
    const tokens = await refreshTokens(client, 'ghr_alice');
    expect(tokens.accessToken).toBe('ghu_rotated');
    expect(tokens.refreshToken).toBe('ghr_rotated');
    const error = (await refreshTokens(client, 'ghr_alice_old').catch((e: unknown) => e)) as TokenError;
    expect(error.permanent).toBe(true);
    expect(error.oauthError).toBe('bad_refresh_token');
  });

  it('revokes through the applications API with the client credentials', async () => {
    await expect(revokeToken(client, 'ghu_rotated', 'access_token')).resolves.toBeUndefined();
    expect(github.received.at(-1)!.path).toBe('/applications/gh-client/token');
  });
});
