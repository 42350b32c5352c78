import type { Core } from '../core/core';
import { registerAppScheme, serveAppProtocol } from './app-protocol';
import type { ShellElectron, ShellWindow } from './electron-types';
import { createMainWindow } from './main-window';
import { createNativeHandlers, type NativeHandlers } from './native-handlers';
import type { RendererLocation } from './sender';

export interface DesktopAppOptions {
  readonly preloadPath: string;
  readonly renderer: RendererLocation;
  /** Builds the core once Electron is ready; it gets the native request handlers. */
  readonly openCore: (nativeHandlers: NativeHandlers) => Core;
}

export interface DesktopApp<W extends ShellWindow> {
  readonly core: Core;
  /** The open window, if any. */
  window(): W | undefined;
}

/**
 * The desktop app's life: when Electron is ready, the core and its window start; when the
 * last window closes the app quits; before it quits the core shuts down gracefully (tasks
 * first, bounded by SHUTDOWN_TIMEOUT, then every resource), and only then does Electron exit.
 */
export async function startDesktopApp<W extends ShellWindow>(electron: ShellElectron<W>, options: DesktopAppOptions): Promise<DesktopApp<W>> {
  const { app } = electron;
  // A scheme's privileges can only be given before the app is ready.
  registerAppScheme(electron.protocol);
  await app.whenReady();
  if (options.renderer.kind === 'app') {
    serveAppProtocol(electron.protocol, options.renderer.root);
  }

  let window: W | undefined;
  const core: Core = options.openCore(
    createNativeHandlers({
      dialog: electron.dialog,
      opener: electron.shell,
      window: () => window,
      // Read when a result is opened, from the same configuration as every other setting.
      editorCommand: () => core.options.config.values.GITBOT_EDITOR,
    }),
  );

  window = createMainWindow(electron, { preloadPath: options.preloadPath, renderer: options.renderer, core });
  window.on('closed', () => {
    window = undefined;
  });

  app.on('window-all-closed', () => app.quit());

  let state: 'running' | 'stopping' | 'stopped' = 'running';
  app.on('before-quit', (event) => {
    if (state === 'stopped') {
      return;
    }
    event.preventDefault();
    if (state === 'stopping') {
      return;
    }
    state = 'stopping';
    core
      .shutdown()
      .catch((error: unknown) => core.logger.error(`Shutdown failed: ${(error as Error).message}`))
      .finally(() => {
        state = 'stopped';
        app.quit();
      });
  });

  return { core, window: () => window };
}
