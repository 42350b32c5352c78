/**
 * The desktop app's composition with an injected fake Electron (src/main/shell/testing), its
 * core also served over the loopback server so Chromium can drive the real renderer: the shell's
 * own native handlers answer openInEditor, and GITBOT_EDITOR launches a real process. Only the
 * IPC bridge differs from the desktop window (desktop-app.test.ts covers that). Prints the
 * dashboard URL as `gitbot serve` does; stops on SIGTERM. Run with `node --require tsx/cjs`.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startLoopbackServer } from '../../src/main/core/server/loopback-server';
import { bundledWorkers } from '../../src/main/core/base/workers';
import { startDesktopApp } from '../../src/main/shell/desktop-app';
import { openDesktopCore } from '../../src/main/shell/desktop-core';
import { createFakeElectron } from '../../src/main/shell/testing/fake-electron';

const out = resolve(__dirname, '..', '..', 'out');

async function main(): Promise<void> {
  const userData = process.env.GITBOT_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'gitbot-fake-desktop-'));
  const electron = createFakeElectron(userData);
  const desktop = await startDesktopApp(electron, {
    preloadPath: join(out, 'preload', 'index.cjs'),
    renderer: { kind: 'app', root: join(out, 'renderer') },
    openCore: (nativeHandlers) => openDesktopCore({ app: electron.app, env: process.env, cwd: userData, workers: bundledWorkers(join(out, 'main')), nativeHandlers }),
  });
  const server = await startLoopbackServer({ core: desktop.core, port: 0, staticDir: join(out, 'renderer') });
  process.stdout.write(`${server.url}\n`);
  process.once('SIGTERM', () => {
    void Promise.resolve(server.dispose())
      .then(() => desktop.core.shutdown())
      .finally(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`fake desktop: ${(error as Error).message}\n`);
  process.exit(1);
});
