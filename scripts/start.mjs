/**
 * `npm start`: builds the app when out/ is missing or older than the sources, then opens the
 * desktop app. Where no usable Electron binary exists it says so in one line and serves the
 * same dashboard to the browser through `gitbot serve`, whose first line is the URL.
 * Arguments after `npm start --` go to Electron or to `gitbot serve` (e.g. --port 8080).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findElectron } from './electron-binary.cjs';
import { ensureElectronSqlite } from './electron-native.cjs';
import { withMallocTuning } from './malloc-env.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const outputs = ['out/main/index.js', 'out/main/cli.js', 'out/preload/index.cjs', 'out/renderer/index.html'];
const inputs = ['src', 'electron.vite.config.ts', 'package.json'];

buildIfStale();

const args = process.argv.slice(2);
const electron = findElectron(root);
let launch;
let fallbackReason = electron.ok ? undefined : electron.reason;
if (electron.ok) {
  try {
    const binding = ensureElectronSqlite({ root, electronVersion: electron.version });
    launch = {
      command: electron.path,
      args: ['--js-flags=--expose-gc', root, ...args],
      env: withMallocTuning({ ...process.env, GITBOT_SQLITE_BINDING: binding }),
    };
  } catch (error) {
    fallbackReason = `its SQLite module could not be prepared: ${error.message}`;
  }
}
if (launch === undefined) {
  console.log(`Electron is not available on this machine (${fallbackReason}); serving the dashboard in your browser instead.`);
  launch = { command: process.execPath, args: [join(root, 'out', 'main', 'cli.js'), 'serve', ...args], env: withMallocTuning(process.env) };
}
run(launch);

/** Runs `electron-vite build` when an output is missing or a source is newer than the oldest output. */
function buildIfStale() {
  const oldestOutput = Math.min(...outputs.map((file) => modifiedAt(join(root, file))));
  const newestInput = Math.max(...inputs.map((path) => newestIn(join(root, path))));
  if (oldestOutput > 0 && oldestOutput >= newestInput) {
    return;
  }
  console.log(oldestOutput === 0 ? 'Building the app (first run)...' : 'Building the app (sources changed)...');
  const build = spawnSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (build.status !== 0) {
    console.error('The build failed; see the errors above.');
    process.exit(build.status ?? 1);
  }
}

function modifiedAt(path) {
  return existsSync(path) ? statSync(path).mtimeMs : 0;
}

function newestIn(path) {
  if (!existsSync(path)) {
    return 0;
  }
  const stats = statSync(path);
  if (!stats.isDirectory()) {
    return stats.mtimeMs;
  }
  let newest = stats.mtimeMs;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    // Tests are not part of the bundle; editing one should not trigger a build.
    if (entry.isFile() && /\.test\.tsx?$/.test(entry.name)) {
      continue;
    }
    newest = Math.max(newest, newestIn(join(path, entry.name)));
  }
  return newest;
}

/**
 * Runs the app and mirrors its exit. The child gets its own process group on POSIX, so a
 * Ctrl-C reaches it once, through us, not twice (which would cut its graceful shutdown short).
 */
function run({ command, args: childArgs, env }) {
  const detached = process.platform !== 'win32';
  const child = spawn(command, childArgs, { cwd: root, env, stdio: 'inherit', detached });
  let forwarded = false;
  const forward = (signal) => {
    if (!forwarded && child.exitCode === null) {
      forwarded = true;
      child.kill(signal);
    }
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  process.on('SIGHUP', forward);
  child.on('error', (error) => {
    console.error(`Could not start ${command}: ${error.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    process.exit(code ?? (signal === null ? 1 : 128));
  });
}
