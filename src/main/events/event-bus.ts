import { events, type EventName, type EventPayload } from '../../shared/contract';
import type { Logger } from '../logging/logger';
import type { Redactor } from '../logging/redactor';

type Listener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/**
 * Events for the renderer. Domain services emit; each transport (Electron, preview) listens.
 * Every payload is checked against its schema in the contract and scrubbed before any
 * transport sees it, so an event is held to the same rules as a reply.
 */
export class EventBus {
  readonly #listeners = new Set<Listener>();

  constructor(private readonly deps: { redactor: Redactor; log: Logger }) {}

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    const parsed = events[event].safeParse(payload);
    if (!parsed.success) {
      this.deps.log.error('event dropped: it does not match the contract', { event });
      return;
    }
    const clean = this.deps.redactor.scrubDeep(parsed.data) as EventPayload<E>;
    for (const listener of this.#listeners) listener(event, clean);
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
