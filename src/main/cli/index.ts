/**
 * Entry of the `gitbot` CLI bundle (out/main/cli.js). It runs in plain Node: no Electron.
 * GC is exposed so the periodic cleanup of the seed works here as in the desktop app.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { join } from 'node:path';
import { bundledWorkers } from '../core/workers';
import { configureBundle } from './bundle-layout';
import { runCli } from './run-cli';

if (typeof globalThis.gc !== 'function') {
  setFlagsFromString('--expose-gc');
  globalThis.gc = runInNewContext('gc') as typeof globalThis.gc;
}

configureBundle({ workers: bundledWorkers(__dirname), rendererDir: join(__dirname, '..', 'renderer') });

runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`gitbot: ${(error as Error).message}\n`);
    process.exitCode = 1;
  },
);
