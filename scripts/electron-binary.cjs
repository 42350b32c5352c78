/**
 * Finds a usable Electron binary without `require('electron')`: since Electron 45 that call
 * starts a download when the binary is missing, which hangs or fails on a machine without
 * internet. This reads the same files it reads (path.txt, dist/) and checks the binary
 * exists, is executable, and has a display to open a window on.
 */
'use strict';
// CommonJS, so start.mjs, vitest and Playwright (which compiles specs to CommonJS) all load it.
const { accessSync, constants, existsSync, readFileSync } = require('node:fs');
const { join, relative } = require('node:path');

/**
 * @param {string} root the project folder (holds node_modules)
 * @param {NodeJS.ProcessEnv} [env]
 * @param {NodeJS.Platform} [platform]
 * @returns {{ ok: true, path: string, version: string } | { ok: false, reason: string }}
 */
function findElectron(root, env = process.env, platform = process.platform) {
  const packageDir = join(root, 'node_modules', 'electron');
  let version;
  try {
    version = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')).version;
  } catch {
    return { ok: false, reason: 'the electron package is not installed' };
  }
  const pathFile = join(packageDir, 'path.txt');
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  let binary;
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    binary = join(env.ELECTRON_OVERRIDE_DIST_PATH, executable || 'electron');
  } else if (executable === undefined) {
    return { ok: false, reason: `the Electron ${version} binary was never downloaded into node_modules/electron` };
  } else {
    binary = join(packageDir, 'dist', executable);
  }
  const fromRoot = relative(root, binary);
  const shown = fromRoot === '' || fromRoot.startsWith('..') ? binary : fromRoot;
  if (!existsSync(binary)) {
    return { ok: false, reason: `${shown} is missing` };
  }
  try {
    accessSync(binary, constants.X_OK);
  } catch {
    return { ok: false, reason: `${shown} is not executable` };
  }
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
    return { ok: false, reason: 'there is no display: DISPLAY and WAYLAND_DISPLAY are unset' };
  }
  return { ok: true, path: binary, version };
}

module.exports = { findElectron };
