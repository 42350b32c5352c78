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

/** Builds the health report: the same JSON for getHealth, GET /health and `gitbot health --json`. */
export function buildHealthReport({ sample, tasks, pool, thresholdMb }: HealthInputs): HealthReport {
  const reasons: string[] = [];
  return {
    status: reasons.length === 0 ? 'healthy' : 'degraded',
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
      rss_mb: toMb(sample.main.rss),
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
