/**
 * An in-memory stand-in for the few Electron APIs the shell uses (see electron-types.ts),
 * recording what the shell asked for so tests can look, and letting tests play Electron's
 * part: fire events, invoke IPC handlers, close the window.
 */
import type { BrowserWindowConstructorOptions, CustomScheme, HandlerDetails, OpenDialogOptions, OpenDialogReturnValue, ProcessMetric, WindowOpenHandlerResponse } from 'electron';
import type { HeadersListener, InvokeListener, ShellElectron, ShellInvokeEvent, ShellSession, ShellWebContents, ShellWindow } from '../electron-types';

type Listener = (...args: never[]) => unknown;

class Emitter {
  private readonly listeners = new Map<string, Listener[]>();

  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }

  once(event: string, listener: Listener): this {
    const wrapper = ((...args: never[]) => {
      this.off(event, wrapper);
      return listener(...args);
    }) as Listener;
    return this.on(event, wrapper);
  }

  off(event: string, listener: Listener): void {
    this.listeners.set(
      event,
      (this.listeners.get(event) ?? []).filter((item) => item !== listener),
    );
  }

  emit(event: string, ...args: unknown[]): void {
    for (const listener of this.listeners.get(event) ?? []) {
      (listener as (...values: unknown[]) => unknown)(...args);
    }
  }

  count(event: string): number {
    return this.listeners.get(event)?.length ?? 0;
  }
}

/** An event Electron lets a listener cancel. */
export class FakeEvent {
  defaultPrevented = false;
  constructor(readonly url = '') {}
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

export class FakeSession implements ShellSession {
  headersListener: HeadersListener | null = null;
  permissionRequest: Parameters<ShellSession['setPermissionRequestHandler']>[0] = null;
  permissionCheck: Parameters<ShellSession['setPermissionCheckHandler']>[0] = null;
  readonly webRequest = {
    onHeadersReceived: (listener: HeadersListener | null): void => {
      this.headersListener = listener;
    },
  };
  setPermissionRequestHandler(handler: Parameters<ShellSession['setPermissionRequestHandler']>[0]): void {
    this.permissionRequest = handler;
  }
  setPermissionCheckHandler(handler: Parameters<ShellSession['setPermissionCheckHandler']>[0]): void {
    this.permissionCheck = handler;
  }
}

let nextWebContentsId = 1;

export class FakeWebContents extends Emitter implements ShellWebContents {
  readonly id = nextWebContentsId++;
  readonly session = new FakeSession();
  readonly sent: unknown[][] = [];
  destroyed = false;
  windowOpenHandler: ((details: HandlerDetails) => WindowOpenHandlerResponse) | undefined;

  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) {
      throw new Error('Object has been destroyed');
    }
    this.sent.push([channel, ...args]);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  setWindowOpenHandler(handler: (details: HandlerDetails) => WindowOpenHandlerResponse): void {
    this.windowOpenHandler = handler;
  }
}

export class FakeWindow extends Emitter implements ShellWindow {
  readonly webContents = new FakeWebContents();
  loaded: { url: string } | undefined;
  shown = false;
  destroyed = false;

  constructor(readonly options: BrowserWindowConstructorOptions) {
    super();
  }
  loadURL(url: string): Promise<void> {
    this.loaded = { url };
    return Promise.resolve();
  }
  show(): void {
    this.shown = true;
  }
  focus(): void {}
  isDestroyed(): boolean {
    return this.destroyed;
  }
  /** What Electron does when the user closes the window. */
  close(): void {
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
  }
  /** A message from a frame of this window; the main frame at `url` unless told otherwise. */
  eventFrom(url: string, options: { subframe?: boolean; webContentsId?: number } = {}): ShellInvokeEvent {
    const parent = options.subframe === true ? { url, parent: null } : null;
    return { sender: { id: options.webContentsId ?? this.webContents.id }, senderFrame: { url, parent } };
  }
}

export class FakeIpcMain {
  readonly handlers = new Map<string, InvokeListener>();

  handle(channel: string, listener: InvokeListener): void {
    if (this.handlers.has(channel)) {
      // Electron's own message for a second registration.
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    }
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** Plays ipcRenderer.invoke from the renderer side. */
  invoke(channel: string, event: ShellInvokeEvent, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    // A handler that throws rejects, as an invoke does.
    return new Promise((resolve) => {
      if (handler === undefined) {
        throw new Error(`No handler registered for '${channel}'`);
      }
      resolve(handler(event, ...args));
    });
  }
}

export class FakeApp extends Emitter {
  isPackaged = false;
  /** Set once the shell waited for ready: what Electron allows changes with it. */
  ready = false;
  quitCalls = 0;
  metrics: ProcessMetric[] = [];
  constructor(private readonly userData: string) {
    super();
  }
  getPath(_name: 'userData'): string {
    return this.userData;
  }
  getVersion(): string {
    return '9.8.7';
  }
  getAppMetrics(): ProcessMetric[] {
    return this.metrics;
  }
  whenReady(): Promise<void> {
    this.ready = true;
    return Promise.resolve();
  }
  quit(): void {
    this.quitCalls += 1;
    const event = new FakeEvent();
    this.emit('before-quit', event);
  }
}

export class FakeDialog {
  readonly calls: { window: FakeWindow; options: OpenDialogOptions }[] = [];
  answer: OpenDialogReturnValue = { canceled: true, filePaths: [] };
  showOpenDialog(window: FakeWindow, options: OpenDialogOptions): Promise<OpenDialogReturnValue> {
    this.calls.push({ window, options });
    return Promise.resolve(this.answer);
  }
}

export class FakeOpener {
  readonly opened: string[] = [];
  answer = '';
  openPath(path: string): Promise<string> {
    this.opened.push(path);
    return Promise.resolve(this.answer);
  }
}

type ProtocolHandler = (request: Request) => Response | Promise<Response>;

/** Electron's protocol module: records schemes and handlers; `request` plays the page loading a URL. */
export class FakeProtocol {
  readonly schemes: CustomScheme[] = [];
  readonly handlers = new Map<string, ProtocolHandler>();
  constructor(private readonly app: FakeApp) {}
  registerSchemesAsPrivileged(schemes: CustomScheme[]): void {
    if (this.app.ready) {
      // Electron: "protocol.registerSchemesAsPrivileged should be called before app is ready".
      throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready');
    }
    this.schemes.push(...schemes);
  }
  handle(scheme: string, handler: ProtocolHandler): void {
    if (this.handlers.has(scheme)) {
      throw new Error(`The scheme has been registered: ${scheme}`);
    }
    this.handlers.set(scheme, handler);
  }
  async request(url: string, method = 'GET'): Promise<Response> {
    const handler = this.handlers.get(new URL(url).protocol.slice(0, -1));
    if (handler === undefined) {
      throw new Error(`net::ERR_UNKNOWN_URL_SCHEME ${url}`);
    }
    return handler(new Request(url, { method }));
  }
}

export interface FakeElectron extends ShellElectron<FakeWindow> {
  readonly app: FakeApp;
  readonly ipcMain: FakeIpcMain;
  readonly dialog: FakeDialog;
  readonly shell: FakeOpener;
  readonly protocol: FakeProtocol;
  readonly windows: FakeWindow[];
}

export function createFakeElectron(userData = '/tmp/gitbot-fake-user-data'): FakeElectron {
  const windows: FakeWindow[] = [];
  class BrowserWindow extends FakeWindow {
    constructor(options: BrowserWindowConstructorOptions) {
      super(options);
      windows.push(this);
    }
  }
  const app = new FakeApp(userData);
  return { app, BrowserWindow, ipcMain: new FakeIpcMain(), dialog: new FakeDialog(), shell: new FakeOpener(), protocol: new FakeProtocol(app), windows };
}
