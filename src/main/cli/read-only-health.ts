import { existsSync } from 'node:fs';
import type { HealthReport } from '../../shared/health';
import { openConnection } from '../core/db/open-connection';
import { poolConfigFrom } from '../core/db/pool-config';
import { DurationWindow } from '../core/db/pool-stats';
import { poolStatus } from '../core/db/pool-status';
import { describeOpenError } from '../core/db/prepare-database';
import { memoryBudget } from '../core/config/memory-budget';
import { buildHealthReport } from '../core/health/health-report';
import { MemoryMonitor } from '../core/monitor/memory-monitor';
import { resolvePaths } from '../core/base/paths';
import { loadCliConfig } from './open-core';

export interface ReadOnlyHealthOptions {
  readonly db?: string | undefined;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

/**
 * `gitbot health` in one shot: one sample of this process, and the database opened read-only
 * to prove it can be read (a damaged or locked file is an error with its path). No reader
 * pool, memory monitor timer, task manager or thread is started, and nothing is written: a
 * missing database stays missing. The pool section shows the configured limits, nothing open.
 */
export function readOnlyHealth(options: ReadOnlyHealthOptions): HealthReport {
  const settings = loadCliConfig(options).values;
  const { dbPath } = resolvePaths({ dbSetting: settings.GITBOT_DB, dataDirSetting: settings.GITBOT_DATA_DIR });
  if (existsSync(dbPath)) {
    checkReadable(dbPath);
  }
  const budget = memoryBudget(settings);
  const pool = poolStatus({
    config: poolConfigFrom(settings),
    connections: { size: 0, opening: 0, idle: 0, checkedOut: 0, pooled: 0, overflow: 0 },
    waiting: 0,
    counters: { created: 0, recycled: 0, prePingFailures: 0, timeouts: 0, createFailures: 0, idleClosed: 0 },
    waits: new DurationWindow(),
  });
  // Only its sampling is used: start() (the timer, the GC observer) is never called.
  const monitor = new MemoryMonitor({
    intervalMs: settings.STATS_INTERVAL_MS,
    historySeconds: 1,
    thresholdBytes: budget.thresholdBytes,
    alertBytes: budget.alertBytes,
    pool: () => pool,
    tasks: () => ({ active: 0, total: 0 }),
    onSample: () => {},
  });
  try {
    const tasks = { total: 0, active: 0, completed: 0, failed: 0, cancelled: 0, stuck: 0, types: [] };
    return buildHealthReport({ sample: monitor.sample(), tasks, pool, thresholdMb: settings.MEMORY_THRESHOLD_MB });
  } finally {
    monitor.dispose();
  }
}

/** Reads the schema, which is enough to tell a foreign, truncated or locked file. */
function checkReadable(dbPath: string): void {
  try {
    const db = openConnection(dbPath, { mode: 'reader' });
    try {
      db.prepare('SELECT count(*) FROM sqlite_master').get();
    } finally {
      db.close();
    }
  } catch (error) {
    throw describeOpenError(dbPath, error);
  }
}
