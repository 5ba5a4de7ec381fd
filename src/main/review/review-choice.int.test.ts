import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Domain } from '../app/composition';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { buildDomain, call, callError, clearKeychainService, removeTempDirs, testKeychainService } from '../../../test/support/harness';

// Which workspaces Review compares: a setting in SQLite that the review service applies, through
// the dispatcher as the renderer calls it, with the demo and a workspace on the emulator.

const keychainService = testKeychainService();
const STAGING = 'sk_review_choice_staging_01';
let emulator: RunningEmulator;
const domains: Domain[] = [];

beforeAll(async () => {
  emulator = await startEmulator({ keys: [{ key: STAGING, seed: 'empty' }] });
});
afterEach(async () => {
  for (const domain of domains.splice(0)) await domain.close();
  await clearKeychainService(keychainService);
});
afterAll(async () => {
  await emulator.close();
  removeTempDirs();
});

async function setup() {
  const domain = buildDomain({ keychainService });
  domains.push(domain);
  const demo = await call(domain, 'workspaces:addDemo', {});
  const added = await call(domain, 'workspaces:add', { label: 'Staging', residency: 'custom', baseUrl: emulator.url, apiKey: STAGING });
  if (added.outcome !== 'saved') throw new Error(added.outcome);
  await call(domain, 'inventory:sync', { workspaceIds: [] });
  return { domain, demoId: demo.id, stagingId: added.workspace.id };
}

const review = async (domain: Domain) => (await call(domain, 'review:list', { rotationDays: 90 })).items;

describe('the workspaces Review compares', () => {
  it('leaves the demo out by default: none of its secrets is reported, nothing is "missing" elsewhere', async () => {
    const { domain, demoId } = await setup();
    const items = await review(domain);
    expect(items.filter((item) => item.kind === 'missing_in_workspace')).toEqual([]);
    expect(items.filter((item) => item.workspaceIds.includes(demoId))).toEqual([]);
    expect((await call(domain, 'settings:get', {})).reviewWorkspaces).toEqual({});
  });

  it('compares the demo once it is chosen, and each finding names the workspaces compared', async () => {
    const { domain, demoId, stagingId } = await setup();
    await call(domain, 'settings:update', { reviewWorkspaces: { [demoId]: true } });
    const missing = (await review(domain)).filter((item) => item.kind === 'missing_in_workspace');
    expect(missing.length).toBeGreaterThan(0);
    const token = missing.find((item) => item.name === 'GOOGLE_CALENDAR_TOKEN');
    expect(token?.workspaceIds).toEqual([stagingId]);
    expect(token?.detail).toBe('Compared Demo workspace, Staging: in Demo workspace, missing in Staging.');
    // The demo's own unused secrets are reviewed too, now that it is chosen.
    expect((await review(domain)).some((item) => item.kind === 'unused_remote' && item.workspaceIds[0] === demoId)).toBe(true);
  });

  it('takes a new workspace in by default, and a choice to leave one out is kept across a restart', async () => {
    const { domain, demoId, stagingId } = await setup();
    await call(domain, 'settings:update', { reviewWorkspaces: { [demoId]: true } });
    await call(domain, 'settings:update', { reviewWorkspaces: { [stagingId]: false } });
    const dataDir = domain.paths.dataDir;
    expect((await call(domain, 'settings:get', {})).reviewWorkspaces).toEqual({ [demoId]: true, [stagingId]: false });
    await domains.splice(0)[0]!.close();

    const again = buildDomain({ keychainService, dataDir });
    domains.push(again);
    expect((await call(again, 'settings:get', {})).reviewWorkspaces).toEqual({ [demoId]: true, [stagingId]: false });
    // Only the demo is chosen now: nothing to compare it with.
    expect((await review(again)).filter((item) => item.kind === 'missing_in_workspace')).toEqual([]);
  });

  it('refuses a choice that is not a workspace id and a yes/no, and keeps what was saved', async () => {
    const { domain, demoId } = await setup();
    await call(domain, 'settings:update', { reviewWorkspaces: { [demoId]: true } });
    const error = await callError(domain, 'settings:update', { reviewWorkspaces: { [demoId]: 'yes' } });
    expect(error.code).toBe('invalid_request');
    expect(error.message).toMatch(/reviewWorkspaces/);
    expect((await call(domain, 'settings:get', {})).reviewWorkspaces).toEqual({ [demoId]: true });
  });
});
