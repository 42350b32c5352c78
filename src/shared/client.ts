/**
 * Builds the typed API from two transport primitives. The preload, the loopback client and
 * the core's in-process transport all use it, so no caller can tell them apart.
 */
import type { EventName, EventPayloads, GitbotApi, GitbotRequests } from './contract';
import type { Event } from './event';
import { requestNames, type RequestName } from './names';
import type { Result } from './result';

/** An event as a transport carries it: the name is checked, the payload only typed by `createApi`. */
export interface TransportEvent {
  readonly name: EventName;
  readonly payload: unknown;
}

export interface Transport {
  invoke(name: RequestName, arg: unknown): Promise<Result<unknown>>;
  /** Every pushed event, whatever its name. */
  readonly onEvent: Event<TransportEvent>;
}

/**
 * The one place results and payloads get their types back: main produced them from the
 * contract's handlers, so the request's name fixes what each one is.
 */
export function createApi(transport: Transport): GitbotApi {
  const requests = Object.fromEntries(requestNames.map((name) => [name, (arg: unknown) => transport.invoke(name, arg ?? {})])) as unknown as GitbotRequests;
  return Object.freeze({
    ...requests,
    on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void {
      const subscription = transport.onEvent(({ name, payload }) => {
        if (name === event) {
          listener(payload as EventPayloads[E]);
        }
      });
      return () => subscription.dispose();
    },
  });
}
