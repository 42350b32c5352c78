import { interval, toDisposable, type Disposable } from '../lifecycle';
import type { Logger } from '../log/logger';
import { toMb } from '../monitor/process-memory';
import type { TaskManager } from './task-manager';

export interface MaintenanceOptions {
  readonly tasks: TaskManager;
  readonly logger: Logger;
  /** TASK_CLEANUP_INTERVAL in ms (seed: 5 minutes). */
  readonly cleanupIntervalMs: number;
  /** GC_INTERVAL in ms (seed: 10 minutes). */
  readonly gcIntervalMs: number;
  /**
   * Runs a full GC; absent where GC is not exposed, and then no GC task is scheduled.
   * Injectable so tests need not depend on --expose-gc.
   */
  readonly collectGarbage?: () => boolean;
}

/**
 * The seed's two periodic jobs, each run as a tracked task: cleanup of old and finished
 * tasks every TASK_CLEANUP_INTERVAL, and a full GC every GC_INTERVAL where GC is exposed.
 * Timers are unref'd so they never keep the process alive.
 */
export function scheduleMaintenance(options: MaintenanceOptions): Disposable {
  const { tasks, logger } = options;
  const runPeriodic = (type: string, work: () => void): void => {
    if (!tasks.isAccepting) return;
    // The task's outcome is on its record; nothing awaits the promise.
    tasks.run(type, {}, async () => work()).done.catch(() => {});
  };
  const cleanup = interval(() => runPeriodic('periodic_cleanup', () => tasks.cleanup()), options.cleanupIntervalMs);
  const collect = options.collectGarbage;
  const gc = collect === undefined ? undefined : interval(() => runPeriodic('periodic_gc', () => periodicGc(collect, logger)), options.gcIntervalMs);
  return toDisposable(() => {
    cleanup.dispose();
    gc?.dispose();
  });
}

/** One periodic GC: logs the seed's line with what it freed, or nothing where GC is not exposed. */
export function periodicGc(collect: () => boolean, logger: Logger): boolean {
  const before = process.memoryUsage().heapUsed;
  if (!collect()) return false;
  const after = process.memoryUsage().heapUsed;
  logger.info('Memory cleanup performed', { reason: 'periodic', heap_before_mb: toMb(before), heap_after_mb: toMb(after) });
  return true;
}
