import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where scripts/electron-native.cjs keeps the Electron-ABI build of better-sqlite3, apart
 * from node_modules so the Node build the tests use stays untouched. Keep in step with
 * `electronBindingPath` in that script (a test compares them).
 */
export function electronBindingPath(appRoot: string, electronVersion: string, platform: string = process.platform, arch: string = process.arch): string {
  return join(appRoot, '.cache', 'electron-native', `electron-${electronVersion}-${platform}-${arch}`, 'better_sqlite3.node');
}

/**
 * In an unpackaged run (`npm run dev`, or electron started by hand) points the database at
 * the Electron build when npm start prepared one. Packaged apps carry a binary that
 * electron-builder rebuilt for Electron, so they need nothing.
 */
export function useElectronBinding(env: NodeJS.ProcessEnv, appRoot: string, electronVersion: string): string | undefined {
  if (env.GITBOT_SQLITE_BINDING !== undefined && env.GITBOT_SQLITE_BINDING !== '') {
    return env.GITBOT_SQLITE_BINDING;
  }
  const path = electronBindingPath(appRoot, electronVersion);
  if (!existsSync(path)) {
    return undefined;
  }
  env.GITBOT_SQLITE_BINDING = path;
  return path;
}
