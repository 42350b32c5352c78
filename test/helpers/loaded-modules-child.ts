/**
 * Runs `gitbot <args>` from the TypeScript sources like the bundled entry (no test core), then
 * prints one JSON line: the exit code and every source module it loaded, relative to src/.
 * Usage: node --import tsx test/helpers/loaded-modules-child.ts <gitbot args...>
 */
import { runCli } from '../../src/main/cli/run-cli';

void runCli(process.argv.slice(2), { stdout: process.stderr, stderr: process.stderr, env: process.env, cwd: process.cwd() }).then((code) => {
  const loaded = Object.keys(require.cache)
    .map((file) => file.replaceAll('\\', '/'))
    .filter((file) => file.includes('/src/'))
    .map((file) => file.slice(file.lastIndexOf('/src/') + '/src/'.length));
  process.stdout.write(`${JSON.stringify({ code, loaded })}\n`);
});
