import { beforeEach, describe, expect, it } from 'vitest';
import { MAX_ERROR_TOASTS, useUi } from './ui';

describe('notifications', () => {
  beforeEach(() => useUi.setState({ toasts: [] }));
  const messages = () => useUi.getState().toasts.map((t) => `${t.tone}: ${t.message}`);

  it('replaces an older outcome of the same thing with the newer one', () => {
    const { notify } = useUi.getState();
    notify('error', 'Synced 1 workspace (no changes); 2 failed: Staging, Production.', ['sync:demo', 'sync:staging', 'sync:production']);
    notify('success', 'Synced 3 workspaces (no changes).', ['sync:demo', 'sync:staging', 'sync:production']);
    expect(messages()).toEqual(['success: Synced 3 workspaces (no changes).']);
  });

  it('replaces a notification about any workspace a newer sync covered, and keeps the others', () => {
    const { notify } = useUi.getState();
    notify('error', 'Sync of “Staging” failed.', ['sync:staging']);
    notify('error', 'Sync of “Production” failed.', ['sync:production']);
    notify('info', 'Copied.');
    notify('success', 'Synced “Staging”: no changes.', ['sync:staging']);
    expect(messages()).toEqual(['error: Sync of “Production” failed.', 'info: Copied.', 'success: Synced “Staging”: no changes.']);
  });

  it('still keeps at most three errors about different things', () => {
    const { notify } = useUi.getState();
    for (const name of ['a', 'b', 'c', 'd']) notify('error', `Sync of ${name} failed.`, [`sync:${name}`]);
    expect(useUi.getState().toasts).toHaveLength(MAX_ERROR_TOASTS);
    expect(messages()[0]).toBe('error: Sync of b failed.');
  });
});
