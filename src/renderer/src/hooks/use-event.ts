import { useEffect, useRef } from 'react';
import type { EventName, EventPayloads } from '../../../shared/contract';
import { useApi } from '../api/api-context';

/** Subscribes to a pushed event for the life of the component; the listener may change freely. */
export function useEvent<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): void {
  const api = useApi();
  const listenerRef = useRef(listener);
  listenerRef.current = listener;
  useEffect(() => api.on(event, (payload) => listenerRef.current(payload)), [api, event]);
}
