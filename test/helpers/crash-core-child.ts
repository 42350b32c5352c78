/**
 * Starts a real core on the database DB, prints "open" and waits: a test kills it (-9) there,
 * as a crash would, leaving what a crash leaves. Usage: crash-core-child.ts DB
 */
import { dirname } from 'node:path';
import { loadConfig } from '../../src/main/core/config/load-config';
import { createCore } from '../../src/main/core/core';
import { resolvePaths } from '../../src/main/core/base/paths';
import { testWorkers } from './test-core';

const [dbPath] = process.argv.slice(2);
if (dbPath === undefined) {
  throw new Error('usage: crash-core-child.ts DB');
}
const config = loadConfig({ env: { GITBOT_DB: dbPath, GITBOT_DATA_DIR: dirname(dbPath) } });
const paths = resolvePaths({ dbSetting: config.values.GITBOT_DB, dataDirSetting: config.values.GITBOT_DATA_DIR });
createCore({ config, paths, workers: testWorkers, runtime: 'node', version: '0.0.0-test', logToFile: false });
process.stdout.write('open\n');
// Keeps the process (and the core) alive until the test kills it.
setInterval(() => {}, 60_000);
