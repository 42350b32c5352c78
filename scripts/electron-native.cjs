/**
 * One native module, two runtimes. node_modules/better-sqlite3 holds the build for Node
 * (tests, CLI); Electron needs one for its own ABI. That one is built in a copy of the package
 * and kept in .cache/electron-native/, so preparing it never touches the Node build. The app
 * receives its path in GITBOT_SQLITE_BINDING, which the database code passes to
 * better-sqlite3's `nativeBinding` option.
 *
 * Run alone: `node scripts/electron-native.cjs` prints the path (building it if needed).
 */
'use strict';
// CommonJS, so start.mjs, vitest and Playwright (which compiles specs to CommonJS) all load it.
const { spawnSync } = require('node:child_process');
const { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { dirname, join, relative, sep } = require('node:path');

/**
 * Keep in step with src/main/shell/native-binding.ts (a test compares them).
 * @param {string} root
 * @param {string} electronVersion
 */
function electronBindingPath(root, electronVersion, platform = process.platform, arch = process.arch) {
  return join(root, '.cache', 'electron-native', `electron-${electronVersion}-${platform}-${arch}`, 'better_sqlite3.node');
}

/**
 * Returns the Electron build of better-sqlite3, building it first when it is missing or was
 * made from another better-sqlite3 version.
 * @param {{ root: string, electronVersion: string, build?: (packageDir: string, electronVersion: string) => void, log?: (line: string) => void }} options
 */
function ensureElectronSqlite(options) {
  const { root, electronVersion } = options;
  const build = options.build ?? buildForElectron;
  const log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
  const sourceDir = join(root, 'node_modules', 'better-sqlite3');
  const sqliteVersion = JSON.parse(readFileSync(join(sourceDir, 'package.json'), 'utf8')).version;
  const target = electronBindingPath(root, electronVersion);
  const stamp = join(dirname(target), 'better-sqlite3.version');
  if (existsSync(target) && existsSync(stamp) && readFileSync(stamp, 'utf8') === sqliteVersion) {
    return target;
  }

  log(`Building better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} (once; node_modules stays as it is)...`);
  const workDir = join(root, '.cache', 'electron-native');
  mkdirSync(workDir, { recursive: true });
  // Inside the project, so npm finds prebuild-install in the project's node_modules/.bin.
  const scratch = mkdtempSync(join(workDir, 'build-'));
  try {
    const packageDir = join(scratch, 'better-sqlite3');
    cpSync(sourceDir, packageDir, {
      recursive: true,
      filter: (path) => relative(sourceDir, path).split(sep)[0] !== 'build',
    });
    build(packageDir, electronVersion);
    const built = join(packageDir, 'build', 'Release', 'better_sqlite3.node');
    if (!existsSync(built)) {
      throw new Error(`the build left no ${relative(scratch, built)}`);
    }
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(built, target);
    writeFileSync(stamp, sqliteVersion);
    return target;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * The package's own install script (prebuild-install, else node-gyp) aimed at Electron, as
 * Electron's documentation describes. Needs internet: a prebuilt binary from GitHub, or
 * Electron's headers from electronjs.org.
 * @param {string} packageDir
 * @param {string} electronVersion
 */
function buildForElectron(packageDir, electronVersion) {
  const result = spawnSync('npm', ['run', 'install'], {
    cwd: packageDir,
    stdio: ['ignore', 'inherit', 'inherit'],
    shell: process.platform === 'win32',
    env: {
      ...process.env,
      npm_config_runtime: 'electron',
      npm_config_target: electronVersion,
      npm_config_disturl: 'https://electronjs.org/headers',
      npm_config_arch: process.arch,
      npm_config_target_arch: process.arch,
    },
  });
  if (result.status !== 0) {
    throw new Error(`building better-sqlite3 for Electron ${electronVersion} failed (it needs internet once)`);
  }
}

module.exports = { electronBindingPath, ensureElectronSqlite };

if (require.main === module) {
  const root = join(__dirname, '..');
  const electronVersion = process.argv[2] ?? JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
  process.stdout.write(`${ensureElectronSqlite({ root, electronVersion })}\n`);
}
