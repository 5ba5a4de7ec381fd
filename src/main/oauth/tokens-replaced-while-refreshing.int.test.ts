import fs from 'node:fs';
import { chromium, type Browser } from '@playwright/test';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LinkFlowEvent } from '../../shared/schemas/accounts';
import type { Domain } from '../app/composition';
import { systemClock, type Clock } from '../ports/clock';
import {
  buildDomain,
  call,
  callError,
  clearKeychainService,
  keychainAccounts,
  removeTempDirs,
  testKeychainService,
} from '../../../test/support/harness';
import { OIDC_CLIENT_ID, startOidcServer, type RunningOidc } from '../../../test/support/oidc-server';
import { signInAt } from '../../../test/support/oidc-login';

// Replacing an account's tokens (a reconnect) or removing them (an unlink) while refreshes run
// or are asked for must leave nothing behind: no refresh scheduled for a gone account, and no
// token in the keychain that no account owns. Found by the E2E test, where 5-second tokens are
// refreshed every 2.5 s.

const keychainService = testKeychainService();
let oidc: RunningOidc;
let browser: Browser;
const domains: Domain[] = [];

beforeAll(async () => {
  oidc = await startOidcServer({ accessTokenTtl: 60 });
  browser = await chromium.launch({
    executablePath: fs.existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-gpu'],
  });
});
afterEach(async () => {
  for (const domain of domains.splice(0)) await domain.close();
  await clearKeychainService(keychainService);
});
afterAll(async () => {
  await browser.close();
  await oidc.close();
  removeTempDirs();
});

/** The system clock, counting the timers still pending (only the refresh scheduler and the clipboard set any). */
function countingClock(): Clock & { pending(): number } {
  const pending = new Set<object>();
  return {
    now: () => systemClock.now(),
    after(ms, run) {
      const timer = {};
      pending.add(timer);
      const cancel = systemClock.after(ms, () => {
        pending.delete(timer);
        run();
      });
      return () => {
        pending.delete(timer);
        cancel();
      };
    },
    pending: () => pending.size,
  };
}

async function linkedAccount(clock: Clock): Promise<{ domain: Domain; accountId: string; providerId: string }> {
  const opened: string[] = [];
  const domain = buildDomain({ keychainService, clock, browser: { open: async (url) => void opened.push(url) } });
  domains.push(domain);
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
  await signIn(domain, provider.id);
  const [account] = (await call(domain, 'accounts:list', {})).accounts;
  return { domain, accountId: account!.id, providerId: provider.id };
}

/** Starts a sign-in (a reconnect with `accountId`), runs `meanwhile`, then signs alice in. */
async function signIn(domain: Domain, providerId: string, options: { accountId?: string; meanwhile?: () => Promise<void> } = {}) {
  const linked = new Promise<LinkFlowEvent>((resolve) => {
    const stop = domain.events.subscribe((event, payload) => {
      if (event === 'accounts:flow' && ['linked', 'failed'].includes((payload as LinkFlowEvent).status)) {
        stop();
        resolve(payload as LinkFlowEvent);
      }
    });
  });
  const started = await call(domain, 'accounts:startLink', {
    personLabel: 'alice',
    providerId,
    ...(options.accountId ? { accountId: options.accountId } : {}),
  });
  await options.meanwhile?.();
  const page = await browser.newPage();
  await signInAt(page, started.authorizeUrl, { login: 'alice' });
  await page.close();
  expect(await linked).toMatchObject({ status: 'linked' });
}

const tokenEntries = async () => (await keychainAccounts(keychainService)).filter((a) => a.startsWith('oauth-'));

describe('tokens replaced or removed while refreshes run', () => {
  it('leaves no refresh scheduled when the refresh it waited for finishes', async () => {
    const clock = countingClock();
    const { domain, accountId } = await linkedAccount(clock);
    expect(clock.pending()).toBe(1);
    const refreshing = call(domain, 'accounts:refresh', { accountId });
    await expect(call(domain, 'accounts:unlink', { accountId })).resolves.toMatchObject({ revoked: true });
    await refreshing;
    // The refresh rescheduled itself after unlink had cancelled the timer: it would fire on a gone account.
    expect(clock.pending()).toBe(0);
    expect(await tokenEntries()).toEqual([]);
  });

  it('refuses a refresh asked for during the unlink, so no new token is left in the keychain', async () => {
    const clock = countingClock();
    const { domain, accountId } = await linkedAccount(clock);
    const unlinking = call(domain, 'accounts:unlink', { accountId });
    const refused = callError(domain, 'accounts:refresh', { accountId });
    await expect(unlinking).resolves.toMatchObject({ revoked: true });
    expect(await refused).toMatchObject({ code: 'conflict' });
    expect(clock.pending()).toBe(0);
    expect(await tokenEntries()).toEqual([]);
  });

  it('a reconnect replaces the tokens the account holds when it completes, not those it held when it started', async () => {
    const clock = countingClock();
    const { domain, accountId, providerId } = await linkedAccount(clock);
    // While the person signs in again, a refresh replaces the tokens the reconnect started with.
    await signIn(domain, providerId, { accountId, meanwhile: async () => void (await call(domain, 'accounts:refresh', { accountId })) });
    const entries = await tokenEntries();
    expect(entries.map((a) => a.split('/')[0]).sort()).toEqual(['oauth-access-token', 'oauth-refresh-token']);
    const [account] = (await call(domain, 'accounts:list', {})).accounts;
    expect(account).toMatchObject({ id: accountId, status: 'active' });
    expect(clock.pending()).toBe(1);
  });
});
