import { existsSync } from 'node:fs';
import type { HealthReport } from '../../shared/health';
import { openConnection } from '../core/db/open-connection';
import { poolConfigFrom } from '../core/db/pool-config';
import { DurationWindow } from '../core/db/pool-stats';
import { poolStatus } from '../core/db/pool-status';
import { checkPages, DatabaseIntegrity, leftOpen, type DatabaseState } from '../core/db/integrity-check';
import { describeOpenError, fileAccess } from '../core/db/prepare-database';
import { FaultRegister } from '../core/base/faults';
import { memoryBudget } from '../core/config/memory-budget';
import { buildHealthReport } from '../core/health/health-report';
import { MemoryMonitor } from '../core/monitor/memory-monitor';
import { resolvePaths } from '../core/base/paths';
import { loadCliConfig } from './cli-config';

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
  const faults = new FaultRegister();
  if (existsSync(dbPath)) {
    const state = checkReadable(dbPath);
    // The same sentences as the core's health: damage found by quick_check, a read-only file.
    new DatabaseIntegrity(dbPath, state, (fault) => faults.report({ source: 'database', ...fault }));
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
    return faults.applyTo(buildHealthReport({ sample: monitor.sample(), tasks, pool, thresholdMb: settings.MEMORY_THRESHOLD_MB }));
  } finally {
    monitor.dispose();
  }
}

/**
 * Reads the schema, which is enough to tell a foreign, truncated or locked file; after an
 * unclean close (the open marker is there and names no running process) quick_check reads
 * every page, as the core does at start.
 */
function checkReadable(dbPath: string): DatabaseState {
  try {
    const db = openConnection(dbPath, { mode: 'reader' });
    try {
      db.prepare('SELECT count(*) FROM sqlite_master').get();
      const damage = leftOpen(dbPath) ? checkPages(db) : null;
      if (damage !== null) return damage;
      return fileAccess(dbPath) === 'read-only' ? { kind: 'read_only' } : { kind: 'sound' };
    } finally {
      db.close();
    }
  } catch (error) {
    throw describeOpenError(dbPath, error);
  }
}
