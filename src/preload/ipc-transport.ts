import type { IpcRenderer, IpcRendererEvent } from 'electron';
import type { Transport } from '../shared/client';
import type { EventName } from '../shared/contract';
import { eventChannel, eventNames, requestChannel } from '../shared/names';
import type { Result } from '../shared/result';

/** The part of ipcRenderer the transport uses; tests pass a fake. */
export type PreloadIpc = Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>;

type EventListener = (event: EventName, payload: unknown) => void;

/**
 * The renderer side of the Electron transport. Requests go through ipcRenderer.invoke; events
 * arrive on one channel with one ipcRenderer listener, attached while someone listens, that
 * fans out to the page's listeners. The Electron event object never reaches the page.
 */
export function createIpcTransport(ipc: PreloadIpc): Transport {
  const listeners = new Set<EventListener>();
  const onEvent = (_event: IpcRendererEvent, name: unknown, payload: unknown): void => {
    if (typeof name !== 'string' || !(eventNames as readonly string[]).includes(name)) {
      return;
    }
    for (const listener of [...listeners]) {
      try {
        listener(name as EventName, payload);
      } catch (error) {
        // One failing page listener must not starve the others.
        console.error(error);
      }
    }
  };

  return {
    async invoke(name, arg): Promise<Result<unknown>> {
      try {
        return (await ipc.invoke(requestChannel(name), arg)) as Result<unknown>;
      } catch (error) {
        // Only when main has no handler (it is shutting down) or the message cannot be cloned.
        return { ok: false, error: { code: 'internal', message: `IPC failed for ${name}: ${(error as Error).message}` } };
      }
    },
    subscribe(listener) {
      // Wrapped, so subscribing the same function twice gives two independent subscriptions.
      const entry: EventListener = (name, payload) => listener(name, payload);
      if (listeners.size === 0) {
        ipc.on(eventChannel, onEvent);
      }
      listeners.add(entry);
      let subscribed = true;
      return () => {
        if (!subscribed) {
          return;
        }
        subscribed = false;
        listeners.delete(entry);
        if (listeners.size === 0) {
          ipc.removeListener(eventChannel, onEvent);
        }
      };
    },
  };
}
