// Refreshes the README's pictures (docs/search.png, docs/memory.png) on purpose: runs the e2e
// spec that takes them with GITBOT_UPDATE_README_SCREENSHOTS=1. `npm test` never writes into docs/.
import { spawnSync } from 'node:child_process';

const build = spawnSync('npx', ['electron-vite', 'build'], { stdio: 'inherit', shell: process.platform === 'win32' });
if (build.status !== 0) {
  process.exit(build.status ?? 1);
}
const run = spawnSync('npx', ['playwright', 'test', 'e2e/search.spec.ts', '-g', 'scope and filters'], {
  stdio: 'inherit',
  shell: process.platform === 'win32',
  env: { ...process.env, GITBOT_UPDATE_README_SCREENSHOTS: '1' },
});
process.exit(run.status ?? 1);
