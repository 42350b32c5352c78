import type { Core } from '../core/core';
import { DisposableStore, toDisposable, type Disposable } from '../core/base/lifecycle';
import { eventChannel, requestChannel, requestNames } from '../../shared/names';
import { fail } from '../../shared/result';
import type { ShellIpcMain, ShellWebContents } from './electron-types';
import { isTrustedSender, type RendererLocation } from './sender';

export interface IpcBridgeOptions {
  readonly ipcMain: ShellIpcMain;
  readonly webContents: ShellWebContents;
  readonly renderer: RendererLocation;
  readonly core: Pick<Core, 'dispatch' | 'events' | 'logger'>;
}

/**
 * The Electron transport of the contract: one ipcMain.handle per request and every core
 * event pushed to the window. The sender is checked before the payload is looked at; the
 * payload is then parsed by core.dispatch, never by a service. Disposing (the window
 * closed) removes the handlers and the event subscription, and aborts the signal every
 * request of the window carries: its running searches are cancelled and free their readers,
 * as a loopback client's are when it hangs up.
 */
export function bridgeIpc(options: IpcBridgeOptions): Disposable {
  const { ipcMain, webContents, renderer, core } = options;
  const store = new DisposableStore();
  const windowGone = new AbortController();
  for (const name of requestNames) {
    const channel = requestChannel(name);
    ipcMain.handle(channel, (event, arg) => {
      if (!isTrustedSender(event, webContents.id, renderer)) {
        core.logger.warn(`Refused ${name} from ${event.senderFrame?.url ?? 'a frame that is gone'}`);
        return fail('bad_request', `Refused ${name}: the request did not come from the Gitbot window`);
      }
      return core.dispatch(name, arg, { signal: windowGone.signal });
    });
    store.add(toDisposable(() => ipcMain.removeHandler(channel)));
  }
  store.add(
    core.events.subscribe((event, payload) => {
      if (!webContents.isDestroyed()) {
        webContents.send(eventChannel, event, payload);
      }
    }),
  );
  // Added last, so disposed first: the window's searches stop before anything else is released.
  store.add(toDisposable(() => windowGone.abort()));
  return store;
}
