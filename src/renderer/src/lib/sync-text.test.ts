import { describe, expect, it } from 'vitest';
import type { SyncResult } from '../../../shared/schemas/inventory';
import type { WorkspaceSummary } from '../../../shared/schemas/workspaces';
import { lastSyncedText, offlineBanner, offlineWhereText, syncSummary } from './sync-text';

const now = Date.UTC(2026, 9, 1, 12, 0);
const minute = 60_000;

function workspace(overrides: Partial<WorkspaceSummary> & { id: string; label: string }): WorkspaceSummary {
  return {
    residency: 'custom',
    baseUrl: null,
    verification: 'verified',
    remoteWorkspaceId: null,
    ownerFirstName: null,
    planTier: null,
    seatType: null,
    missingPermissions: [],
    access: { secrets: { state: 'allowed', permission: null }, authConnections: { state: 'allowed', permission: null } },
    sameRemoteAs: [],
    createdAt: now - 60 * minute,
    keyCheckedAt: null,
    reachability: 'reachable',
    lastContactAt: null,
    sync: {
      status: 'never',
      lastAttemptAt: null,
      lastSuccessAt: null,
      problem: null,
      secretCount: 0,
      removedSecretCount: 0,
      authConnectionCount: 0,
    },
    ...overrides,
  };
}

const refused = { code: 'unreachable' as const, message: 'Nothing answers at 127.0.0.1:8787 on this computer' };
const staging = workspace({
  id: 'staging',
  label: 'Staging',
  baseUrl: 'http://127.0.0.1:8787',
  reachability: 'unreachable',
  lastContactAt: now - 5 * minute,
  sync: {
    ...workspace({ id: 'x', label: 'x' }).sync,
    status: 'failed',
    lastAttemptAt: now,
    lastSuccessAt: now - 5 * minute,
    problem: refused,
  },
});
const production = workspace({ id: 'production', label: 'Production', baseUrl: 'http://127.0.0.1:9999' });
const demo = workspace({
  id: 'demo',
  label: 'Demo workspace',
  residency: 'demo',
  sync: { ...staging.sync, status: 'ok', lastSuccessAt: now - 2 * minute, problem: null },
});

describe('offline text', () => {
  it('names a loopback address and asks about the emulator, never the internet connection', () => {
    const text = offlineWhereText(staging, now, false);
    expect(text).toBe(
      '“Staging”: nothing answers at 127.0.0.1:8787 on this computer (it last answered 5 minutes ago). Is the emulator (or the server meant to be there) running?',
    );
    expect(text).not.toMatch(/internet/i);
    const ipv6 = offlineWhereText({ ...staging, baseUrl: 'http://[::1]:8787' }, now, false);
    expect(ipv6).toMatch(/nothing answers at \[::1\]:8787 on this computer/);
  });

  it('says a private address is on the local network, and a timeout is a timeout', () => {
    expect(offlineWhereText({ ...staging, baseUrl: 'https://192.168.1.20:8443' }, now, false)).toMatch(
      /nothing answers at 192\.168\.1\.20:8443 on the local network .*Is that server running/,
    );
    const slow = { ...staging, sync: { ...staging.sync, problem: { code: 'timeout' as const, message: 'slow' } } };
    expect(offlineWhereText(slow, now, true)).toBe(
      '“Staging” did not answer at http://127.0.0.1:8787 in time (it last answered 5 minutes ago).',
    );
  });

  it('keeps to "did not answer" for an ElevenLabs host, with its address only where asked', () => {
    const eu = { ...staging, residency: 'eu' as const, baseUrl: null, lastContactAt: null };
    expect(offlineWhereText(eu, now, true)).toBe('“Staging” did not answer.');
  });

  it('calls a never-synced workspace never synced, not up to date', () => {
    expect(lastSyncedText(production, now, false)).toBe('“Production” has never been synced');
    expect(lastSyncedText(demo, now, false)).toMatch(/^“Demo workspace” was last synced .+ \(2 minutes ago\)$/);
    expect(lastSyncedText(production, now, true)).toBe('“Production” is syncing');

    const banner = offlineBanner({ shown: [demo, staging, production], unreachable: [staging], running: {}, now, browserOffline: false });
    expect(banner.heading).toBe('One workspace offline');
    expect(banner.text).not.toMatch(/up to date/);
    expect(banner.text).toContain('“Production” has never been synced');
    expect(banner.text).toContain('“Demo workspace” was last synced');
    expect(banner.text).toContain('nothing answers at 127.0.0.1:8787');
  });

  it('says what is saved of each workspace when none answers, and blames the computer only for internet hosts', () => {
    const prodDown = { ...production, reachability: 'unreachable' as const };
    const banner = offlineBanner({ shown: [staging, prodDown], unreachable: [staging, prodDown], running: {}, now, browserOffline: true });
    expect(banner.heading).toBe('Offline');
    expect(banner.text).toMatch(/Showing what was saved: “Staging” was last synced .*; “Production” has never been synced\.$/);
    // Both are on this computer: the browser's network state says nothing about them.
    expect(banner.text).not.toMatch(/This computer seems to be offline|internet/);

    const cloud = { ...staging, residency: 'default' as const, baseUrl: null };
    const alone = offlineBanner({ shown: [cloud], unreachable: [cloud], running: {}, now, browserOffline: true });
    expect(alone.text).toMatch(
      /^“Staging” did not answer \(it last answered 5 minutes ago\)\. This computer seems to be offline\. Showing the inventory saved/,
    );
    const never = offlineBanner({ shown: [production], unreachable: [production], running: {}, now, browserOffline: false });
    expect(never.text).toMatch(/No inventory has been saved yet\.$/);
  });
});

describe('syncSummary', () => {
  const label = (id: string) => ({ staging: 'Staging', production: 'Production', demo: 'Demo workspace' })[id] ?? id;
  const ok = (workspaceId: string): SyncResult => ({
    workspaceId,
    ok: true,
    problem: null,
    secretCount: 1,
    removedSecretCount: 0,
    authConnectionCount: 0,
    changes: { added: 0, removed: 0 },
  });
  const failed = (workspaceId: string): SyncResult => ({ ...ok(workspaceId), ok: false, problem: refused });

  it('sums several workspaces up, naming each failure', () => {
    expect(syncSummary([ok('demo'), failed('staging'), failed('production')], label)).toEqual({
      tone: 'error',
      message: 'Synced 1 workspace (no changes); 2 failed: Staging (did not answer), Production (did not answer).',
    });
    expect(syncSummary([ok('demo'), ok('staging'), ok('production')], label)).toEqual({
      tone: 'success',
      message: 'Synced 3 workspaces (no changes).',
    });
  });

  it('never says "Synced 0 workspaces" when every one failed', () => {
    const { tone, message } = syncSummary([failed('staging'), failed('production')], label);
    expect(tone).toBe('error');
    expect(message).toBe('Sync of 2 workspaces failed: Staging (did not answer), Production (did not answer).');
  });

  it('quotes main’s message for one workspace', () => {
    expect(syncSummary([failed('staging')], label).message).toBe(`Sync of “Staging” failed: ${refused.message}`);
  });
});
