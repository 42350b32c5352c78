/**
 * Builds the renderer-facing API from two transport primitives. The preload and the
 * loopback client both use it, so the renderer cannot tell them apart.
 */
import type { EventName, EventPayloads, GitbotApi, GitbotRequests } from './contract';
import { requestNames, type RequestName } from './names';
import type { Result } from './result';

export interface Transport {
  invoke(name: RequestName, arg: unknown): Promise<Result<unknown>>;
  subscribe(listener: (event: EventName, payload: unknown) => void): () => void;
}

export function createApi(transport: Transport): GitbotApi {
  const requests = Object.fromEntries(
    requestNames.map((name) => [name, (arg: unknown) => transport.invoke(name, arg ?? {})]),
  ) as unknown as GitbotRequests;
  return Object.freeze({
    ...requests,
    on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void {
      return transport.subscribe((name, payload) => {
        if (name === event) {
          listener(payload as EventPayloads[E]);
        }
      });
    },
  });
}
