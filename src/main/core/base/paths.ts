import { homedir } from 'node:os';
import { join } from 'node:path';

export const appName = 'Gitbot Desktop';

/**
 * The per-user data folder, the same one Electron's app.getPath('userData') gives, so the
 * desktop app, the CLI and the browser dashboard share one database by default.
 */
export function defaultDataDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), appName);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', appName);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), appName);
}

export interface AppPaths {
  readonly dataDir: string;
  readonly dbPath: string;
  readonly logFile: string;
  readonly snapshotsDir: string;
}

/** GITBOT_DB (which a --db flag overrides), else index.sqlite in the data folder. */
export function resolvePaths(options: { dbSetting: string; dataDirSetting: string }): AppPaths {
  const dataDir = options.dataDirSetting !== '' ? options.dataDirSetting : defaultDataDir();
  const dbPath = options.dbSetting !== '' ? options.dbSetting : join(dataDir, 'index.sqlite');
  return { dataDir, dbPath, logFile: join(dataDir, 'logs', 'gitbot.log'), snapshotsDir: join(dataDir, 'snapshots') };
}
