/**
 * `gitbot <args>` as cli-child.ts runs it, except that the indexer's writer thread is a broken
 * one from this folder, named by TEST_WRITER: by default one that never yields once a run
 * starts (never-yielding-indexer.ts), the worst input, one that never ends.
 * Usage: [TEST_WRITER=crashing-indexer.ts] node --import tsx test/helpers/broken-writer-cli-child.ts <gitbot args...>
 */
import { resolve } from 'node:path';
import { runCli } from '../../src/main/cli/run-cli';
import { configureBundle } from '../../src/main/cli/bundle-layout';
import { testWorkers } from './test-core';

configureBundle({
  workers: (name) => (name === 'indexer-worker' ? { filename: resolve(__dirname, process.env['TEST_WRITER'] ?? 'never-yielding-indexer.ts'), execArgv: ['--require', 'tsx/cjs'] } : testWorkers(name)),
  rendererDir: resolve(__dirname, '../../out/renderer'),
});
// Tells the test once the command has installed its signal handlers (SIGINT, then SIGTERM in
// the same tick; 'newListener' comes before the listener is added, hence setImmediate), so the
// one SIGTERM it sends comes after start-up. Keyed on SIGINT so that, with the SIGTERM handler
// removed, the test still sends it and sees Node's default action end the process.
process.on('newListener', (event) => {
  if (event === 'SIGINT') {
    setImmediate(() => process.stderr.write('test: signal handlers installed\n'));
  }
});
void runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() }).then((code) => {
  process.exitCode = code;
});
