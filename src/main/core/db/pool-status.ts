import type { PoolStatus } from '../../../shared/health';
import { AppError } from '../base/errors';
import type { PoolConfig } from './pool-config';
import type { ResourceCounts } from './pool-resources';
import type { DurationWindow, PoolCounters } from './pool-stats';

export interface StatusInputs {
  readonly config: PoolConfig;
  readonly connections: ResourceCounts;
  readonly waiting: number;
  readonly counters: PoolCounters;
  readonly waits: DurationWindow;
}

/** The figures of the health report's database_pool section and of the stats event. */
export function poolStatus({ config, connections, waiting, counters, waits }: StatusInputs): PoolStatus {
  return {
    size: connections.size,
    checked_out: connections.checkedOut,
    overflow: connections.overflow,
    idle: connections.idle,
    waiting,
    max_connections: config.maxConnections,
    max_overflow: config.maxOverflow,
    timeout_s: config.timeoutMs / 1000,
    recycle_s: config.recycleMs / 1000,
    pre_ping: config.prePing,
    created: counters.created,
    recycled: counters.recycled,
    pre_ping_failures: counters.prePingFailures,
    timeouts: counters.timeouts,
    create_failures: counters.createFailures,
    idle_closed: counters.idleClosed,
    idle_timeout_s: config.idleTimeoutMs / 1000,
    acquire_wait_p50_ms: round(waits.percentile(50)),
    acquire_wait_p95_ms: round(waits.percentile(95)),
  };
}

/** The pool_timeout error: what the pool looked like when the wait ended, and what to do. */
export function poolTimeoutError(status: PoolStatus): AppError {
  return new AppError(
    'pool_timeout',
    `Timed out after ${status.timeout_s} s waiting for a database connection: ` +
      `${status.checked_out} checked out (${status.size - status.overflow}/${status.max_connections} pooled, ` +
      `${status.overflow}/${status.max_overflow} overflow), ${status.waiting} waiting. ` +
      'Look for slow queries or leaked connections, or raise DATABASE_MAX_CONNECTIONS or DATABASE_POOL_TIMEOUT.',
  );
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
