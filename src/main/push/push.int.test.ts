import fs from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PushProgress } from '../../shared/schemas/push';
import type { Domain } from '../app/composition';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { manualClock } from '../../../test/support/clock';
import {
  buildDomain,
  call,
  callError,
  clearKeychainService,
  keychainAccounts,
  removeTempDirs,
  testKeychainService,
} from '../../../test/support/harness';

// Local secrets pushed to workspaces through a plan, against the real SDK in the real API host,
// the emulator, the real keychain and real SQLite files.

const keychainService = testKeychainService();
const PRODUCTION = 'sk_push_production_0001';
const STAGING = 'sk_push_staging_00002';
let emulator: RunningEmulator;
const domains: Domain[] = [];

beforeAll(async () => {
  emulator = await startEmulator({
    keys: [
      { key: PRODUCTION, seed: 'demo' },
      { key: STAGING, seed: 'empty' },
    ],
  });
});
afterEach(async () => {
  emulator.clearFaults();
  for (const domain of domains.splice(0)) await domain.close();
  await clearKeychainService(keychainService);
});
afterAll(async () => {
  await emulator.close();
  removeTempDirs();
});

async function setup(options: Parameters<typeof buildDomain>[0] = {}) {
  const domain = buildDomain({ keychainService, ...options });
  domains.push(domain);
  const add = async (label: string, apiKey: string) => {
    const outcome = await call(domain, 'workspaces:add', {
      label,
      residency: 'custom',
      baseUrl: emulator.url,
      apiKey,
      acceptWorkspaceMismatch: true,
    });
    if (outcome.outcome !== 'saved') throw new Error(outcome.outcome);
    return outcome.workspace.id;
  };
  const production = await add('Production', PRODUCTION);
  const staging = await add('Staging', STAGING);
  await call(domain, 'inventory:sync', { workspaceIds: [] });
  return { domain, production, staging };
}

const remoteNamed = (key: string, name: string) => emulator.secretsOf(key).filter((s) => s.name === name);
const planFor = (domain: Domain, secretIds: string[] = []) =>
  call(domain, 'push:plan', { secretIds, workspaceIds: [], force: false, deletions: [] });

describe('local secrets pushed through a plan', () => {
  it('creates in two workspaces, then plans only what changed: a new value, a rename', async () => {
    const { domain, production, staging } = await setup();
    const created = await call(domain, 'localSecrets:create', {
      name: 'PUSH_TEST_TOKEN',
      value: 'first-value-123',
      targets: [
        { workspaceId: production, remoteName: null },
        { workspaceId: staging, remoteName: null },
      ],
    });
    expect(created.targets.map((t) => t.state)).toEqual(['never_pushed', 'never_pushed']);

    const plan = await planFor(domain, [created.id]);
    expect(plan.items.map((i) => [i.workspaceId, i.action, i.newName])).toEqual(
      expect.arrayContaining([
        [production, 'create', 'PUSH_TEST_TOKEN'],
        [staging, 'create', 'PUSH_TEST_TOKEN'],
      ]),
    );
    // The plan is shown before anything is sent.
    expect(remoteNamed(PRODUCTION, 'PUSH_TEST_TOKEN')).toEqual([]);
    const applied = await call(domain, 'push:apply', { planId: plan.id });
    expect(applied.items.filter((i) => i.action === 'create').map((i) => i.status)).toEqual(['done', 'done']);
    expect(remoteNamed(PRODUCTION, 'PUSH_TEST_TOKEN')).toMatchObject([{ valueLength: 'first-value-123'.length }]);
    expect(remoteNamed(STAGING, 'PUSH_TEST_TOKEN')).toHaveLength(1);
    // Re-synced: the inventory has them, and the local secret is in sync everywhere.
    expect((await call(domain, 'localSecrets:get', { id: created.id })).targets.map((t) => t.state)).toEqual(['in_sync', 'in_sync']);
    expect((await planFor(domain)).items.filter((i) => i.action !== 'unchanged' && i.action !== 'remote_only')).toEqual([]);

    const other = await call(domain, 'localSecrets:create', {
      name: 'OTHER_TOKEN',
      value: 'other-value',
      targets: [{ workspaceId: production, remoteName: null }],
    });
    await call(domain, 'push:apply', { planId: (await planFor(domain, [other.id])).id });

    // A new value: one update, for it only, in both workspaces.
    await call(domain, 'localSecrets:rotate', { id: created.id, value: 'second-value-1234' });
    const afterRotate = await planFor(domain);
    const changes = afterRotate.items.filter((i) => i.action !== 'unchanged' && i.action !== 'remote_only');
    expect(changes.map((i) => [i.action, i.newName, i.reasons])).toEqual([
      ['update', 'PUSH_TEST_TOKEN', ['value_changed']],
      ['update', 'PUSH_TEST_TOKEN', ['value_changed']],
    ]);
    await call(domain, 'push:apply', { planId: afterRotate.id });
    expect(remoteNamed(PRODUCTION, 'PUSH_TEST_TOKEN')).toMatchObject([{ valueLength: 'second-value-1234'.length }]);

    // A rename: an update that sends the value again under the new name.
    await call(domain, 'localSecrets:update', { id: created.id, name: 'PUSH_TEST_TOKEN_V2' });
    const renamed = await planFor(domain, [created.id]);
    expect(renamed.items.map((i) => [i.action, i.remoteName, i.newName, i.reasons])).toEqual([
      ['update', 'PUSH_TEST_TOKEN', 'PUSH_TEST_TOKEN_V2', ['renamed']],
      ['update', 'PUSH_TEST_TOKEN', 'PUSH_TEST_TOKEN_V2', ['renamed']],
    ]);
    await call(domain, 'push:apply', { planId: renamed.id });
    expect(remoteNamed(PRODUCTION, 'PUSH_TEST_TOKEN')).toEqual([]);
    expect(remoteNamed(PRODUCTION, 'PUSH_TEST_TOKEN_V2')).toMatchObject([{ valueLength: 'second-value-1234'.length }]);
  });

  it('rotates keeping the previous value, restores it, and reveals each only on request', async () => {
    const { domain } = await setup();
    const secret = await call(domain, 'localSecrets:create', { name: 'ROTATE_ME', value: 'value-one-111' });
    expect(secret.hasPrevious).toBe(false);
    const rotated = await call(domain, 'localSecrets:rotate', { id: secret.id, value: 'value-two-222' });
    expect(rotated.hasPrevious).toBe(true);
    expect(await call(domain, 'localSecrets:reveal', { id: secret.id, version: 'current' })).toEqual({ value: 'value-two-222' });
    expect(await call(domain, 'localSecrets:reveal', { id: secret.id, version: 'previous' })).toEqual({ value: 'value-one-111' });
    await call(domain, 'localSecrets:restorePrevious', { id: secret.id });
    expect(await call(domain, 'localSecrets:reveal', { id: secret.id, version: 'current' })).toEqual({ value: 'value-one-111' });
    // A third value drops the oldest from the keychain: two entries for this secret, no more.
    await call(domain, 'localSecrets:rotate', { id: secret.id, value: 'value-three-333' });
    const entries = (await keychainAccounts(keychainService)).filter((a) => a.startsWith('local-secret-value/'));
    expect(entries).toHaveLength(2);
  });

  it('adopts a remote secret made in the dashboard: it takes it over instead of creating a second', async () => {
    const { domain, production } = await setup();
    const { items: secrets } = await call(domain, 'inventory:searchSecrets', {
      query: 'SENDGRID',
      workspaceId: production,
      usage: 'any',
      presence: 'present',
      usedBy: null,
      offset: 0,
      limit: 10,
    });
    const remote = secrets[0]!;
    const adopted = await call(domain, 'localSecrets:adopt', {
      workspaceId: production,
      remoteSecretId: remote.secretId,
      value: 'adopted-value-98765',
    });
    expect(adopted).toMatchObject({
      name: remote.name,
      targets: [{ workspaceId: production, remoteSecretId: remote.secretId, state: 'never_pushed' }],
    });
    const plan = await planFor(domain, [adopted.id]);
    // Not "the value changed": the dashboard's value is unknown, and the first push takes it over.
    expect(plan.items.map((i) => [i.action, i.remoteSecretId, i.reasons])).toEqual([['update', remote.secretId, ['adopted']]]);
    await call(domain, 'push:apply', { planId: plan.id });
    expect(remoteNamed(PRODUCTION, remote.name)).toEqual([
      { id: remote.secretId, name: remote.name, valueLength: 'adopted-value-98765'.length },
    ]);
    expect(
      await callError(domain, 'localSecrets:adopt', { workspaceId: production, remoteSecretId: remote.secretId, value: 'again-value' }),
    ).toMatchObject({ code: 'conflict' });
  });

  it('shows who uses a secret before deleting it, and says why ElevenLabs refused', async () => {
    const { domain, production } = await setup();
    const { items } = await call(domain, 'inventory:searchSecrets', {
      query: 'GOOGLE_CALENDAR',
      workspaceId: production,
      usage: 'used',
      presence: 'present',
      usedBy: null,
      offset: 0,
      limit: 10,
    });
    const inUse = items[0]!;
    const plan = await call(domain, 'push:plan', {
      secretIds: [],
      workspaceIds: [production],
      force: false,
      deletions: [{ workspaceId: production, remoteSecretId: inUse.secretId }],
    });
    const deletion = plan.items.find((i) => i.action === 'delete')!;
    expect(deletion.dependants.map((d) => d.name)).toEqual(expect.arrayContaining(['Appointment Scheduler']));
    // Nothing else is ever deleted: everything unmanaged is left alone.
    expect(plan.items.filter((i) => i.action === 'delete')).toHaveLength(1);
    expect(plan.counts.remoteOnly).toBeGreaterThan(5);
    const applied = await call(domain, 'push:apply', { planId: plan.id });
    const result = applied.items.find((i) => i.action === 'delete')!;
    // Refused, not failed: a retry would only be refused again, so it is final and never offered again.
    expect(result).toMatchObject({ status: 'refused', problem: { code: 'remote_rejected' } });
    // In the app's words, by kind and by name, never the server's text cut short.
    expect(result.problem!.message).toBe(
      'ElevenLabs refused to delete “GOOGLE_CALENDAR_TOKEN”: it is still used by 2 agents and 2 tools (agent “Appointment Scheduler”, ' +
        'agent “Front Desk Receptionist”, tool “book_appointment”, tool “check_calendar_availability”). Take it out of these first, then delete it.',
    );
    expect(remoteNamed(PRODUCTION, 'GOOGLE_CALENDAR_TOKEN')).toHaveLength(1);
    // Activity and its CSV carry the same whole message, not the server's text cut mid-word.
    const filter = { workspaceId: null, action: 'push_delete' as const, result: null, query: '' };
    const { entries } = await call(domain, 'activity:list', { ...filter, offset: 0, limit: 10 });
    expect(entries[0]).toMatchObject({ result: 'failed', detail: result.problem!.message });
    const csv = await call(domain, 'activity:export', { format: 'csv', filter });
    if (!csv.saved) throw new Error('the export was not saved');
    expect(fs.readFileSync(csv.path, 'utf8')).toContain('Take it out of these first, then delete it.');
    expect((await call(domain, 'push:latest', {})).plan!.items.find((i) => i.action === 'delete')!.status).toBe('refused');
    // Applying the plan again sends nothing: the refusal is settled.
    const before = emulator.stats().byRoute['DELETE /v1/convai/secrets/{secret_id}'] ?? 0;
    await call(domain, 'push:apply', { planId: plan.id });
    expect(emulator.stats().byRoute['DELETE /v1/convai/secrets/{secret_id}'] ?? 0).toBe(before);
  });

  it('names who uses a secret it would overwrite, and sends that only when confirmed; a left-out item is not sent', async () => {
    const { domain, production } = await setup();
    // A .env import or a new local secret of a name the dashboard made, used by 1 agent and 2 phone numbers.
    const twilio = await call(domain, 'localSecrets:create', {
      name: 'TWILIO_AUTH_TOKEN',
      value: 'local-twilio-token-1',
      targets: [{ workspaceId: production, remoteName: null }],
    });
    const fresh = await call(domain, 'localSecrets:create', {
      name: 'FRESH_ONE',
      value: 'fresh-value-1',
      targets: [{ workspaceId: production, remoteName: null }],
    });
    const seeded = remoteNamed(PRODUCTION, 'TWILIO_AUTH_TOKEN')[0]!;
    const plan = await planFor(domain, [twilio.id, fresh.id]);
    const takeOver = plan.items.find((i) => i.newName === 'TWILIO_AUTH_TOKEN')!;
    expect(takeOver).toMatchObject({ action: 'update', reasons: ['takes_over_existing'], needsConfirmation: true });
    expect(takeOver.dependants.map((d) => [d.kind, d.name])).toEqual(
      expect.arrayContaining([
        ['agent', 'Outbound Sales Caller'],
        ['phone_number', 'Front desk main line'],
        ['phone_number', 'Sales outbound'],
      ]),
    );
    const create = plan.items.find((i) => i.newName === 'FRESH_ONE')!;
    expect(create).toMatchObject({ action: 'create', needsConfirmation: false, dependants: [] });

    // Not confirmed: refused before anything is sent.
    expect(await callError(domain, 'push:apply', { planId: plan.id })).toMatchObject({ code: 'conflict', field: 'confirmed' });
    expect(await callError(domain, 'push:apply', { planId: plan.id, leaveOut: [999] })).toMatchObject({
      code: 'invalid_request',
      field: 'leaveOut',
    });
    expect(remoteNamed(PRODUCTION, 'FRESH_ONE')).toEqual([]);

    // Left out: not sent, recorded as such, and still pending here.
    const applied = await call(domain, 'push:apply', { planId: plan.id, leaveOut: [takeOver.id] });
    expect(applied.items.find((i) => i.id === takeOver.id)!.status).toBe('left_out');
    expect(applied.items.find((i) => i.id === create.id)!.status).toBe('done');
    expect(remoteNamed(PRODUCTION, 'TWILIO_AUTH_TOKEN')).toEqual([seeded]);
    expect(remoteNamed(PRODUCTION, 'FRESH_ONE')).toHaveLength(1);
    const again = await planFor(domain, [twilio.id]);
    expect(again.items.map((i) => [i.action, i.reasons])).toEqual([['update', ['takes_over_existing']]]);

    // Confirmed: the value in use is overwritten, and the secret is managed here from then on.
    const confirmed = await call(domain, 'push:apply', { planId: again.id, confirmed: [again.items[0]!.id] });
    expect(confirmed.items[0]!.status).toBe('done');
    expect(remoteNamed(PRODUCTION, 'TWILIO_AUTH_TOKEN')).toEqual([{ ...seeded, valueLength: 'local-twilio-token-1'.length }]);
  });

  it('says a secret deleted in the dashboard since the last push was removed there, and recreates it', async () => {
    const { domain, staging } = await setup();
    const secret = await call(domain, 'localSecrets:create', {
      name: 'DELETED_IN_DASHBOARD',
      value: 'recreate-me-1',
      targets: [{ workspaceId: staging, remoteName: null }],
    });
    await call(domain, 'push:apply', { planId: (await planFor(domain, [secret.id])).id });
    const [pushed] = remoteNamed(STAGING, 'DELETED_IN_DASHBOARD');
    const response = await fetch(`${emulator.url}/v1/convai/secrets/${pushed!.id}`, {
      method: 'DELETE',
      headers: { 'xi-api-key': STAGING },
    });
    expect(response.status).toBe(204);
    await call(domain, 'inventory:sync', { workspaceIds: [staging] });
    const plan = await planFor(domain, [secret.id]);
    expect(plan.items.map((i) => [i.action, i.reasons])).toEqual([['create', ['removed_remotely']]]);
    await call(domain, 'push:apply', { planId: plan.id });
    expect(remoteNamed(STAGING, 'DELETED_IN_DASHBOARD')).toHaveLength(1);
  });

  it('removing a workspace drops the local targets to it, names them, and keeps their values', async () => {
    const { domain, production, staging } = await setup();
    const both = await call(domain, 'localSecrets:create', {
      name: 'TARGETS_BOTH',
      value: 'kept-value-1',
      targets: [
        { workspaceId: production, remoteName: null },
        { workspaceId: staging, remoteName: null },
      ],
    });
    const removed = await call(domain, 'workspaces:remove', { workspaceId: staging });
    expect(removed.droppedTargets).toEqual([{ id: both.id, name: 'TARGETS_BOTH' }]);
    const after = await call(domain, 'localSecrets:get', { id: both.id });
    expect(after.targets.map((t) => t.workspaceId)).toEqual([production]);
    expect(await call(domain, 'localSecrets:reveal', { id: both.id, version: 'current' })).toEqual({ value: 'kept-value-1' });
  });

  it('plans a deletion alone when asked: nothing pending is pushed along with it', async () => {
    const { domain, production } = await setup();
    await call(domain, 'localSecrets:create', {
      name: 'PENDING_CREATE',
      value: 'pending-value-1',
      targets: [{ workspaceId: production, remoteName: null }],
    });
    const { items } = await call(domain, 'inventory:searchSecrets', {
      query: 'AIRTABLE_PAT_DEPRECATED',
      workspaceId: production,
      usage: 'any',
      presence: 'present',
      usedBy: null,
      offset: 0,
      limit: 10,
    });
    const unused = items[0]!;
    const deletions = [{ workspaceId: production, remoteSecretId: unused.secretId }];
    const request = { secretIds: [], workspaceIds: [production], force: false, deletions };
    // Without it, the workspace's pending create (and every remote-only secret) comes along.
    const everything = await call(domain, 'push:plan', request);
    expect(everything.counts).toMatchObject({ create: 1, delete: 1 });
    const alone = await call(domain, 'push:plan', { ...request, deletionsOnly: true });
    expect(alone.items.map((i) => [i.action, i.remoteSecretId])).toEqual([['delete', unused.secretId]]);
    const applied = await call(domain, 'push:apply', { planId: alone.id });
    expect(applied.items.map((i) => i.status)).toEqual(['done']);
    expect(remoteNamed(PRODUCTION, 'AIRTABLE_PAT_DEPRECATED')).toEqual([]);
    expect(remoteNamed(PRODUCTION, 'PENDING_CREATE')).toEqual([]);
  });

  it('a 500 after the create was stored ends with exactly one remote secret', async () => {
    const { domain, staging } = await setup();
    const secret = await call(domain, 'localSecrets:create', {
      name: 'LANDED_ONCE',
      value: 'landed-value',
      targets: [{ workspaceId: staging, remoteName: null }],
    });
    emulator.injectFault({ status: 500, afterHandling: true, method: 'POST', pathPrefix: '/v1/convai/secrets', count: 1 });
    const applied = await call(domain, 'push:apply', { planId: (await planFor(domain, [secret.id])).id });
    expect(applied.items.map((i) => i.status)).toEqual(['done']);
    expect(remoteNamed(STAGING, 'LANDED_ONCE')).toHaveLength(1);
    const pushed = await call(domain, 'localSecrets:get', { id: secret.id });
    expect(pushed.targets[0]).toMatchObject({ state: 'in_sync', remoteSecretId: remoteNamed(STAGING, 'LANDED_ONCE')[0]!.id });
  });

  it('waits out a 429 with Retry-After, and shows when it will try again', async () => {
    const { domain, staging } = await setup({ api: { maxRetries: 2, maxRetryWaitSeconds: 5 } });
    const secret = await call(domain, 'localSecrets:create', {
      name: 'RATE_LIMITED',
      value: 'limited-value',
      targets: [{ workspaceId: staging, remoteName: null }],
    });
    const progress: PushProgress[] = [];
    domain.events.subscribe((event, payload) => event === 'push:progress' && progress.push(payload as PushProgress));
    emulator.injectFault({ status: 429, retryAfter: 1, method: 'POST', count: 1 });
    const started = Date.now();
    const applied = await call(domain, 'push:apply', { planId: (await planFor(domain, [secret.id])).id });
    expect(applied.items[0]!.status).toBe('done');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(progress.find((p) => p.retryAt !== null)?.retryAt).toBeGreaterThanOrEqual(started + 1000);
    expect(remoteNamed(STAGING, 'RATE_LIMITED')).toHaveLength(1);
  });

  it('keeps names the API would refuse and duplicates out, with a clear message', async () => {
    const { domain, production, staging } = await setup();
    expect(await callError(domain, 'localSecrets:create', { name: 'has space', value: 'v' })).toMatchObject({
      code: 'invalid_request',
      field: 'name',
    });
    expect(await callError(domain, 'localSecrets:create', { name: '9_STARTS_WITH_DIGIT', value: 'v' })).toMatchObject({ field: 'name' });
    await call(domain, 'localSecrets:create', {
      name: 'ONCE',
      value: 'v1',
      targets: [{ workspaceId: production, remoteName: 'SHARED_NAME' }],
    });
    expect(await callError(domain, 'localSecrets:create', { name: 'ONCE', value: 'v2' })).toMatchObject({
      code: 'conflict',
      field: 'name',
    });
    const clash = await callError(domain, 'localSecrets:create', {
      name: 'SHARED_NAME',
      value: 'v3',
      targets: [
        { workspaceId: production, remoteName: null },
        { workspaceId: staging, remoteName: null },
      ],
    });
    expect(clash).toMatchObject({
      code: 'conflict',
      field: 'targets',
      message: expect.stringMatching(/“ONCE” already pushes to “SHARED_NAME” in “Production”/),
    });
  });

  it('imports a .env file: a preview with line numbers first, then only what was chosen', async () => {
    const { domain, staging } = await setup();
    await call(domain, 'localSecrets:create', { name: 'EXISTING_KEY', value: 'old-value' });
    await call(domain, 'localSecrets:create', { name: 'SAME_KEY', value: 'same-value' });
    const content = [
      '# from the old server',
      'NEW_KEY=new-value-1',
      'EXISTING_KEY="changed-value"',
      'SAME_KEY=same-value',
      'not a line',
      '1BAD=x',
      'EMPTY=',
      'SKIPPED_KEY=skip-me',
    ].join('\n');
    const preview = await call(domain, 'localSecrets:importPreview', { content });
    expect(preview.lines.map((l) => [l.line, l.name, l.status])).toEqual([
      [2, 'NEW_KEY', 'new'],
      [3, 'EXISTING_KEY', 'changed'],
      [4, 'SAME_KEY', 'unchanged'],
      [5, '', 'invalid'],
      [6, '1BAD', 'invalid'],
      [7, 'EMPTY', 'invalid'],
      [8, 'SKIPPED_KEY', 'new'],
    ]);
    expect(preview.lines.find((l) => l.line === 6)?.problem).toMatch(/name must start with a letter/);
    // Nothing is stored by a preview.
    expect((await call(domain, 'localSecrets:list', { query: 'NEW_KEY', tag: null })).secrets).toEqual([]);
    const applied = await call(domain, 'localSecrets:importApply', {
      content,
      names: ['NEW_KEY', 'EXISTING_KEY'],
      targetWorkspaceIds: [staging],
    });
    expect(applied).toMatchObject({ created: 1, updated: 1, skipped: 5 });
    expect(applied.skippedLines.map((l) => [l.line, l.reason])).toEqual([
      [4, 'unchanged'],
      [5, 'invalid'],
      [6, 'invalid'],
      [7, 'invalid'],
      [8, 'not-chosen'],
    ]);
    const names = (await call(domain, 'localSecrets:list', { query: '', tag: null })).secrets.map((s) => s.name);
    expect(names).toEqual(['EXISTING_KEY', 'NEW_KEY', 'SAME_KEY']);
    const existing = (await call(domain, 'localSecrets:list', { query: 'EXISTING', tag: null })).secrets[0]!;
    expect(await call(domain, 'localSecrets:reveal', { id: existing.id, version: 'current' })).toEqual({ value: 'changed-value' });
    expect(existing.hasPrevious).toBe(true);
  });

  it('copies to the clipboard from main and clears it after the timeout, unless something else was copied', async () => {
    const clock = manualClock();
    const { domain } = await setup({ clock });
    await call(domain, 'settings:update', { clipboardClearSeconds: 10 });
    const secret = await call(domain, 'localSecrets:create', { name: 'COPY_ME', value: 'copied-value-42' });
    const reply = await call(domain, 'localSecrets:copy', { id: secret.id, version: 'current' });
    expect(JSON.stringify(reply)).not.toContain('copied-value-42');
    expect(reply.clearsAt).toBe(clock.now() + 10_000);
    expect(domain.clipboard.read()).toBe('copied-value-42');
    clock.advance(9_000);
    expect(domain.clipboard.read()).toBe('copied-value-42');
    clock.advance(1_000);
    expect(domain.clipboard.read()).toBe('');

    await call(domain, 'localSecrets:copy', { id: secret.id, version: 'current' });
    domain.clipboard.write('the user copied something else');
    clock.advance(10_000);
    expect(domain.clipboard.read()).toBe('the user copied something else');
  });

  it('records every change in the activity log, and exports it and the inventory without values', async () => {
    const { domain, staging } = await setup();
    const secret = await call(domain, 'localSecrets:create', {
      name: 'LOGGED',
      value: 'logged-value-77',
      targets: [{ workspaceId: staging, remoteName: null }],
    });
    await call(domain, 'push:apply', { planId: (await planFor(domain, [secret.id])).id });
    await call(domain, 'localSecrets:rotate', { id: secret.id, value: 'logged-value-88' });
    const { entries } = await call(domain, 'activity:list', {
      workspaceId: null,
      action: null,
      result: null,
      query: 'logged',
      offset: 0,
      limit: 50,
    });
    expect(entries.map((e) => e.action)).toEqual(['rotate', 'push_create', 'create']);
    expect(entries[1]).toMatchObject({ workspaceLabel: 'Staging', result: 'ok' });
    const saved = (reply: Awaited<ReturnType<typeof call<'activity:export'>>>) => {
      if (!reply.saved) throw new Error(`${reply.fileName} was not saved`);
      return fs.readFileSync(reply.path, 'utf8');
    };
    const csv = saved(
      await call(domain, 'activity:export', {
        format: 'csv',
        filter: { workspaceId: null, action: null, result: null, query: '' },
      }),
    );
    expect(csv.split('\n')[0]).toBe('time,workspace,subject,action,result,detail');
    expect(csv).toContain('push_create');
    const json = saved(await call(domain, 'inventory:export', { format: 'json', workspaceId: staging }));
    expect((JSON.parse(json) as { name: string }[]).map((row) => row.name)).toContain('LOGGED');
    for (const content of [csv, json]) expect(content).not.toMatch(/logged-value/);
  });
});

describe('review', () => {
  it('lists what needs attention', async () => {
    const { domain, production, staging } = await setup();
    const a = await call(domain, 'localSecrets:create', {
      name: 'SHARED_A',
      value: 'same-secret-value',
      targets: [{ workspaceId: staging, remoteName: null }],
    });
    await call(domain, 'localSecrets:create', { name: 'SHARED_B', value: 'same-secret-value' });
    await call(domain, 'push:apply', { planId: (await planFor(domain, [a.id])).id });
    await call(domain, 'localSecrets:rotate', { id: a.id, value: 'now-different' });
    const { items } = await call(domain, 'review:list', { rotationDays: 90 });
    const kinds = (kind: string) => items.filter((i) => i.kind === kind).map((i) => i.name);
    expect(kinds('changed_since_push')).toEqual(['SHARED_A']);
    expect(kinds('never_pushed')).toEqual(['SHARED_B']);
    expect(kinds('in_use_without_local_value')).toContain('GOOGLE_CALENDAR_TOKEN');
    expect(kinds('unused_remote')).toContain('LEGACY_MAILCHIMP_API_KEY');
    expect(kinds('missing_in_workspace')).toContain('GOOGLE_CALENDAR_TOKEN');
    expect(items.find((i) => i.kind === 'missing_in_workspace' && i.name === 'GOOGLE_CALENDAR_TOKEN')?.workspaceIds).toEqual([staging]);
    void production;
  });
});
