/**
 * Entry of the desktop app (out/main/index.js): the only file that imports Electron's values.
 * It hands the module to the shell, which does the rest; see docs/ELECTRON.md.
 */
import * as electron from 'electron';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { bundledWorkers } from './core/base/workers';
import { startDesktopApp } from './shell/desktop-app';
import { openDesktopCore } from './shell/desktop-core';
import { useElectronBinding } from './shell/native-binding';
import { rendererLocation } from './shell/renderer-location';

const { app } = electron;

// The seed's periodic GC needs gc(): --js-flags reaches the renderers and utility processes;
// main was already started, so it turns the flag on in its own V8 (as the CLI does).
app.commandLine.appendSwitch('js-flags', '--expose-gc');
if (typeof globalThis.gc !== 'function') {
  setFlagsFromString('--expose-gc');
  globalThis.gc = runInNewContext('gc') as typeof globalThis.gc;
}

if (!app.isPackaged) {
  useElectronBinding(process.env, app.getAppPath(), process.versions.electron);
}

startDesktopApp(electron, {
  preloadPath: join(__dirname, '../preload/index.cjs'),
  renderer: rendererLocation({ isPackaged: app.isPackaged, env: process.env, root: join(__dirname, '../renderer') }),
  openCore: (nativeHandlers) => openDesktopCore({ app, env: process.env, cwd: process.cwd(), workers: bundledWorkers(__dirname), nativeHandlers }),
}).catch((error: unknown) => {
  // Typically an invalid setting: say which, then leave with a failure code.
  process.stderr.write(`Gitbot could not start: ${(error as Error).message}\n`);
  electron.dialog.showErrorBox('Gitbot could not start', (error as Error).message);
  app.exit(1);
});
