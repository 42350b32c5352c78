import { join } from 'node:path';
import type { SettingName } from '../core/config/definitions';
import { loadConfig, type LoadedConfig } from '../core/config/load-config';

export interface CliConfigOptions {
  /** --db FILE; wins over GITBOT_DB. */
  readonly db?: string | undefined;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Other settings given as flags (e.g. --port); shown with source "cli" by getConfig. */
  readonly overrides?: Partial<Record<SettingName, string>>;
}

/** The configuration (flags, then env, then .env in the working folder); no core is started. */
export function loadCliConfig(options: CliConfigOptions): LoadedConfig {
  const overrides = { ...options.overrides, ...(options.db === undefined ? {} : { GITBOT_DB: options.db }) };
  return loadConfig({ env: options.env ?? process.env, dotenvPath: join(options.cwd ?? process.cwd(), '.env'), overrides });
}
