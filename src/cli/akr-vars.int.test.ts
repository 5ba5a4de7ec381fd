import fs from 'node:fs';
import { chromium, type Browser } from '@playwright/test';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LinkFlowEvent } from '../shared/schemas/accounts';
import type { Domain } from '../main/app/composition';
import { akrWorld, builtAkr, pairTerminal, runAkr, type AkrWorld } from '../../test/support/akr';
import { buildDomain, call, removeTempDirs } from '../../test/support/harness';
import { OIDC_CLIENT_ID, startOidcServer, type RunningOidc } from '../../test/support/oidc-server';
import { signInAt } from '../../test/support/oidc-login';

// akr vars (issue 15): a person's secret__… dynamic variables with fresh tokens, for a script,
// from an account linked at a real OpenID provider (signed in by Chromium, as the person would).

let oidc: RunningOidc;
let browser: Browser;
let domain: Domain;
let world: AkrWorld;
let akr: string;
const opened: string[] = [];

beforeAll(async () => {
  [oidc, browser, akr] = await Promise.all([
    // Tokens live 5 s: akr vars refreshes any that ends within two minutes, so it always refreshes here.
    startOidcServer({ accessTokenTtl: 5 }),
    chromium.launch({
      executablePath: fs.existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined,
      args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-gpu'],
    }),
    builtAkr(),
  ]);
  domain = buildDomain({ browser: { open: async (url) => void opened.push(url) } });
  world = await akrWorld(domain);
  await pairTerminal(akr, world);
}, 60_000);

afterAll(async () => {
  await world?.close();
  await domain?.close();
  await browser?.close();
  await oidc?.close();
  removeTempDirs();
});

it('akr vars prints the person’s dynamic variables with a freshly refreshed token, as JSON or an SDK snippet, after approval', async () => {
  const provider = await call(domain, 'accounts:saveProvider', {
    kind: 'custom',
    name: 'Local IdP',
    clientId: OIDC_CLIENT_ID,
    authorizeUrl: `${oidc.issuer}/auth`,
    tokenUrl: `${oidc.issuer}/token`,
    revokeUrl: `${oidc.issuer}/token/revocation`,
    issuer: oidc.issuer,
    scopes: ['openid', 'offline_access'],
    pkce: true,
  });
  const linked = new Promise<LinkFlowEvent>((resolve) => {
    const stop = domain.events.subscribe((event, payload) => {
      if (event === 'accounts:flow' && ['linked', 'failed'].includes((payload as LinkFlowEvent).status)) {
        stop();
        resolve(payload as LinkFlowEvent);
      }
    });
  });
  const started = await call(domain, 'accounts:startLink', { personLabel: 'alice', providerId: provider.id });
  const page = await browser.newPage();
  await signInAt(page, started.authorizeUrl, { login: 'alice' });
  await page.close();
  expect((await linked).status).toBe('linked');
  const refreshesBefore = oidc.counts.refresh_token;

  const json = await runAkr(akr, ['vars', '--person', 'alice', '--json'], { env: world.env });
  expect(json.stderr).toBe('');
  expect(json.code).toBe(0);
  const variables = JSON.parse(json.stdout) as Record<string, string>;
  expect(Object.keys(variables)).toEqual(['secret__custom_token_alice']);
  expect(oidc.counts.refresh_token).toBeGreaterThan(refreshesBefore);
  // The token handed over is the one the app now holds (the copy in main reads the same).
  await call(domain, 'accounts:copyDynamicVariables', {
    personId: (await call(domain, 'accounts:list', {})).accounts[0]!.personId,
    format: 'json',
    marginSeconds: 0,
  });
  expect(JSON.parse(domain.clipboard.read())).toEqual(variables);

  const snippet = await runAkr(akr, ['vars', '--person', 'alice', '--sdk'], { env: world.env });
  expect(snippet.stdout).toContain('Conversation.startSession');
  expect(world.requests.filter((r) => r.kind === 'access').map((r) => r.kind === 'access' && r.names)).toEqual([
    ['alice: dynamic variables'],
  ]);

  const nobody = await runAkr(akr, ['vars', '--person', 'bob'], { env: world.env });
  expect(nobody.code).toBe(1);
  expect(nobody.stderr).toContain('Nobody called “bob” has a linked account');
});
