import { describe, expect, it } from 'vitest';
import type { LocalSecretRecord, RemoteSecretRecord, TargetRecord } from '../local-secrets/local-secret-repository';
import { computePlan, type PlanScope } from './planner';

// The planner's reasons must be true: each case is the state the app would be in, from SQLite alone.

const secret: LocalSecretRecord = {
  id: 'l1',
  name: 'TWILIO_AUTH_TOKEN',
  note: '',
  tags: [],
  valueRef: 'ref',
  previousValueRef: null,
  fingerprint: 'fp-now',
  previousFingerprint: null,
  createdAt: 1,
  updatedAt: 1,
  valueChangedAt: 1,
  linkedAccountId: null,
};
const target = (over: Partial<TargetRecord>): TargetRecord => ({
  localSecretId: 'l1',
  workspaceId: 'w1',
  remoteName: null,
  remoteSecretId: null,
  pushedFingerprint: null,
  pushedName: null,
  pushedAt: null,
  ...over,
});
const remote = (over: Partial<RemoteSecretRecord>): RemoteSecretRecord => ({
  workspaceId: 'w1',
  secretId: 'r1',
  name: 'TWILIO_AUTH_TOKEN',
  removed: false,
  dependantCount: 3,
  agentCount: 1,
  counts: { agents: 1, tools: 0, phoneNumbers: 2, mcpServers: 0, others: 0 },
  ...over,
});
const scope: PlanScope = { secretIds: new Set(['l1']), workspaceIds: null, force: false, deletions: [] };
const plan = (targets: TargetRecord[], remotes: RemoteSecretRecord[]) => computePlan({ secrets: [secret], targets, remotes, scope });

describe('computePlan reasons', () => {
  it('an adopted secret not pushed since is taken over, not "the value changed"', () => {
    const [item] = plan([target({ remoteSecretId: 'r1' })], [remote({})]);
    expect(item).toMatchObject({ action: 'update', reasons: ['adopted'], remoteSecretId: 'r1' });
  });

  it('an adopted secret once pushed is unchanged until its value changes', () => {
    const pushed = { remoteSecretId: 'r1', pushedFingerprint: 'fp-now', pushedName: 'TWILIO_AUTH_TOKEN', pushedAt: 5 };
    expect(plan([target(pushed)], [remote({})])[0]).toMatchObject({ action: 'unchanged', reasons: [] });
    expect(plan([target({ ...pushed, pushedFingerprint: 'fp-old' })], [remote({})])[0]).toMatchObject({
      action: 'update',
      reasons: ['value_changed'],
    });
  });

  it('a pushed secret deleted in the dashboard since is recreated, and says so', () => {
    const pushed = { remoteSecretId: 'r1', pushedFingerprint: 'fp-now', pushedName: 'TWILIO_AUTH_TOKEN', pushedAt: 5 };
    const [item] = plan([target(pushed)], [remote({ removed: true })]);
    expect(item).toMatchObject({ action: 'create', reasons: ['removed_remotely'], newName: 'TWILIO_AUTH_TOKEN' });
  });

  it('a never-pushed target is a plain create; one of the same name made in the dashboard is taken over', () => {
    expect(plan([target({})], [])[0]).toMatchObject({ action: 'create', reasons: [] });
    expect(plan([target({})], [remote({ secretId: 'r9' })])[0]).toMatchObject({
      action: 'update',
      reasons: ['takes_over_existing'],
      remoteSecretId: 'r9',
    });
  });

  it('deleted in the dashboard and made again there under the same name: both reasons', () => {
    const pushed = { remoteSecretId: 'r1', pushedFingerprint: 'fp-now', pushedName: 'TWILIO_AUTH_TOKEN', pushedAt: 5 };
    const [item] = plan([target(pushed)], [remote({ removed: true }), remote({ secretId: 'r2' })]);
    expect(item).toMatchObject({ action: 'update', reasons: ['removed_remotely', 'takes_over_existing'], remoteSecretId: 'r2' });
  });
});
