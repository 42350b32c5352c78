import { join } from 'node:path';
import type { SettingName } from '../core/config/definitions';
import { loadConfig, type LoadedConfig } from '../core/config/load-config';
import { createCore, type Core, type CoreOptions } from '../core/core';
import { resolvePaths } from '../core/base/paths';
import type { WorkerLocator } from '../core/base/workers';
import { appVersion } from './version';

export interface BundleLayout {
  readonly workers: WorkerLocator;
  /** The built renderer served by `gitbot serve`. */
  readonly rendererDir: string;
}

let layout: BundleLayout | undefined;

/**
 * Where the worker threads and the renderer live. The bundled CLI entry sets this from its
 * own folder (shared code may sit in a chunk elsewhere); tests set the source layout.
 */
export function configureBundle(bundle: BundleLayout): void {
  layout = bundle;
}

export function bundleLayout(): BundleLayout {
  if (layout === undefined) {
    throw new Error('configureBundle() was not called before the CLI opened the core');
  }
  return layout;
}

export interface OpenCliCoreOptions {
  /** --db FILE; wins over GITBOT_DB. */
  readonly db?: string | undefined;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly logSinks?: CoreOptions['logSinks'];
  /** Other settings given as flags (e.g. --port); shown with source "cli" by getConfig. */
  readonly overrides?: Partial<Record<SettingName, string>>;
}

/** Loads the configuration (env, then .env in the working folder) and starts the core. */
export function openCliCore(options: OpenCliCoreOptions = {}): Core {
  const config = loadCliConfig(options);
  const paths = resolvePaths({ dbSetting: config.values.GITBOT_DB, dataDirSetting: config.values.GITBOT_DATA_DIR });
  return createCore({
    config,
    paths,
    workers: bundleLayout().workers,
    runtime: 'node',
    version: appVersion,
    ...(options.logSinks === undefined ? {} : { logSinks: options.logSinks }),
  });
}

export function loadCliConfig(options: Pick<OpenCliCoreOptions, 'env' | 'cwd' | 'db' | 'overrides'>): LoadedConfig {
  const overrides = { ...options.overrides, ...(options.db === undefined ? {} : { GITBOT_DB: options.db }) };
  return loadConfig({ env: options.env ?? process.env, dotenvPath: join(options.cwd ?? process.cwd(), '.env'), overrides });
}
