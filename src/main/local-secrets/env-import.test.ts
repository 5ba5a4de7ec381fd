import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Domain } from '../app/composition';
import { buildDomain, call, clearKeychainService, removeTempDirs, testKeychainService } from '../../../test/support/harness';
import { parseEnvFile } from './env-import';

// The .env import's report of the lines it left out: each by line number, name and reason, so
// the result can say which lines were skipped and why, and never with a value. Real SQLite and
// the real keychain behind the dispatcher.

const keychainService = testKeychainService();
const domains: Domain[] = [];

afterEach(async () => {
  for (const domain of domains.splice(0)) await domain.close();
  await clearKeychainService(keychainService);
});
afterAll(() => removeTempDirs());

function setup(): Domain {
  const domain = buildDomain({ keychainService });
  domains.push(domain);
  return domain;
}

describe('env import, skipped lines', () => {
  it('names every line it left out with its line number and why, and never a value', async () => {
    const domain = setup();
    await call(domain, 'localSecrets:create', { name: 'SAME_KEY', value: 'same-value-17' });
    await call(domain, 'localSecrets:create', { name: 'KEPT_KEY', value: 'kept-value-26' });
    const content = [
      '# a comment is not a skipped line',
      'NEW_KEY=new-value-41',
      'SAME_KEY=same-value-17',
      'not a line',
      '',
      '1BAD=bad-value-93',
      'LEFT_OUT=left-out-value-55',
      'TWICE=first-value-08',
      'TWICE=second-value-09',
      'KEPT_KEY=kept-value-26',
    ].join('\n');
    const applied = await call(domain, 'localSecrets:importApply', {
      content,
      names: ['NEW_KEY', 'SAME_KEY', 'TWICE'],
      targetWorkspaceIds: [],
    });
    expect(applied.created).toBe(2);
    expect(applied.updated).toBe(0);
    expect(applied.skipped).toBe(6);
    expect(applied.skippedLines).toEqual([
      { line: 3, name: 'SAME_KEY', reason: 'unchanged', problem: null },
      { line: 4, name: '', reason: 'invalid', problem: 'is not a NAME=value line' },
      { line: 6, name: '1BAD', reason: 'invalid', problem: expect.stringMatching(/^name must start with a letter/) },
      { line: 7, name: 'LEFT_OUT', reason: 'not-chosen', problem: null },
      { line: 8, name: 'TWICE', reason: 'invalid', problem: 'is defined again on line 9' },
      // Unchanged and so not offered: said as unchanged, not as "not chosen".
      { line: 10, name: 'KEPT_KEY', reason: 'unchanged', problem: null },
    ]);
    const reply = JSON.stringify(applied);
    for (const value of [
      'new-value-41',
      'same-value-17',
      'bad-value-93',
      'left-out-value-55',
      'first-value-08',
      'second-value-09',
      'kept-value-26',
    ]) {
      expect(reply).not.toContain(value);
    }
  });

  it('reports nothing skipped when every line was imported', async () => {
    const domain = setup();
    const applied = await call(domain, 'localSecrets:importApply', {
      content: 'ONLY_KEY=only-value\n',
      names: ['ONLY_KEY'],
      targetWorkspaceIds: [],
    });
    expect(applied).toEqual({ created: 1, updated: 0, skipped: 0, skippedLines: [] });
  });

  it('keeps the name of a line it cannot read only from before its "=" (a line without one might be a pasted value)', () => {
    expect(parseEnvFile('sk_live_pasted_value_without_a_name').map(({ name, value }) => ({ name, value }))).toEqual([
      { name: '', value: null },
    ]);
  });
});
