import type { Transport } from '../../shared/client';
import type { EventHub } from './base/events';
import type { Dispatch } from './router';

/**
 * The transport of callers in the core's own process (the CLI, the tests): a request is the
 * same `dispatch` every other transport ends in (argument parsed by its schema), an event
 * the same one they forward. `createApi` over it gives them the renderer's typed API.
 */
export function inProcessTransport(dispatch: Dispatch, events: EventHub): Transport {
  return {
    invoke: (name, arg) => dispatch(name, arg),
    onEvent: (listener) => events.onEvent(listener),
  };
}
