import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Domain } from '../app/composition';
import { buildDomain, call, callError, clearKeychainService, removeTempDirs, testKeychainService } from '../../../test/support/harness';

// The app's settings in a real SQLite file, through the dispatcher as the renderer calls them.

const keychainService = testKeychainService();
const domains: Domain[] = [];

afterEach(async () => {
  for (const domain of domains.splice(0)) await domain.close();
  await clearKeychainService(keychainService);
});
afterAll(() => removeTempDirs());

function open(dataDir?: string): Domain {
  const domain = buildDomain({ keychainService, ...(dataDir ? { dataDir } : {}) });
  domains.push(domain);
  return domain;
}

describe('settings', () => {
  it('start with the system theme and keep a chosen one across a restart, leaving the others as they were', async () => {
    const domain = open();
    expect(await call(domain, 'settings:get', {})).toMatchObject({ theme: 'system', rotationDays: 90, reviewWorkspaces: {} });
    await call(domain, 'settings:update', { rotationDays: 30 });
    expect(await call(domain, 'settings:update', { theme: 'light' })).toMatchObject({ theme: 'light', rotationDays: 30 });
    const { dataDir } = domain.paths;
    await domains.splice(0)[0]!.close();
    expect(await call(open(dataDir), 'settings:get', {})).toMatchObject({ theme: 'light', rotationDays: 30 });
  });

  it('refuse a theme that is not system, light or dark, naming the field, and change nothing', async () => {
    const domain = open();
    await call(domain, 'settings:update', { theme: 'dark' });
    const error = await callError(domain, 'settings:update', { theme: 'sepia', rotationDays: 10 });
    expect(error.code).toBe('invalid_request');
    expect(error.message).toMatch(/theme/);
    expect(await call(domain, 'settings:get', {})).toMatchObject({ theme: 'dark', rotationDays: 90 });
  });

  it('read settings saved before there was a theme as the system theme', async () => {
    const domain = open();
    domain.db
      .prepare("INSERT INTO settings (key, value) VALUES ('app_settings', ?)")
      .run(JSON.stringify({ clipboardClearSeconds: 40, revealSeconds: 20, rotationDays: 60 }));
    expect(await call(domain, 'settings:get', {})).toEqual({
      clipboardClearSeconds: 40,
      revealSeconds: 20,
      rotationDays: 60,
      theme: 'system',
      reviewWorkspaces: {},
    });
  });
});
