import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { contentSecurityPolicy } from '../../shared/csp';
import { eventChannel, requestChannel, requestNames } from '../../shared/names';
import type { Core } from '../core/core';
import { createMainWindow } from './main-window';
import { createFakeElectron, FakeEvent, type FakeElectron, type FakeWindow } from './testing/fake-electron';
import { createTestCore } from '../../../test/helpers/test-core';

const renderer = { kind: 'app', root: '/opt/gitbot/out/renderer' } as const;
const pageUrl = 'app://gitbot/index.html';
const refused = (name: string) => ({
  ok: false,
  error: { code: 'bad_request', message: `Refused ${name}: the request did not come from the Gitbot window` },
});

describe('createMainWindow', () => {
  let electron: FakeElectron;
  let testCore: ReturnType<typeof createTestCore>;
  let core: Core;
  let window: FakeWindow;

  beforeEach(() => {
    electron = createFakeElectron();
    testCore = createTestCore({}, { runtime: 'electron', logToFile: false });
    core = testCore.core;
    window = createMainWindow(electron, { preloadPath: '/opt/gitbot/out/preload/index.cjs', renderer, core });
  });

  afterEach(async () => {
    await testCore.close();
  });

  it('opens an isolated, sandboxed window without Node and with the preload', () => {
    expect(electron.windows).toEqual([window]);
    expect(window.options.webPreferences).toMatchObject({
      preload: '/opt/gitbot/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('loads the built page and shows the window once it is ready', () => {
    // From app://, an origin of its own, never file://.
    expect(window.loaded).toEqual({ url: 'app://gitbot/index.html' });
    expect(window.shown).toBe(false);
    window.emit('ready-to-show');
    expect(window.shown).toBe(true);
  });

  it('loads the dev server URL when given one', async () => {
    const other = createMainWindow(createFakeElectron(), { preloadPath: '/p.cjs', renderer: { kind: 'url', url: 'http://localhost:5173/' }, core });
    expect(other.loaded).toEqual({ url: 'http://localhost:5173/' });
  });

  it('puts the dashboard policy on every response, replacing any policy the response had', () => {
    const listener = window.webContents.session.headersListener;
    expect(listener).not.toBeNull();
    const callback = vi.fn();
    listener?.(
      {
        responseHeaders: { 'content-security-policy': ['default-src *'], 'X-Served-By': ['vite'] },
      } as unknown as Parameters<NonNullable<typeof listener>>[0],
      callback,
    );
    expect(callback).toHaveBeenCalledWith({
      responseHeaders: { 'X-Served-By': ['vite'], 'Content-Security-Policy': [contentSecurityPolicy] },
    });
    expect(contentSecurityPolicy).toContain("script-src 'self'");
    expect(contentSecurityPolicy).not.toMatch(/script-src[^;]*unsafe/);
  });

  it('refuses navigation, redirects, webviews and window.open', () => {
    for (const name of ['will-navigate', 'will-frame-navigate', 'will-redirect', 'will-attach-webview']) {
      const event = new FakeEvent('https://evil.example/');
      window.webContents.emit(name, event);
      expect(event.defaultPrevented, name).toBe(true);
    }
    const answer = window.webContents.windowOpenHandler?.({ url: 'https://evil.example/' } as Parameters<NonNullable<typeof window.webContents.windowOpenHandler>>[0]);
    expect(answer).toEqual({ action: 'deny' });
  });

  it('denies every permission request and check', () => {
    const session = window.webContents.session;
    const granted = vi.fn();
    for (const permission of ['media', 'notifications', 'clipboard-read', 'geolocation'] as const) {
      session.permissionRequest?.(window.webContents as never, permission, granted, {} as never);
      expect(session.permissionCheck?.(null, permission, 'file://', {} as never)).toBe(false);
    }
    expect(granted.mock.calls).toEqual([[false], [false], [false], [false]]);
  });

  it('registers one handler per request, on the contract channels', () => {
    expect([...electron.ipcMain.handlers.keys()].sort()).toEqual(requestNames.map(requestChannel).sort());
  });

  it('serves a request from the main frame of its page', async () => {
    const result = await electron.ipcMain.invoke(requestChannel('getAppInfo'), window.eventFrom(`${pageUrl}#/search`), {});
    expect(result).toMatchObject({ ok: true, value: { runtime: 'electron', version: '0.0.0-test' } });
  });

  it('refuses foreign senders before looking at the payload', async () => {
    const dispatch = vi.spyOn(core, 'dispatch');
    const channel = requestChannel('getConfig');
    const foreign = [
      window.eventFrom(pageUrl, { subframe: true }),
      window.eventFrom('https://evil.example/'),
      window.eventFrom(pathToFileURL('/opt/gitbot/out/renderer/index.html').href),
      window.eventFrom('app://gitbot/other.html'),
      window.eventFrom(pageUrl, { webContentsId: window.webContents.id + 1000 }),
      { sender: { id: window.webContents.id }, senderFrame: null },
    ];
    for (const event of foreign) {
      // A payload the router would reject: the sender check must answer first.
      expect(await electron.ipcMain.invoke(channel, event, { unexpected: true })).toEqual(refused('getConfig'));
    }
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('answers a malformed payload with the router error', async () => {
    const result = await electron.ipcMain.invoke(requestChannel('getLogs'), window.eventFrom(pageUrl), { limit: 'many' });
    expect(result).toEqual({
      ok: false,
      error: { code: 'bad_request', message: 'Invalid argument for getLogs: limit: Invalid input: expected number, received string' },
    });
  });

  it('pushes core events to the window on the event channel', () => {
    const alert = { time: 1, kind: 'memory_alert', message: 'RSS is high', value: 900 } as const;
    core.events.emit('alert', alert);
    expect(window.webContents.sent).toEqual([[eventChannel, 'alert', alert]]);
  });

  it('removes its handlers and its event subscription when the window closes', async () => {
    const subscribers = core.events.subscriberCount;
    window.close();
    await vi.waitFor(() => expect(electron.ipcMain.handlers.size).toBe(0));
    expect(core.events.subscriberCount).toBe(subscribers - 1);
    core.events.emit('alert', { time: 2, kind: 'memory_alert', message: 'late', value: null });
    expect(window.webContents.sent).toEqual([]);
    // A new window can register the same channels again.
    createMainWindow(electron, { preloadPath: '/p.cjs', renderer, core });
    expect(electron.ipcMain.handlers.size).toBe(requestNames.length);
  });
});
