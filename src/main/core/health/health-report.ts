import type { HealthReport, PoolStatus } from '../../../shared/health';
import type { StatsSample } from '../../../shared/types';
import type { TaskCounts } from '../tasks/task-manager';
import { toMb } from '../monitor/process-memory';

export interface HealthInputs {
  readonly sample: StatsSample;
  readonly tasks: TaskCounts;
  readonly pool: PoolStatus;
  readonly thresholdMb: number;
}

/** Share of DATABASE_MAX_CONNECTIONS checked out at which the pool counts as near exhaustion (the seed warns at 18/20). */
export const poolNearExhaustion = 0.9;

/**
 * Builds the health report: the same JSON for getHealth, GET /health and `gitbot health --json`.
 *
 * Status rules, worst wins; every rule that applies adds its sentence to `reasons`:
 * - unhealthy: RSS at or above the alert level (ALERT_PERCENT of MEMORY_LIMIT_MB, or of
 *   system memory when the limit is 0).
 * - unhealthy: the pool is exhausted: every connection, overflow included, is checked out
 *   and requests are waiting.
 * - degraded: the main heap is over MEMORY_THRESHOLD_MB.
 * - degraded: the pool is near exhaustion: at least 90% of DATABASE_MAX_CONNECTIONS checked out.
 * - degraded: stuck tasks: running longer than TASK_MAX_AGE, or still running 10 s after
 *   being cancelled.
 * - healthy otherwise.
 */
export function buildHealthReport({ sample, tasks, pool, thresholdMb }: HealthInputs): HealthReport {
  const unhealthy: string[] = [];
  const degraded: string[] = [];
  const rssMb = toMb(sample.main.rss);
  if (sample.alertBytes !== undefined && sample.main.rss >= sample.alertBytes) {
    unhealthy.push(`RSS ${rssMb} MB is at or above the alert level of ${toMb(sample.alertBytes)} MB`);
  }
  const capacity = pool.max_connections + pool.max_overflow;
  const exhausted = pool.checked_out >= capacity && pool.waiting > 0;
  if (exhausted) {
    unhealthy.push(`Database pool exhausted: ${pool.checked_out}/${capacity} connections checked out and ${pool.waiting} waiting`);
  }
  if (sample.main.heapUsed > thresholdMb * 1024 * 1024) {
    degraded.push(`Heap ${toMb(sample.main.heapUsed)} MB is over MEMORY_THRESHOLD_MB ${thresholdMb}`);
  }
  if (!exhausted && pool.checked_out >= pool.max_connections * poolNearExhaustion) {
    const percent = Math.round((pool.checked_out / pool.max_connections) * 1000) / 10;
    degraded.push(`Database pool near exhaustion: ${pool.checked_out}/${pool.max_connections} connections checked out (${percent}%)`);
  }
  if (tasks.stuck > 0) {
    degraded.push(`${tasks.stuck} background ${tasks.stuck === 1 ? 'task is' : 'tasks are'} stuck`);
  }
  const reasons = [...unhealthy, ...degraded];
  return {
    status: unhealthy.length > 0 ? 'unhealthy' : degraded.length > 0 ? 'degraded' : 'healthy',
    reasons,
    background_tasks: {
      total_tasks: tasks.total,
      active_tasks: tasks.active,
      completed_tasks: tasks.completed,
      failed_tasks: tasks.failed,
      cancelled_tasks: tasks.cancelled,
      task_types: tasks.types,
    },
    memory: {
      rss_mb: rssMb,
      vms_mb: toMb(sample.main.vmSize),
      percent: Math.round(sample.percent * 100) / 100,
      heap_used_mb: toMb(sample.main.heapUsed),
      heap_total_mb: toMb(sample.main.heapTotal),
      external_mb: toMb(sample.main.external),
      threshold_mb: thresholdMb,
    },
    event_loop: {
      delay_p50_ms: sample.eventLoop.delayP50Ms,
      delay_p99_ms: sample.eventLoop.delayP99Ms,
      utilization: Math.round(sample.eventLoop.utilization * 1000) / 1000,
    },
    database_pool: pool,
  };
}
