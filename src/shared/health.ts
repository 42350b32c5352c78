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
  readonly acquire_wait_p50_ms: number;
  readonly acquire_wait_p95_ms: number;
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
    readonly rss_mb: number;
    readonly vms_mb: number;
    readonly percent: number;
    readonly heap_used_mb: number;
    readonly heap_total_mb: number;
    readonly external_mb: number;
    readonly threshold_mb: number;
  };
  readonly event_loop: {
    readonly delay_p50_ms: number;
    readonly delay_p99_ms: number;
    readonly utilization: number;
  };
  readonly database_pool: PoolStatus;
}
