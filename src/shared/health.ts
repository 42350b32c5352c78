/** The health report: the seed's shape, extended. Fields may be added, never renamed. */
export type HealthStatus = 'healthy' | 'degraded' | 'unhealthy';

export interface PoolStatus {
  readonly size: number;
  readonly checked_out: number;
  readonly overflow: number;
  readonly idle: number;
  readonly waiting: number;
  readonly max_connections: number;
  readonly max_overflow: number;
  readonly timeout_s: number;
  readonly recycle_s: number;
  readonly pre_ping: boolean;
  readonly created: number;
  readonly recycled: number;
  readonly pre_ping_failures: number;
  readonly timeouts: number;
  /** Connections that failed to open or did not open in time. */
  readonly create_failures: number;
  /** Idle connections beyond the first closed after DATABASE_POOL_IDLE_TIMEOUT or by a memory cleanup. */
  readonly idle_closed: number;
  /** DATABASE_POOL_IDLE_TIMEOUT. */
  readonly idle_timeout_s: number;
  readonly acquire_wait_p50_ms: number;
  readonly acquire_wait_p95_ms: number;
}

/** One thread's V8 heap in the health report. */
export interface ThreadHeap {
  readonly name: string;
  readonly heap_used_mb: number;
  readonly heap_total_mb: number;
  readonly external_mb: number;
}

export interface HealthReport {
  readonly status: HealthStatus;
  /** Why the status is not healthy; empty when it is. */
  readonly reasons: readonly string[];
  readonly background_tasks: {
    readonly total_tasks: number;
    readonly active_tasks: number;
    readonly completed_tasks: number;
    readonly failed_tasks: number;
    readonly cancelled_tasks: number;
    readonly task_types: readonly string[];
  };
  readonly memory: {
    /** The whole core process (every thread), the figure MEMORY_THRESHOLD_MB is compared with. */
    readonly rss_mb: number;
    /** RSS split by the kernel: anonymous (heaps, malloc arenas, SQLite caches) and file-backed (code); null off Linux. */
    readonly rss_anon_mb: number | null;
    readonly rss_file_mb: number | null;
    readonly vms_mb: number;
    readonly percent: number;
    /** The main thread's heap; each thread's is in `threads`. */
    readonly heap_used_mb: number;
    readonly heap_total_mb: number;
    readonly external_mb: number;
    readonly threshold_mb: number;
    /** ALERT_PERCENT of MEMORY_LIMIT_MB (or of system memory): RSS at which the status is unhealthy. */
    readonly alert_mb: number | null;
    /** Every thread's heap, main first, then by heap size. */
    readonly threads: readonly ThreadHeap[];
    /** The latest cleanup while RSS has not been back under the threshold since; null otherwise. */
    readonly last_cleanup: { readonly rss_before_mb: number; readonly rss_after_mb: number; readonly still_over: boolean } | null;
  };
  readonly event_loop: {
    readonly delay_p50_ms: number;
    readonly delay_p99_ms: number;
    readonly utilization: number;
  };
  readonly database_pool: PoolStatus;
}

/**
 * A pool with nothing open at the seed's default limits, with `change` on top: what the renderer's
 * e2e hook shows before a real sample arrives, and the base of the tests' pool figures.
 */
export function idlePoolStatus(change: Partial<PoolStatus> = {}): PoolStatus {
  return {
    size: 0,
    checked_out: 0,
    overflow: 0,
    idle: 0,
    waiting: 0,
    max_connections: 20,
    max_overflow: 10,
    timeout_s: 30,
    recycle_s: 3600,
    pre_ping: true,
    created: 0,
    recycled: 0,
    pre_ping_failures: 0,
    timeouts: 0,
    create_failures: 0,
    idle_closed: 0,
    idle_timeout_s: 30,
    acquire_wait_p50_ms: 0,
    acquire_wait_p95_ms: 0,
    ...change,
  };
}
