import { describe, expect, it } from 'vitest';
import type { EventName } from '../../shared/contract';
import { Redactor } from '../logging/redactor';
import { EventBus } from './event-bus';

function bus() {
  const errors: string[] = [];
  const redactor = new Redactor();
  redactor.add('sk_canary_event_0001');
  const events = new EventBus({ redactor, log: { info() {}, warn() {}, error: (message) => errors.push(message) } });
  const received: unknown[] = [];
  events.subscribe((event, payload) => received.push({ event, payload }));
  return { events, received, errors };
}

describe('EventBus', () => {
  it('drops a payload that does not match its schema, and logs the bug', () => {
    const { events, received, errors } = bus();
    events.emit('app:menuCommand' as EventName, { command: 'format-disk' } as never);
    events.emit('sync:progress', { workspaceId: 'w', phase: 'secrets', pagesFetched: -1, secretsFetched: 0, retry: null });
    expect(received).toEqual([]);
    expect(errors).toHaveLength(2);
  });

  it('scrubs what it sends, like every reply', () => {
    const { events, received } = bus();
    events.emit('sync:progress', {
      workspaceId: 'sk_canary_event_0001',
      phase: 'secrets',
      pagesFetched: 1,
      secretsFetched: 1,
      retry: null,
    });
    expect(JSON.stringify(received)).not.toContain('sk_canary_event_0001');
    expect(received).toHaveLength(1);
  });
});
