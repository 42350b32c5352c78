/**
 * Entry of the `gitbot` CLI bundle (out/main/cli.js). It runs in plain Node: no Electron.
 * Commands that open the core expose GC there (open-core.ts).
 */
import { join } from 'node:path';
import { bundledWorkers } from '../core/base/workers';
import { configureBundle } from './bundle-layout';
import { runCli } from './run-cli';

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
