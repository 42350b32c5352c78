/**
 * Runs `gitbot <args>` from the TypeScript sources in a process of its own, so a test can send
 * it signals. Usage: node --import tsx test/helpers/cli-child.ts <gitbot args...>
 * (--import: the CLI loads each command with a dynamic import(), which tsx/cjs does not hook).
 */
import { runCli } from '../../src/main/cli/run-cli';
import { configureTestBundle } from './test-core';

configureTestBundle();
void runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() }).then((code) => {
  process.exitCode = code;
});
