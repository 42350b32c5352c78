import type { EventName, EventPayloads } from '../../../shared/contract';
import { Emitter, type Disposable, type Event } from '../../../shared/event';

export type EventListener = <E extends EventName>(event: E, payload: EventPayloads[E]) => void;

/** One pushed event: its name and the payload that name carries. */
export type CoreEvent = { readonly [E in EventName]: { readonly name: E; readonly payload: EventPayloads[E] } }[EventName];

/** The one place pushed events leave the services; every transport subscribes here. */
export class EventHub implements Disposable {
  // A broken subscriber (a closed socket, a destroyed window) must not stop the others.
  private readonly emitter = new Emitter<CoreEvent>({ onListenerError: () => undefined });

  /** Every event, as one `Event<CoreEvent>`. */
  readonly onEvent: Event<CoreEvent> = this.emitter.event;

  emit<E extends EventName>(event: E, payload: EventPayloads[E]): void {
    this.emitter.fire({ name: event, payload } as CoreEvent);
  }

  /** The (name, payload) form of `onEvent`, for transports that forward every event. */
  subscribe(listener: EventListener): Disposable {
    return this.emitter.event(({ name, payload }) => listener(name, payload as never));
  }

  get subscriberCount(): number {
    return this.emitter.listenerCount;
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
