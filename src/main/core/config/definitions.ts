/**
 * Every setting the app reads from the environment or .env, with the seed's names and
 * defaults (../shared/seed/MEMORY_LEAK_FIXES.md) plus the ones later issues added.
 * Adding a setting here is enough for it to be parsed, validated, documented by
 * getConfig and listed in the README table.
 */

interface Definition<T> {
  readonly default: T;
  readonly description: string;
  /** Returns the parsed value or a message naming the accepted range. */
  parse(raw: string): { value: T } | { error: string };
  readonly range: string;
}

function integer(defaultValue: number, min: number, max: number, description: string): Definition<number> {
  const range = `an integer from ${min} to ${max}`;
  return {
    default: defaultValue,
    description,
    range,
    parse(raw) {
      const trimmed = raw.trim();
      const value = Number(trimmed);
      // Decimal digits only: Number() also takes 0x10, 1e6 and 0b1, which no one means in a limit.
      if (!/^\d+$/.test(trimmed) || !Number.isInteger(value) || value < min || value > max) {
        return { error: range };
      }
      return { value };
    },
  };
}

function boolean(defaultValue: boolean, description: string): Definition<boolean> {
  return {
    default: defaultValue,
    description,
    range: 'true or false',
    parse(raw) {
      const value = raw.trim().toLowerCase();
      if (['true', '1', 'yes', 'on'].includes(value)) return { value: true };
      if (['false', '0', 'no', 'off'].includes(value)) return { value: false };
      return { error: 'true or false' };
    },
  };
}

function choice<T extends string>(defaultValue: T, choices: readonly T[], description: string): Definition<T> {
  const range = `one of ${choices.join(', ')}`;
  return {
    default: defaultValue,
    description,
    range,
    parse(raw) {
      const value = raw.trim() as T;
      return choices.includes(value) ? { value } : { error: range };
    },
  };
}

function text(defaultValue: string, description: string): Definition<string> {
  return { default: defaultValue, description, range: 'any text', parse: (raw) => ({ value: raw.trim() }) };
}

const KIB = 1024;
const MIB = 1024 * KIB;

export const definitions = {
  // Database connection pooling (seed).
  DATABASE_MAX_CONNECTIONS: integer(20, 1, 256, 'Most pooled reader connections (each is a worker thread); opened lazily'),
  DATABASE_MAX_OVERFLOW: integer(10, 0, 256, 'Extra connections opened only while the pool is full, closed when returned'),
  DATABASE_POOL_TIMEOUT: integer(30, 1, 3600, 'Seconds a request waits for a connection before a pool-timeout error'),
  DATABASE_POOL_RECYCLE: integer(3600, 1, 7 * 24 * 3600, 'Seconds after which an idle connection is closed and replaced'),
  DATABASE_POOL_IDLE_TIMEOUT: integer(30, 1, 24 * 3600, 'Seconds after which an idle connection beyond the first is closed, so an idle app is small again'),
  DATABASE_POOL_PRE_PING: boolean(true, 'Check a connection with a trivial query before handing it out'),
  DATABASE_POOL_LEAK_TIMEOUT: integer(60, 1, 24 * 3600, 'Seconds a connection may stay checked out before it is reported as a probable leak'),
  DATABASE_SLOW_QUERY_MS: integer(500, 1, 3_600_000, 'Queries slower than this many milliseconds are logged'),
  DATABASE_POOL_WARN_INTERVAL: integer(60, 1, 24 * 3600, 'Seconds between two high-usage warnings of the pool'),

  // Search.
  SEARCH_TIMEOUT_MS: integer(10_000, 10, 3_600_000, 'Milliseconds one search page or count may run on a reader before it is stopped with a timeout error'),

  // Memory management (seed).
  MAX_FILE_SIZE: integer(MIB, 1, 1024 * MIB, 'Largest file indexed, in bytes; larger files are skipped as too_large'),
  MAX_CONTENT_LENGTH: integer(50_000, 1_000, 10 * MIB, 'Largest document, in characters; files are split at line boundaries'),
  MAX_DOCUMENTS_PER_BATCH: integer(100, 1, 100_000, 'Most documents written in one transaction'),
  INDEX_WARN_FILES: integer(200_000, 0, 1_000_000_000, 'Files above which the dashboard asks before indexing a folder (a bounded count taken first); 0 never asks'),
  IGNORE_FILE_MAX_BYTES: integer(MIB, 1, 1024 * MIB, 'Largest .gitignore or .gitbotignore read, in bytes; a larger one is skipped with a warning'),
  CHUNK_SIZE: integer(8 * KIB, 512, 16 * MIB, 'Bytes read from a file at a time while streaming it'),
  MEMORY_THRESHOLD_MB: integer(100, 1, 1024 * 1024, 'RSS of the whole core process (MB, all threads) above which cleanup runs in every thread; every thread budget derives from it'),
  MEMORY_LIMIT_MB: integer(0, 0, 1024 * 1024, 'Memory limit (MB) that ALERT_PERCENT is measured against; 0 means total system memory'),
  ALERT_PERCENT: integer(80, 1, 100, 'Percent of MEMORY_LIMIT_MB above which an alert is raised'),

  // Background tasks (seed).
  TASK_CLEANUP_INTERVAL: integer(300, 1, 24 * 3600, 'Seconds between two cleanups of old and finished tasks'),
  TASK_MAX_AGE: integer(3600, 1, 7 * 24 * 3600, 'Seconds after which a running task is cancelled as stuck'),
  TASK_HISTORY_LIMIT: integer(200, 1, 100_000, 'Finished tasks kept for listTasks; older ones are pruned'),
  SHUTDOWN_TIMEOUT: integer(30, 1, 3600, 'Seconds graceful shutdown waits for tasks before forcing them'),
  GC_INTERVAL: integer(600, 1, 24 * 3600, 'Seconds between two periodic garbage collections (where GC is exposed)'),

  // Monitoring.
  STATS_INTERVAL_MS: integer(1000, 50, 60_000, 'Milliseconds between two memory samples pushed as the stats event'),
  STATS_HISTORY_SECONDS: integer(3600, 10, 24 * 3600, 'Seconds of stats history kept in main for a dashboard opened late'),
  LEAK_WINDOW_SECONDS: integer(600, 10, 24 * 3600, 'Window over which the post-GC heap trend is judged for a possible leak'),
  LOG_LEVEL: choice('info', ['debug', 'info', 'warn', 'error'] as const, 'Lowest level written to the log file and log event'),
  LOG_MAX_BYTES: integer(5 * MIB, 10 * KIB, 1024 * MIB, 'Size at which the log file is rotated'),
  LOG_FILES: integer(3, 1, 100, 'Rotated log files kept'),

  // Application.
  GITBOT_DB: text('', 'SQLite database file; empty means index.sqlite in the per-user data folder'),
  GITBOT_DATA_DIR: text('', 'Per-user data folder (database, logs, snapshots); empty means the platform default'),
  GITBOT_PORT: integer(0, 0, 65535, 'Port of the loopback server; 0 picks a free one'),
  GITBOT_EDITOR: text('', 'Desktop app: command that opens a search result, e.g. `code --goto {path}:{line}`; empty means the default application'),
  GITBOT_INDEX_WORKERS: integer(0, 0, 64, 'Threads that read and split files while indexing; 0 means one per core minus one, at least one'),
} as const;

export type SettingName = keyof typeof definitions;
type ValueOf<D> = D extends Definition<infer U> ? U : never;
export type Config = { readonly [K in SettingName]: ValueOf<(typeof definitions)[K]> };
