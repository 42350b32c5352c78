import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ProcessMetric } from 'electron';
import { contentSecurityPolicy } from '../../shared/csp';
import { requestChannel } from '../../shared/names';
import type { Core } from '../core/core';
import { sourceWorkers } from '../core/base/workers';
import { startDesktopApp, type DesktopApp } from './desktop-app';
import { openDesktopCore } from './desktop-core';
import { createFakeElectron, FakeEvent, type FakeElectron, type FakeWindow } from './testing/fake-electron';

const pageUrl = 'app://gitbot/index.html';

describe('startDesktopApp', () => {
  let userData: string;
  let electron: FakeElectron;
  let desktop: DesktopApp<FakeWindow>;
  let core: Core;

  beforeEach(async () => {
    userData = mkdtempSync(join(tmpdir(), 'gitbot-desktop-'));
    electron = createFakeElectron(userData);
    mkdirSync(join(userData, 'renderer'));
    writeFileSync(join(userData, 'renderer', 'index.html'), '<!doctype html><title>Gitbot</title>');
    desktop = await startDesktopApp(electron, {
      preloadPath: '/opt/gitbot/out/preload/index.cjs',
      renderer: { kind: 'app', root: join(userData, 'renderer') },
      openCore: (nativeHandlers) =>
        openDesktopCore({
          app: electron.app,
          env: { LOG_LEVEL: 'error', STATS_INTERVAL_MS: '100' },
          cwd: userData,
          workers: sourceWorkers(join(__dirname, '..', 'core')),
          nativeHandlers,
        }),
    });
    core = desktop.core;
  });

  afterEach(async () => {
    await core.shutdown();
    rmSync(userData, { recursive: true, force: true });
  });

  const invoke = (window: FakeWindow, name: Parameters<typeof requestChannel>[0], arg: unknown = {}) => electron.ipcMain.invoke(requestChannel(name), window.eventFrom(pageUrl), arg);

  it('opens one window and keeps its data in userData', async () => {
    const [window] = electron.windows;
    expect(electron.windows).toHaveLength(1);
    expect(desktop.window()).toBe(window);
    const info = await invoke(window!, 'getAppInfo');
    expect(info).toEqual({
      ok: true,
      value: {
        version: '9.8.7',
        runtime: 'electron',
        dbPath: join(userData, 'index.sqlite'),
        dataDir: userData,
        homeDir: homedir(),
        canChooseFolder: true,
        canOpenInEditor: true,
      },
    });
  });

  it('loads its page from app://, a secure standard scheme registered before the app was ready', async () => {
    expect(electron.protocol.schemes).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    expect(electron.windows[0]?.loaded).toEqual({ url: pageUrl });
    const page = await electron.protocol.request(pageUrl);
    expect(page.status).toBe(200);
    expect(await page.text()).toBe('<!doctype html><title>Gitbot</title>');
    expect(page.headers.get('content-security-policy')).toBe(contentSecurityPolicy);
  });

  it('serves chooseFolder through the native dialog of its window', async () => {
    electron.dialog.answer = { canceled: false, filePaths: ['/home/me/repo'] };
    const [window] = electron.windows;
    expect(await invoke(window!, 'chooseFolder')).toEqual({ ok: true, value: { path: '/home/me/repo' } });
    expect(electron.dialog.calls[0]?.window).toBe(window);
  });

  it('reports every Electron process in the stats samples, in bytes', async () => {
    electron.app.metrics = [
      { pid: 10, type: 'Browser', creationTime: 0, memory: { workingSetSize: 2048, peakWorkingSetSize: 4096 }, cpu: { percentCPUUsage: 1.5, idleWakeupsPerSecond: 0 } },
      { pid: 11, type: 'Tab', name: 'Gitbot', creationTime: 0, memory: { workingSetSize: 1024, peakWorkingSetSize: 1024 }, cpu: { percentCPUUsage: 0, idleWakeupsPerSecond: 0 } },
    ] as ProcessMetric[];
    const sample = await new Promise<{ processes: unknown }>((resolve) => {
      const subscription = core.events.subscribe((event, payload) => {
        if (event === 'stats') {
          void subscription.dispose();
          resolve(payload as { processes: unknown });
        }
      });
    });
    expect(sample.processes).toEqual([
      { pid: 10, type: 'Browser', name: 'Browser', workingSet: 2048 * 1024, cpuPercent: 1.5 },
      { pid: 11, type: 'Tab', name: 'Gitbot', workingSet: 1024 * 1024, cpuPercent: 0 },
    ]);
  });

  it('quits when the window closes, after the core has shut down', async () => {
    const shutdown = vi.spyOn(core, 'shutdown');
    electron.windows[0]!.close();
    expect(desktop.window()).toBeUndefined();
    electron.app.emit('window-all-closed');
    // The first quit is held back while the core shuts down, then quit is called again.
    await vi.waitFor(() => expect(electron.app.quitCalls).toBe(2));
    expect(shutdown).toHaveBeenCalledTimes(1);
    const late = new FakeEvent();
    electron.app.emit('before-quit', late);
    expect(late.defaultPrevented).toBe(false);
    expect(electron.ipcMain.handlers.size).toBe(0);
  });

  it('holds every quit until the shutdown is over, and shuts down once', async () => {
    let finish: () => void = () => {};
    const shutdown = vi.spyOn(core, 'shutdown').mockImplementationOnce(() => new Promise<void>((resolve) => (finish = resolve)));
    const first = new FakeEvent();
    const second = new FakeEvent();
    electron.app.emit('before-quit', first);
    electron.app.emit('before-quit', second);
    expect([first.defaultPrevented, second.defaultPrevented]).toEqual([true, true]);
    expect(electron.app.quitCalls).toBe(0);
    finish();
    await vi.waitFor(() => expect(electron.app.quitCalls).toBe(1));
    expect(shutdown).toHaveBeenCalledTimes(1);
  });
});

describe('openDesktopCore', () => {
  it('stops with the message of an invalid setting', () => {
    const userData = mkdtempSync(join(tmpdir(), 'gitbot-desktop-'));
    try {
      expect(() =>
        openDesktopCore({
          app: createFakeElectron(userData).app,
          env: { STATS_INTERVAL_MS: '5' },
          cwd: userData,
          workers: sourceWorkers(join(__dirname, '..', 'core')),
          nativeHandlers: {} as never,
        }),
      ).toThrow(/^Invalid STATS_INTERVAL_MS="5" \(from env\): expected/);
    } finally {
      rmSync(userData, { recursive: true, force: true });
    }
  });
});
