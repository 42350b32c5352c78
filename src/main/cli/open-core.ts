import { createCore, type Core, type CoreOptions } from '../core/core';
import { resolvePaths } from '../core/base/paths';
import { bundleLayout } from './bundle-layout';
import { loadCliConfig, type CliConfigOptions } from './cli-config';
import { exposeGc } from './expose-gc';
import { appVersion } from './version';

export interface OpenCliCoreOptions extends CliConfigOptions {
  readonly logSinks?: CoreOptions['logSinks'];
}

/** Loads the configuration (env, then .env in the working folder) and starts the core. */
export function openCliCore(options: OpenCliCoreOptions = {}): Core {
  exposeGc();
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
