#!/usr/bin/env node
// The `gitbot` command: runs the bundled CLI, which `npm run build` (or `npm start`) produces.
// `serve` and `index` start worker threads and run long, so on Linux they run with the glibc
// malloc tuning (malloc-tuning.cjs): glibc reads it only at start, so this process starts the
// CLI again with it in the environment and forwards SIGTERM and SIGHUP to it (Ctrl-C reaches
// both processes from the terminal). Other commands run in one thread and start only once.
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { lacksMallocTuning, withMallocTuning } = require('./malloc-tuning.cjs');

const entry = join(__dirname, '..', 'out', 'main', 'cli.js');
if (!existsSync(entry)) {
  process.stderr.write('gitbot: the app is not built yet; run "npm run build" first\n');
  process.exit(1);
}
const command = process.argv[2];
if ((command === 'serve' || command === 'index') && lacksMallocTuning(process.env)) {
  // Required here: a one-shot command never starts a child, so it does not load the module.
  const { spawn } = require('node:child_process');
  const child = spawn(process.execPath, [...process.execArgv, entry, ...process.argv.slice(2)], { stdio: 'inherit', env: withMallocTuning(process.env) });
  const forward = (signal) => child.kill(signal);
  // Ctrl-C is delivered to the whole process group; this process only waits for the CLI's answer.
  process.on('SIGINT', () => {});
  process.on('SIGTERM', forward);
  process.on('SIGHUP', forward);
  child.on('exit', (code, signal) => {
    if (signal !== null) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
      return;
    }
    process.exit(code ?? 1);
  });
} else {
  require(entry);
}
