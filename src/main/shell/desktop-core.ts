import { join } from 'node:path';
import { loadConfig } from '../core/config/load-config';
import { createCore, type Core } from '../core/core';
import { resolvePaths } from '../core/base/paths';
import type { WorkerLocator } from '../core/base/workers';
import { toProcessMemory } from './app-metrics';
import type { ShellApp } from './electron-types';
import type { NativeHandlers } from './native-handlers';

export interface DesktopCoreOptions {
  readonly app: Pick<ShellApp, 'getPath' | 'getVersion' | 'getAppMetrics' | 'isPackaged'>;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly workers: WorkerLocator;
  readonly nativeHandlers: NativeHandlers;
}

/**
 * Starts the core for the desktop app. Settings come from the environment, then a .env file
 * (the working folder's when run from a checkout, the data folder's when packaged); data
 * lives in Electron's userData unless GITBOT_DATA_DIR says otherwise.
 */
export function openDesktopCore(options: DesktopCoreOptions): Core {
  const { app } = options;
  const userData = app.getPath('userData');
  const config = loadConfig({ env: options.env, dotenvPath: join(app.isPackaged ? userData : options.cwd, '.env') });
  const paths = resolvePaths({
    dbSetting: config.values.GITBOT_DB,
    dataDirSetting: config.values.GITBOT_DATA_DIR !== '' ? config.values.GITBOT_DATA_DIR : userData,
  });
  return createCore({
    config,
    paths,
    workers: options.workers,
    runtime: 'electron',
    version: app.getVersion(),
    processes: () => toProcessMemory(app.getAppMetrics()),
    nativeHandlers: options.nativeHandlers,
  });
}
