import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { findElectron } from '../scripts/electron-binary.cjs';
import { electronBindingPath, ensureElectronSqlite } from '../scripts/electron-native.cjs';
import { openConnection } from '../src/main/core/db/open-connection';
import { electronBindingPath as shellBindingPath } from '../src/main/shell/native-binding';

const root = resolve(__dirname, '..');
const display = { DISPLAY: ':0' };

describe('findElectron', () => {
  let project: string;
  let packageDir: string;

  beforeEach(() => {
    project = mkdtempSync(join(tmpdir(), 'gitbot-electron-'));
    packageDir = join(project, 'node_modules', 'electron');
  });

  afterEach(() => {
    rmSync(project, { recursive: true, force: true });
  });

  const install = (options: { pathTxt?: string; binary?: boolean; executable?: boolean }) => {
    mkdirSync(join(packageDir, 'dist'), { recursive: true });
    writeFileSync(join(packageDir, 'package.json'), JSON.stringify({ version: '45.5.0' }));
    if (options.pathTxt !== undefined) {
      writeFileSync(join(packageDir, 'path.txt'), options.pathTxt);
    }
    if (options.binary === true) {
      writeFileSync(join(packageDir, 'dist', 'electron'), '#!/bin/sh\n');
      chmodSync(join(packageDir, 'dist', 'electron'), options.executable === false ? 0o644 : 0o755);
    }
  };

  it('finds an installed, executable binary', () => {
    install({ pathTxt: 'electron', binary: true });
    expect(findElectron(project, display, 'linux')).toEqual({ ok: true, path: join(packageDir, 'dist', 'electron'), version: '45.5.0' });
  });

  it('explains each way the binary can be unusable', () => {
    expect(findElectron(project, display, 'linux')).toEqual({ ok: false, reason: 'the electron package is not installed' });
    install({});
    expect(findElectron(project, display, 'linux')).toEqual({
      ok: false,
      reason: 'the Electron 45.5.0 binary was never downloaded into node_modules/electron',
    });
    install({ pathTxt: 'electron' });
    expect(findElectron(project, display, 'linux')).toEqual({ ok: false, reason: `${join('node_modules', 'electron', 'dist', 'electron')} is missing` });
    install({ pathTxt: 'electron', binary: true, executable: false });
    expect(findElectron(project, display, 'linux')).toEqual({
      ok: false,
      reason: `${join('node_modules', 'electron', 'dist', 'electron')} is not executable`,
    });
  });

  it('needs a display on Linux only', () => {
    install({ pathTxt: 'electron', binary: true });
    expect(findElectron(project, {}, 'linux')).toEqual({ ok: false, reason: 'there is no display: DISPLAY and WAYLAND_DISPLAY are unset' });
    expect(findElectron(project, { WAYLAND_DISPLAY: 'wayland-0' }, 'linux').ok).toBe(true);
    expect(findElectron(project, {}, 'darwin').ok).toBe(true);
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH as electron itself does', () => {
    install({});
    const elsewhere = join(project, 'custom');
    expect(findElectron(project, { ...display, ELECTRON_OVERRIDE_DIST_PATH: elsewhere }, 'linux')).toEqual({
      ok: false,
      reason: `${join('custom', 'electron')} is missing`,
    });
  });
});

describe('the Electron build of better-sqlite3', () => {
  const version = '0.0.0-test';
  const target = electronBindingPath(root, version);

  afterEach(() => {
    rmSync(resolve(target, '..'), { recursive: true, force: true });
  });

  it('lives where the shell looks for it, outside node_modules', () => {
    expect(electronBindingPath(root, '45.5.0')).toBe(shellBindingPath(root, '45.5.0'));
    expect(target).toBe(join(root, '.cache', 'electron-native', `electron-${version}-${process.platform}-${process.arch}`, 'better_sqlite3.node'));
  });

  it('is built once from a copy of the package, leaving the Node build untouched', () => {
    const nodeBuild = join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
    const nodeBuildBefore = statSync(nodeBuild).mtimeMs;
    const build = vi.fn((packageDir: string, _electronVersion: string) => {
      // The copy has the sources but not the Node build.
      expect(existsSync(join(packageDir, 'src'))).toBe(true);
      expect(existsSync(join(packageDir, 'build'))).toBe(false);
      mkdirSync(join(packageDir, 'build', 'Release'), { recursive: true });
      writeFileSync(join(packageDir, 'build', 'Release', 'better_sqlite3.node'), 'electron abi');
    });
    const log = vi.fn();

    expect(ensureElectronSqlite({ root, electronVersion: version, build, log })).toBe(target);
    expect(ensureElectronSqlite({ root, electronVersion: version, build, log })).toBe(target);

    expect(build).toHaveBeenCalledTimes(1);
    expect(build.mock.calls[0]?.[1]).toBe(version);
    expect(readFileSync(target, 'utf8')).toBe('electron abi');
    expect(statSync(nodeBuild).mtimeMs).toBe(nodeBuildBefore);
    const sqliteVersion = JSON.parse(readFileSync(join(root, 'node_modules', 'better-sqlite3', 'package.json'), 'utf8')).version;
    expect(log.mock.calls).toEqual([[`Building better-sqlite3 ${sqliteVersion} for Electron ${version} (once; node_modules stays as it is)...`]]);
  });

  it('rebuilds when better-sqlite3 changed version, and reports a build that made nothing', () => {
    mkdirSync(resolve(target, '..'), { recursive: true });
    writeFileSync(target, 'old');
    writeFileSync(join(resolve(target, '..'), 'better-sqlite3.version'), '1.0.0');
    expect(() => ensureElectronSqlite({ root, electronVersion: version, build: () => {}, log: () => {} })).toThrow(/^the build left no better-sqlite3[/\\]build[/\\]Release[/\\]better_sqlite3\.node$/);
    expect(readFileSync(target, 'utf8')).toBe('old');
  });
});

describe('GITBOT_SQLITE_BINDING', () => {
  let scratch: string;

  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'gitbot-binding-'));
  });

  afterEach(() => {
    delete process.env.GITBOT_SQLITE_BINDING;
    rmSync(scratch, { recursive: true, force: true });
  });

  it('makes connections load the addon from the given file', () => {
    // A copy of the Node build stands in for the Electron one: only the loading path is tested.
    const binding = join(scratch, 'better_sqlite3.node');
    copyFileSync(join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'), binding);
    process.env.GITBOT_SQLITE_BINDING = binding;
    const db = openConnection(join(scratch, 'index.sqlite'), { mode: 'writer' });
    try {
      expect(db.prepare('select 41 + 1 as answer').get()).toEqual({ answer: 42 });
    } finally {
      db.close();
    }
  });

  it('fails on a binding that is not there instead of falling back', () => {
    process.env.GITBOT_SQLITE_BINDING = join(scratch, 'missing.node');
    expect(() => openConnection(join(scratch, 'index.sqlite'), { mode: 'writer' })).toThrow(`Cannot find module '${join(scratch, 'missing.node')}'`);
  });
});
