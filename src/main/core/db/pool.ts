import type { Worker } from 'node:worker_threads';
import type { MemoryBudget } from '../config/memory-budget';
import type { PoolStatus } from '../../../shared/health';
import type { AlertEvent, WorkerMemory } from '../../../shared/types';
import { AppError } from '../base/errors';
import type { Disposable, ShutdownDeadline } from '../base/lifecycle';
import type { Logger } from '../log/logger';
import type { WorkerEntry, WorkerLocator } from '../base/workers';
import { systemClock, type Clock } from './pool-clock';
import { poolConfigFrom, poolMaintenanceIntervalMs, PRE_PING_AFTER_IDLE_MS, type PoolConfig, type PoolSettings } from './pool-config';
import { Lease, type LeaseRunOptions } from './pool-lease';
import { IDLE_CONNECTIONS_KEPT, LeakWatch, UsageWarning } from './pool-maintenance';
import { DurationWindow } from './pool-stats';
import { poolStatus, poolTimeoutError } from './pool-status';
import type { ReaderConnection } from './reader-connection';
import { readerFactory } from './reader-factory';
import type { OpArgs, OpResult, OpTable, ReleasedMemory } from './reader-protocol';
import { ResourcePool } from './resource-pool';

export interface ReaderPoolOptions {
  readonly dbPath: string;
  /** The validated DATABASE_* settings (and SHUTDOWN_TIMEOUT). */
  readonly settings: PoolSettings;
  readonly workers: WorkerLocator;
  readonly logger: Logger;
  /** Clock for ages, leaks and the warning interval; injectable so tests need not wait an hour. */
  readonly now?: () => number;
  /** The whole clock (time and timers) for the pool's policy; the system's by default, with `now` if given. */
  readonly clock?: Clock;
  /** Receives the high-usage warning as an alert, e.g. to push it to the dashboard. */
  readonly onAlert?: (alert: AlertEvent) => void;
  /**
   * Called when a reader thread starts, e.g. to register it with the memory monitor
   * (`monitor.watchWorker({ name, worker })`); the result is disposed when the thread ends.
   */
  readonly onWorker?: (name: string, worker: Worker) => Disposable;
  /** How each periodic maintenance (recycling, idle close, leak report) ended: its error, or null; e.g. for health. */
  readonly onMaintenance?: (error: Error | null) => void;
  /** How long a reader thread may take to open its connection; DATABASE_POOL_TIMEOUT by default, and never more. */
  readonly openTimeoutMs?: number;
  /** SQLite busy timeout of each reader; 5 s by default. */
  readonly busyTimeoutMs?: number;
  /** The thread each reader runs; the production reader worker (`workers('reader-worker')`) by default. Tests pass a test-only entry. */
  readonly entry?: WorkerEntry;
  /** Each reader thread's share of the memory budget; V8 and SQLite defaults when absent. */
  readonly memory?: Pick<MemoryBudget, 'thresholdBytes' | 'readerTrimStepBytes' | 'searchReaderLimits' | 'readerCacheKib' | 'readerCacheUnderPressureKib' | 'searchHoldBytes' | 'searchPageBytes'>;
  /** How long a reader may take to stop after a cancel or past its budget; 1 s by default. */
  readonly stopGraceMs?: number;
}

/** What a memory cleanup did in the pool. */
export interface PoolRelease {
  /** Idle reader threads closed (each returns its whole heap). */
  readonly closed: number;
  /** Heaps of the readers kept, before and after their cleanup. */
  readonly readers: readonly ReleasedMemory[];
}

export interface RunOptions extends LeaseRunOptions {
  /** Who is asking, for the leak and slow-query logs; the op name by default. */
  readonly label?: string;
}

const pingTimeoutMs = 5000;
/** SQLite page cache a reader keeps after a cleanup when the pool was given no budget (SQLite's own default). */
const DEFAULT_PRESSURE_CACHE_KIB = 2000;
/**
 * How long a reader may take to stop after a cancel or past its budget before its thread is
 * ended: the scan checks between documents, so a healthy reader stops within milliseconds.
 */
const stopGraceMs = 1000;
/** How long shutdown waits for reader threads to exit once told to (terminated ones exit at once). */
const destroyTimeoutMs = 2000;
/** Most requests waiting for a connection at once (a few hundred bytes each); the next is refused at once. */
const MAX_WAITING = 10_000;

/**
 * The pool of read connections: the generic `ResourcePool` (the seed's SQLAlchemy policy:
 * size, overflow, FIFO timeout, recycle, pre-ping after idle, idle close) with a factory of
 * reader worker threads (`reader-factory.ts`), each holding one read-only connection
 * (Signal-Desktop's readers). All writes go through the indexer's single writer, and WAL
 * lets both run at once. This class adds what is about running ops: leases, the call guard,
 * leak and slow-query logs, the usage warning and the memory cleanup.
 */
export class ReaderPool<Ops extends OpTable> implements Disposable {
  private readonly config: PoolConfig;
  private readonly now: () => number;
  private readonly resources: ResourcePool<ReaderConnection>;
  private readonly leaks: LeakWatch;
  private readonly usage: UsageWarning;
  private readonly waits = new DurationWindow();
  private disposing: Promise<void> | undefined;

  constructor(private readonly options: ReaderPoolOptions) {
    const config = poolConfigFrom(options.settings);
    this.config = config;
    const base = options.clock ?? systemClock;
    const clock: Clock = options.now === undefined ? base : { ...base, now: options.now };
    this.now = () => clock.now();
    const logger = options.logger;
    const createTimeoutMs = Math.min(options.openTimeoutMs ?? config.timeoutMs, config.timeoutMs);
    this.leaks = new LeakWatch(config.leakTimeoutMs, logger);
    this.usage = new UsageWarning(config.maxConnections, config.warnIntervalMs, logger, options.onAlert);
    this.resources = new ResourcePool<ReaderConnection>({
      clock,
      factory: readerFactory({
        dbPath: options.dbPath,
        entry: options.entry ?? options.workers('reader-worker'),
        busyTimeoutMs: options.busyTimeoutMs ?? 5000,
        now: this.now,
        ...(options.onWorker === undefined ? {} : { onWorker: options.onWorker }),
        ...(options.memory === undefined
          ? {}
          : {
              resourceLimits: options.memory.searchReaderLimits,
              cacheKib: options.memory.readerCacheKib,
              searchHold: options.memory,
              trimAboveBytes: options.memory.thresholdBytes,
              trimStepBytes: options.memory.readerTrimStepBytes,
            }),
        onUnexpectedExit: (connection, code) => {
          logger.warn(`Reader connection ${connection.id} stopped unexpectedly (exit code ${code})`, { connection: connection.id, code });
          this.resources.invalidate(connection);
        },
      }),
      policy: {
        size: config.maxConnections,
        maxOverflow: config.maxOverflow,
        acquireTimeoutMs: config.timeoutMs,
        createTimeoutMs,
        recycleMs: config.recycleMs,
        idleTimeoutMs: config.idleTimeoutMs,
        keepIdle: IDLE_CONNECTIONS_KEPT,
        validateOnBorrow: config.prePing,
        validateAfterIdleMs: PRE_PING_AFTER_IDLE_MS,
        validateTimeoutMs: pingTimeoutMs,
        maxWaiting: MAX_WAITING,
        shutdownTimeoutMs: config.shutdownTimeoutMs,
        destroyTimeoutMs,
        maintenanceIntervalMs: poolMaintenanceIntervalMs(config),
      },
      errors: {
        timeout: () => poolTimeoutError(this.status()),
        full: () => new AppError('pool_timeout', `The database pool has ${MAX_WAITING} requests waiting already; try again when fewer searches run`),
        shuttingDown,
        createFailed: (error) => new AppError('database_error', `Cannot open the database ${options.dbPath}: ${error.message}`),
        createTimedOut: (id, ms) => new Error(`Reader connection ${id} did not open within ${ms / 1000} s`),
        validateTimedOut: () => new Error('The pre-ping timed out'),
        destroyedAtShutdown: () => new AppError('shutting_down', 'The database pool shut down before the query finished'),
      },
      events: {
        timedOut: (label, error) => logger.warn(error.message, { label }),
        createFailed: (_id, error) => logger.error(`Cannot open a reader connection: ${error.message}`, { path: options.dbPath }),
        createTimedOut: (id) => logger.error(`Reader connection ${id} did not open within ${createTimeoutMs / 1000} s; its thread was stopped`, { connection: id, path: options.dbPath }),
        validateFailed: (id, error) => logger.warn(`Pre-ping failed, reader connection ${id} discarded and replaced: ${error.message}`, { connection: id }),
        maintained: (now) => this.leaks.report(now),
        maintenanceOutcome: (error) => options.onMaintenance?.(error),
        gaveUpWaiting: (stillOut) => logger.warn(`Closing the reader pool with ${stillOut} connection(s) still checked out`, { checked_out: stillOut }),
        destroysOverdue: () => logger.warn(`Reader threads did not exit within ${destroyTimeoutMs / 1000} s of the pool's shutdown`),
      },
    });
  }

  /**
   * Runs one named read op on a pooled connection and returns it to the pool. With a budget
   * or a signal, the op is stopped in its thread when either ends it, and a thread that does
   * not stop within a grace is ended and replaced: no op holds a connection past its budget.
   */
  async run<K extends keyof Ops & string>(op: K, args: OpArgs<Ops[K]>, options: RunOptions = {}): Promise<OpResult<Ops[K]>> {
    const lease = await this.acquire(options.label ?? op, options.signal);
    try {
      return await lease.run(op, args, options);
    } finally {
      lease.release();
    }
  }

  /**
   * Checks a connection out until `release()` (the seed's checkout semantics). Waits, first
   * come first served, up to DATABASE_POOL_TIMEOUT, then fails with a pool_timeout error.
   */
  async acquire(label: string, signal?: AbortSignal): Promise<Lease<Ops>> {
    const started = performance.now();
    const connection = await this.resources.acquire(label, signal);
    this.waits.add(performance.now() - started);
    this.leaks.checkedOut(connection, label, this.now());
    this.usage.check(this.resources.counts().checkedOut, this.now());
    return new Lease<Ops>(connection, label, this.config.slowQueryMs, this.options.logger, {
      onRelease: () => {
        this.leaks.returned(connection);
        this.resources.release(connection);
      },
      onStuck: (reason) => this.endStuck(connection, reason),
      graceMs: this.options.stopGraceMs ?? stopGraceMs,
    });
  }

  /** The live figures of the health report's database_pool section and the stats event. */
  status(): PoolStatus {
    const counters = this.resources.counters;
    return poolStatus({
      config: this.config,
      connections: this.resources.counts(),
      waiting: this.resources.waiting,
      counters: { ...counters, prePingFailures: counters.validateFailures },
      waits: this.waits,
    });
  }

  /** Heaps of the reader threads, as last reported with their replies. */
  workerMemory(): WorkerMemory[] {
    return this.resources.serving().map((connection) => ({ threadId: connection.threadId, name: connection.name, ...connection.heap }));
  }

  /**
   * Empties the search cache of every open reader (on memory pressure). A busy reader does
   * it right after its current query; nothing is checked out for it.
   */
  async clearCaches(): Promise<void> {
    await Promise.allSettled(this.resources.serving().map((connection) => connection.call('clearSearchCache', undefined)));
  }

  /**
   * The memory cleanup's part in the pool: closes every idle connection beyond the first (a
   * thread that ends returns its whole heap), then has each reader left drop its caches and
   * snapshot, shrink SQLite's memory and collect its heap. A busy reader does it right after
   * its current query; nothing is checked out for it.
   */
  async releaseMemory(): Promise<PoolRelease> {
    const closed = this.resources.closeIdle(Infinity);
    const cacheKib = this.options.memory?.readerCacheUnderPressureKib ?? DEFAULT_PRESSURE_CACHE_KIB;
    const results = await Promise.allSettled(this.resources.serving().map((connection) => connection.call('releaseMemory', { cacheKib })));
    await this.resources.destroyed();
    const readers = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value.value as ReleasedMemory] : []));
    return { closed, readers };
  }

  /**
   * The periodic checks, run by a timer and callable by tests: reports probable leaks,
   * replaces idle connections past their age and closes those idle longer than
   * DATABASE_POOL_IDLE_TIMEOUT beyond the first. An idle app keeps one warm connection.
   */
  maintain(): void {
    this.resources.maintain();
  }

  /**
   * Stops handing out connections, fails the waiters, waits for checked-out connections to
   * come back (at most SHUTDOWN_TIMEOUT, or what is left of the shutdown's deadline), then
   * closes every reader (at most 2 s more, or until the deadline's hard end: busy ones are
   * terminated). The writer is closed after this by its owner, so readers always go first.
   */
  dispose(deadline?: ShutdownDeadline): Promise<void> {
    this.disposing ??= this.shutdown(deadline);
    return this.disposing;
  }

  private async shutdown(deadline: ShutdownDeadline | undefined): Promise<void> {
    const closed = this.resources.counts().size;
    await this.resources.dispose(deadline === undefined ? {} : { waitMs: Math.min(this.config.shutdownTimeoutMs, deadline.untilSoft()), destroyMs: Math.min(destroyTimeoutMs, deadline.untilHard()) });
    this.options.logger.info('Reader pool closed', { connections: closed, created: this.resources.counters.created });
  }

  /** Ends the thread of a checked-out connection that did not stop; a new one is opened on demand. */
  private endStuck(connection: ReaderConnection, reason: Error): void {
    this.options.logger.warn(`Reader connection ${connection.id} did not stop in time; its thread was ended and will be replaced: ${reason.message}`, {
      connection: connection.id,
    });
    this.resources.destroyNow(connection, reason, 0);
  }
}

function shuttingDown(): AppError {
  return new AppError('shutting_down', 'The database pool is shutting down');
}
