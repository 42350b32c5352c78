import type { BrowserWindowConstructorOptions } from 'electron';
import type { Core } from '../core/core';
import { contentSecurityPolicy, developmentContentSecurityPolicy } from '../../shared/csp';
import { installContentSecurityPolicy } from './content-security-policy';
import type { ShellElectron, ShellWindow } from './electron-types';
import { blockNavigation, denyPermissions } from './hardening';
import { appPageUrl } from './app-protocol';
import { bridgeIpc } from './ipc-bridge';
import type { RendererLocation } from './sender';

export interface MainWindowOptions {
  /** The bundled preload (out/preload/index.cjs). */
  readonly preloadPath: string;
  readonly renderer: RendererLocation;
  readonly core: Pick<Core, 'dispatch' | 'events' | 'logger'>;
  /** The Content-Security-Policy header; the shared dashboard policy by default. */
  readonly contentSecurityPolicy?: string;
}

/** The window's options: the renderer is an untrusted web page with no Node and no Electron. */
export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 820,
    minWidth: 720,
    minHeight: 480,
    title: 'Gitbot',
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  };
}

/**
 * Opens the one window: hardened session and web contents, the IPC bridge, then the page.
 * Everything tied to the window is released when it closes.
 */
export function createMainWindow<W extends ShellWindow>(electron: Pick<ShellElectron<W>, 'BrowserWindow' | 'ipcMain'>, options: MainWindowOptions): W {
  const { core, renderer } = options;
  const window = new electron.BrowserWindow(mainWindowOptions(options.preloadPath));
  const { webContents } = window;

  // The dev server (npm run dev) needs its inline React preamble; a built page never does.
  const policy = options.contentSecurityPolicy ?? (renderer.kind === 'url' ? developmentContentSecurityPolicy : contentSecurityPolicy);
  installContentSecurityPolicy(webContents.session, policy);
  denyPermissions(webContents.session);
  blockNavigation(webContents, (what) => core.logger.warn(`Blocked ${what}`));
  const bridge = bridgeIpc({ ipcMain: electron.ipcMain, webContents, renderer, core });

  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    void bridge.dispose();
  });

  const loading = window.loadURL(renderer.kind === 'url' ? renderer.url : appPageUrl);
  loading.catch((error: unknown) => core.logger.error(`The dashboard page failed to load: ${(error as Error).message}`));
  return window;
}
