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

// Unlinking while a refresh runs (or is asked for) must leave nothing behind: no refresh
// scheduled for the gone account, and no new token in the keychain that no account owns. Found
// by the E2E test, where 5-second tokens are refreshed every 2.5 s.

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

async function linkedAccount(clock: Clock): Promise<{ domain: Domain; accountId: string }> {
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
  const linked = new Promise<void>((resolve) => {
    const stop = domain.events.subscribe((event, payload) => {
      if (event === 'accounts:flow' && (payload as LinkFlowEvent).status === 'linked') {
        stop();
        resolve();
      }
    });
  });
  const started = await call(domain, 'accounts:startLink', { personLabel: 'alice', providerId: provider.id });
  const page = await browser.newPage();
  await signInAt(page, started.authorizeUrl, { login: 'alice' });
  await page.close();
  await linked;
  const [account] = (await call(domain, 'accounts:list', {})).accounts;
  return { domain, accountId: account!.id };
}

const tokenEntries = async () => (await keychainAccounts(keychainService)).filter((a) => a.startsWith('oauth-'));

describe('unlinking while a refresh runs', () => {
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
    expect(await refused).toMatchObject({ code: 'not_found' });
    expect(clock.pending()).toBe(0);
    expect(await tokenEntries()).toEqual([]);
  });
});
