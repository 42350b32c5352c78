/**
 * The few Electron APIs the shell uses, as narrow interfaces built from electron.d.ts's own
 * types. The shell takes them as a parameter, so tests pass a fake and only
 * src/main/index.ts imports Electron's values. The checks at the bottom make tsc prove that
 * the real module fits these interfaces.
 */
import type {
  BrowserWindow,
  BrowserWindowConstructorOptions,
  Event,
  HandlerDetails,
  HeadersReceivedResponse,
  OnHeadersReceivedListenerDetails,
  OpenDialogOptions,
  OpenDialogReturnValue,
  ProcessMetric,
  Protocol,
  Session,
  WebContentsWillFrameNavigateEventParams,
  WebContentsWillNavigateEventParams,
  WebContentsWillRedirectEventParams,
  WindowOpenHandlerResponse,
} from 'electron';

type ElectronModule = typeof import('electron');

/** The part of a frame the sender check reads (Electron's WebFrameMain). */
export interface ShellFrame {
  readonly url: string;
  readonly parent: ShellFrame | null;
}

/** The part of an ipcMain.handle event the sender check reads (IpcMainInvokeEvent). */
export interface ShellInvokeEvent {
  readonly sender: { readonly id: number };
  readonly senderFrame: ShellFrame | null;
}

export type InvokeListener = (event: ShellInvokeEvent, ...args: unknown[]) => unknown;

export interface ShellIpcMain {
  handle(channel: string, listener: InvokeListener): void;
  removeHandler(channel: string): void;
}

export type HeadersListener = (details: OnHeadersReceivedListenerDetails, callback: (response: HeadersReceivedResponse) => void) => void;

export interface ShellSession {
  readonly webRequest: { onHeadersReceived(listener: HeadersListener | null): void };
  setPermissionRequestHandler: Session['setPermissionRequestHandler'];
  setPermissionCheckHandler: Session['setPermissionCheckHandler'];
}

export interface ShellWebContents {
  readonly id: number;
  readonly session: ShellSession;
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
  setWindowOpenHandler(handler: (details: HandlerDetails) => WindowOpenHandlerResponse): void;
  on(event: 'will-navigate', listener: (event: Event<WebContentsWillNavigateEventParams>) => void): unknown;
  on(event: 'will-frame-navigate', listener: (event: Event<WebContentsWillFrameNavigateEventParams>) => void): unknown;
  on(event: 'will-redirect', listener: (event: Event<WebContentsWillRedirectEventParams>) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: Event) => void): unknown;
}

export interface ShellWindow {
  readonly webContents: ShellWebContents;
  loadURL(url: string): Promise<void>;
  show(): void;
  focus(): void;
  isDestroyed(): boolean;
  once(event: 'ready-to-show', listener: () => void): unknown;
  on(event: 'closed', listener: () => void): unknown;
}

/** Generic in the window type, so the real dialog gets the real BrowserWindow it expects. */
export interface ShellDialog<W extends ShellWindow = ShellWindow> {
  showOpenDialog(window: W, options: OpenDialogOptions): Promise<OpenDialogReturnValue>;
}

export interface ShellOpener {
  openPath(path: string): Promise<string>;
}

export interface ShellApp {
  getPath(name: 'userData'): string;
  getVersion(): string;
  getAppMetrics(): ProcessMetric[];
  readonly isPackaged: boolean;
  whenReady(): Promise<void>;
  quit(): void;
  on(event: 'before-quit', listener: (event: Event) => void): unknown;
  on(event: 'window-all-closed', listener: () => void): unknown;
}

/** app:// for the page (app-protocol.ts). */
export interface ShellProtocol {
  registerSchemesAsPrivileged: Protocol['registerSchemesAsPrivileged'];
  handle: Protocol['handle'];
}

/** Everything the shell needs from `electron`; src/main/index.ts passes the real module. */
export interface ShellElectron<W extends ShellWindow = ShellWindow> {
  readonly app: ShellApp;
  readonly BrowserWindow: new (options: BrowserWindowConstructorOptions) => W;
  readonly ipcMain: ShellIpcMain;
  readonly dialog: ShellDialog<W>;
  readonly shell: ShellOpener;
  readonly protocol: ShellProtocol;
}

// Compile-time proof that Electron's real module satisfies the narrow interfaces.
type Fits<Actual extends Expected, Expected> = [Actual, Expected];
export type ElectronFitsShell = Fits<Pick<ElectronModule, keyof ShellElectron>, ShellElectron<BrowserWindow>>;
