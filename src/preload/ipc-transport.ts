import type { IpcRenderer, IpcRendererEvent } from 'electron';
import type { Transport, TransportEvent } from '../shared/client';
import type { EventName } from '../shared/contract';
import { Emitter } from '../shared/event';
import { eventChannel, eventNames, requestChannel } from '../shared/names';
import type { Result } from '../shared/result';

/** The part of ipcRenderer the transport uses; tests pass a fake. */
export type PreloadIpc = Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>;

/**
 * The renderer side of the Electron transport. Requests go through ipcRenderer.invoke; events
 * arrive on one channel with one ipcRenderer listener, attached while someone listens, that
 * fans out to the page's listeners. The Electron event object never reaches the page.
 */
export function createIpcTransport(ipc: PreloadIpc): Transport {
  const events = new Emitter<TransportEvent>({
    onWillAddFirstListener: () => ipc.on(eventChannel, onEvent),
    onDidRemoveLastListener: () => ipc.removeListener(eventChannel, onEvent),
  });
  function onEvent(_event: IpcRendererEvent, name: unknown, payload: unknown): void {
    if (typeof name === 'string' && (eventNames as readonly string[]).includes(name)) {
      // One failing page listener must not starve the others (the emitter logs it).
      events.fire({ name: name as EventName, payload });
    }
  }

  return {
    async invoke(name, arg): Promise<Result<unknown>> {
      try {
        return (await ipc.invoke(requestChannel(name), arg)) as Result<unknown>;
      } catch (error) {
        // Only when main has no handler (it is shutting down) or the message cannot be cloned.
        return { ok: false, error: { code: 'internal', message: `IPC failed for ${name}: ${(error as Error).message}` } };
      }
    },
    onEvent: events.event,
  };
}
