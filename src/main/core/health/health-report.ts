import type { HealthReport, PoolStatus, ThreadHeap } from '../../../shared/health';
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
 * - unhealthy: the process's RSS at or above the alert level (ALERT_PERCENT of
 *   MEMORY_LIMIT_MB, or of system memory when the limit is 0).
 * - unhealthy: the pool is exhausted: every connection, overflow included, is checked out
 *   and requests are waiting.
 * - degraded: the process's RSS stayed over MEMORY_THRESHOLD_MB after a cleanup (until a
 *   sample finds it back under).
 * - degraded: the pool is near exhaustion: at least 90% of DATABASE_MAX_CONNECTIONS checked out.
 * - degraded: stuck tasks: running longer than TASK_MAX_AGE, or still running 10 s after
 *   being cancelled.
 * - healthy otherwise.
 * Memory reasons name the figure and the thread whose heap holds most. The core adds its open
 * faults on top (`faults.ts`): a failing sampler (degraded), a damaged database (unhealthy),
 * a read-only one (degraded); each reason gives the way out.
 */
export function buildHealthReport({ sample, tasks, pool, thresholdMb }: HealthInputs): HealthReport {
  const unhealthy: string[] = [];
  const degraded: string[] = [];
  const rssMb = toMb(sample.main.rss);
  const threads = threadHeaps(sample);
  const largest = threads.reduce<ThreadHeap | undefined>((most, thread) => (most === undefined || held(thread) > held(most) ? thread : most), undefined);
  const holder = largest === undefined ? '' : `; the thread holding most is ${largest.name} (heap ${largest.heap_total_mb} MB, external ${largest.external_mb} MB)`;
  if (sample.alertBytes !== undefined && sample.main.rss >= sample.alertBytes) {
    unhealthy.push(`RSS ${rssMb} MB is at or above the alert level of ${toMb(sample.alertBytes)} MB${holder}`);
  }
  const capacity = pool.max_connections + pool.max_overflow;
  const exhausted = pool.checked_out >= capacity && pool.waiting > 0;
  if (exhausted) {
    unhealthy.push(`Database pool exhausted: ${pool.checked_out}/${capacity} connections checked out and ${pool.waiting} waiting`);
  }
  const cleanup = sample.lastCleanup ?? null;
  if (cleanup?.stillOver === true) {
    degraded.push(`RSS ${rssMb} MB stays over MEMORY_THRESHOLD_MB ${thresholdMb} after a cleanup (${toMb(cleanup.rssBefore)} MB → ${toMb(cleanup.rssAfter)} MB)${holder}`);
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
      rss_anon_mb: sample.main.rssAnonymous === null ? null : toMb(sample.main.rssAnonymous),
      rss_file_mb: sample.main.rssFileBacked === null ? null : toMb(sample.main.rssFileBacked),
      vms_mb: toMb(sample.main.vmSize),
      percent: Math.round(sample.percent * 100) / 100,
      heap_used_mb: toMb(sample.main.heapUsed),
      heap_total_mb: toMb(sample.main.heapTotal),
      external_mb: toMb(sample.main.external),
      threshold_mb: thresholdMb,
      alert_mb: sample.alertBytes === undefined ? null : toMb(sample.alertBytes),
      threads,
      last_cleanup: cleanup === null ? null : { rss_before_mb: toMb(cleanup.rssBefore), rss_after_mb: toMb(cleanup.rssAfter), still_over: cleanup.stillOver },
    },
    event_loop: {
      delay_p50_ms: sample.eventLoop.delayP50Ms,
      delay_p99_ms: sample.eventLoop.delayP99Ms,
      utilization: Math.round(sample.eventLoop.utilization * 1000) / 1000,
    },
    database_pool: pool,
  };
}

/** What a thread holds: its heap as reserved, plus memory its objects own outside the heap. */
const held = (thread: ThreadHeap): number => thread.heap_total_mb + thread.external_mb;

/** The main thread's heap, then every worker's, largest first. */
function threadHeaps(sample: StatsSample): ThreadHeap[] {
  const workers = sample.workers
    .map((worker) => ({ name: worker.name, heap_used_mb: toMb(worker.heapUsed), heap_total_mb: toMb(worker.heapTotal), external_mb: toMb(worker.external) }))
    .sort((a, b) => held(b) - held(a));
  return [{ name: 'main', heap_used_mb: toMb(sample.main.heapUsed), heap_total_mb: toMb(sample.main.heapTotal), external_mb: toMb(sample.main.external) }, ...workers];
}
