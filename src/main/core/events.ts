import type { EventName, EventPayloads } from '../../shared/contract';
import { toDisposable, type Disposable } from './lifecycle';

export type EventListener = <E extends EventName>(event: E, payload: EventPayloads[E]) => void;

/** The one place pushed events leave the services; every transport subscribes here. */
export class EventHub {
  private readonly listeners = new Set<EventListener>();

  emit<E extends EventName>(event: E, payload: EventPayloads[E]): void {
    for (const listener of this.listeners) {
      try {
        listener(event, payload);
      } catch {
        // A broken subscriber (a closed socket, a destroyed window) must not stop the others.
      }
    }
  }

  subscribe(listener: EventListener): Disposable {
    this.listeners.add(listener);
    return toDisposable(() => {
      this.listeners.delete(listener);
    });
  }

  get subscriberCount(): number {
    return this.listeners.size;
  }
}
