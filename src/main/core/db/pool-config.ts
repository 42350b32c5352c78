import type { Config } from '../config/definitions';

/** The pool's limits in milliseconds, read once from the validated settings. */
export interface PoolConfig {
  /** DATABASE_MAX_CONNECTIONS: most pooled connections, opened lazily. */
  readonly maxConnections: number;
  /** DATABASE_MAX_OVERFLOW: extra connections opened only while the pool is full. */
  readonly maxOverflow: number;
  /** DATABASE_POOL_TIMEOUT: how long a request waits for a connection. */
  readonly timeoutMs: number;
  /** DATABASE_POOL_RECYCLE: age after which an idle connection is replaced. */
  readonly recycleMs: number;
  /** DATABASE_POOL_IDLE_TIMEOUT: idle time after which a connection beyond the first is closed. */
  readonly idleTimeoutMs: number;
  /** DATABASE_POOL_PRE_PING: check a connection with a trivial query before handing it out. */
  readonly prePing: boolean;
  /** DATABASE_POOL_LEAK_TIMEOUT: a checkout held longer is reported as a probable leak. */
  readonly leakTimeoutMs: number;
  /** DATABASE_SLOW_QUERY_MS: queries slower than this are logged. */
  readonly slowQueryMs: number;
  /** DATABASE_POOL_WARN_INTERVAL: least time between two high-usage warnings. */
  readonly warnIntervalMs: number;
  /** SHUTDOWN_TIMEOUT: how long dispose waits for queries in flight. */
  readonly shutdownTimeoutMs: number;
}

export type PoolSettings = Pick<
  Config,
  | 'DATABASE_MAX_CONNECTIONS'
  | 'DATABASE_MAX_OVERFLOW'
  | 'DATABASE_POOL_TIMEOUT'
  | 'DATABASE_POOL_RECYCLE'
  | 'DATABASE_POOL_IDLE_TIMEOUT'
  | 'DATABASE_POOL_PRE_PING'
  | 'DATABASE_POOL_LEAK_TIMEOUT'
  | 'DATABASE_SLOW_QUERY_MS'
  | 'DATABASE_POOL_WARN_INTERVAL'
  | 'SHUTDOWN_TIMEOUT'
>;

export function poolConfigFrom(settings: PoolSettings): PoolConfig {
  return {
    maxConnections: settings.DATABASE_MAX_CONNECTIONS,
    maxOverflow: settings.DATABASE_MAX_OVERFLOW,
    timeoutMs: settings.DATABASE_POOL_TIMEOUT * 1000,
    recycleMs: settings.DATABASE_POOL_RECYCLE * 1000,
    idleTimeoutMs: settings.DATABASE_POOL_IDLE_TIMEOUT * 1000,
    prePing: settings.DATABASE_POOL_PRE_PING,
    leakTimeoutMs: settings.DATABASE_POOL_LEAK_TIMEOUT * 1000,
    slowQueryMs: settings.DATABASE_SLOW_QUERY_MS,
    warnIntervalMs: settings.DATABASE_POOL_WARN_INTERVAL * 1000,
    shutdownTimeoutMs: settings.SHUTDOWN_TIMEOUT * 1000,
  };
}

/**
 * The pre-ping checks only a connection idle at least this long: one returned more recently
 * was just proven by the query it ran, and a ping costs a thread round trip per checkout.
 */
export const PRE_PING_AFTER_IDLE_MS = 5000;

/** How often the pool maintains itself: a quarter of its shortest age limit, between 250 ms and 30 s. */
export function poolMaintenanceIntervalMs(config: Pick<PoolConfig, 'leakTimeoutMs' | 'recycleMs' | 'idleTimeoutMs'>): number {
  return Math.min(30_000, Math.max(250, Math.min(config.leakTimeoutMs, config.recycleMs, config.idleTimeoutMs) / 4));
}
