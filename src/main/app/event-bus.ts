import type { EventName, EventPayload } from '../../shared/contract';

type Listener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/** Events for the renderer. Domain services emit; each transport (Electron, preview) listens. */
export class EventBus {
  readonly #listeners = new Set<Listener>();

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const listener of this.#listeners) listener(event, payload);
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
