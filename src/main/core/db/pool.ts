import type { Worker } from 'node:worker_threads';
import type { MemoryBudget } from '../config/memory-budget';
import type { PoolStatus } from '../../../shared/health';
import type { AlertEvent, WorkerMemory } from '../../../shared/types';
import { AppError } from '../errors';
import { interval, type Disposable } from '../lifecycle';
import type { Logger } from '../log/logger';
import type { WorkerLocator } from '../workers';
import { poolConfigFrom, type PoolConfig, type PoolSettings } from './pool-config';
import { ConnectionSet } from './pool-connections';
import { Lease, type LeaseRunOptions } from './pool-lease';
import { IDLE_CONNECTIONS_KEPT, isExpired, LeakWatch, UsageWarning } from './pool-maintenance';
import { openReader, type OpenerOptions, type OpenListener } from './pool-opener';
import { abortReason, withTimeout } from './pool-promises';
import { DurationWindow, type PoolCounters } from './pool-stats';
import { poolStatus, poolTimeoutError } from './pool-status';
import { WaitingLine, type Waiter } from './pool-waiters';
import type { ReaderConnection } from './reader-connection';
import type { OpArgs, OpResult, OpTable, ReleasedMemory } from './reader-protocol';

export interface ReaderPoolOptions {
  readonly dbPath: string;
  /** The validated DATABASE_* settings (and SHUTDOWN_TIMEOUT). */
  readonly settings: PoolSettings;
  readonly workers: WorkerLocator;
  readonly logger: Logger;
  /** Clock for ages, leaks and the warning interval; injectable so tests need not wait an hour. */
  readonly now?: () => number;
  /** Receives the high-usage warning as an alert, e.g. to push it to the dashboard. */
  readonly onAlert?: (alert: AlertEvent) => void;
  /**
   * Called when a reader thread starts, e.g. to register it with the memory monitor
   * (`monitor.watchWorker({ name, worker })`); the result is disposed when the thread ends.
   */
  readonly onWorker?: (name: string, worker: Worker) => Disposable;
  /** How long a reader thread may take to open its connection; DATABASE_POOL_TIMEOUT by default, and never more. */
  readonly openTimeoutMs?: number;
  /** SQLite busy timeout of each reader; 5 s by default. */
  readonly busyTimeoutMs?: number;
  /** Tests and benchmarks only: modules whose exported `ops` every reader also serves. */
  readonly extraOpsModules?: readonly string[];
  /** Each reader thread's share of the memory budget; V8 and SQLite defaults when absent. */
  readonly memory?: Pick<MemoryBudget, 'searchReaderLimits' | 'readerCacheKib' | 'readerCacheUnderPressureKib'>;
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

/**
 * The pool of read connections. better-sqlite3 is synchronous, so each connection is a
 * worker thread holding one read-only connection (Signal-Desktop's readers); all writes go
 * through the indexer's single writer, and WAL lets both run at once. Checkout follows the
 * seed's SQLAlchemy semantics: a fixed size opened lazily, overflow while full, a FIFO wait
 * bounded by a timeout, recycling by age and a pre-ping before each hand-out.
 */
export class ReaderPool<Ops extends OpTable> implements Disposable {
  private readonly config: PoolConfig;
  private readonly now: () => number;
  private readonly opener: OpenerOptions;
  private readonly connections = new ConnectionSet(() => this.now());
  private readonly line: WaitingLine;
  private readonly leaks: LeakWatch;
  private readonly usage: UsageWarning;
  private readonly counters: PoolCounters = { created: 0, recycled: 0, prePingFailures: 0, timeouts: 0, createFailures: 0, idleClosed: 0 };
  private readonly waits = new DurationWindow();
  private readonly maintenance: Disposable;
  private nextId = 1;
  private disposing: Promise<void> | undefined;
  private onDrained: (() => void) | undefined;

  constructor(private readonly options: ReaderPoolOptions) {
    const config = poolConfigFrom(options.settings);
    this.config = config;
    this.now = options.now ?? Date.now;
    this.opener = {
      dbPath: options.dbPath,
      workers: options.workers,
      busyTimeoutMs: options.busyTimeoutMs ?? 5000,
      extraOpsModules: options.extraOpsModules ?? [],
      openTimeoutMs: Math.min(options.openTimeoutMs ?? config.timeoutMs, config.timeoutMs),
      now: this.now,
      ...(options.onWorker === undefined ? {} : { onWorker: options.onWorker }),
      ...(options.memory === undefined ? {} : { resourceLimits: options.memory.searchReaderLimits, cacheKib: options.memory.readerCacheKib }),
    };
    this.line = new WaitingLine({
      timeoutError: () => poolTimeoutError(this.status()),
      onTimeout: (waiter, error) => {
        this.counters.timeouts++;
        options.logger.warn(error.message, { label: waiter.label });
      },
    });
    this.leaks = new LeakWatch(config.leakTimeoutMs, options.logger);
    this.usage = new UsageWarning(config.maxConnections, config.warnIntervalMs, options.logger, options.onAlert);
    const periodMs = Math.min(30_000, Math.max(250, Math.min(config.leakTimeoutMs, config.recycleMs, config.idleTimeoutMs) / 4));
    this.maintenance = interval(() => this.maintain(), periodMs);
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
  acquire(label: string, signal?: AbortSignal): Promise<Lease<Ops>> {
    if (this.disposing !== undefined) {
      return Promise.reject(shuttingDown());
    }
    if (signal?.aborted) {
      return Promise.reject(abortReason(signal));
    }
    const connection = this.line.join(label, this.config.timeoutMs, signal);
    this.dispatch();
    return connection.then(
      (opened) =>
        new Lease<Ops>(opened, label, this.config.slowQueryMs, this.options.logger, {
          onRelease: () => this.release(opened),
          onStuck: (reason) => this.endStuck(opened, reason),
          graceMs: this.options.stopGraceMs ?? stopGraceMs,
        }),
    );
  }

  /** The live figures of the health report's database_pool section and the stats event. */
  status(): PoolStatus {
    return poolStatus({ config: this.config, connections: this.connections.counts(), waiting: this.line.size, counters: this.counters, waits: this.waits });
  }

  /** Heaps of the reader threads, as last reported with their replies. */
  workerMemory(): WorkerMemory[] {
    return this.connections.serving().map((connection) => ({ threadId: connection.threadId, name: connection.name, ...connection.heap }));
  }

  /**
   * Empties the search cache of every open reader (on memory pressure). A busy reader does
   * it right after its current query; nothing is checked out for it.
   */
  async clearCaches(): Promise<void> {
    await Promise.allSettled(this.connections.serving().map((connection) => connection.call('clearSearchCache', undefined)));
  }

  /**
   * The memory cleanup's part in the pool: closes every idle connection beyond the first (a
   * thread that ends returns its whole heap), then has each reader left drop its caches and
   * snapshot, shrink SQLite's memory and collect its heap. A busy reader does it right after
   * its current query; nothing is checked out for it.
   */
  async releaseMemory(): Promise<PoolRelease> {
    const closed = this.closeIdle(Infinity);
    const cacheKib = this.options.memory?.readerCacheUnderPressureKib ?? DEFAULT_PRESSURE_CACHE_KIB;
    const results = await Promise.allSettled(this.connections.serving().map((connection) => connection.call('releaseMemory', { cacheKib })));
    await this.connections.closed();
    const readers = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value.value as ReleasedMemory] : []));
    return { closed, readers };
  }

  /**
   * The periodic checks, run by a timer and callable by tests: reports probable leaks,
   * replaces idle connections past their age and closes those idle longer than
   * DATABASE_POOL_IDLE_TIMEOUT beyond the first. An idle app keeps one warm connection.
   */
  maintain(): void {
    if (this.disposing !== undefined) {
      return;
    }
    const now = this.now();
    this.leaks.report(now);
    const expired = this.connections.idleWhere((connection) => isExpired(connection, now, this.config.recycleMs));
    for (const connection of expired) {
      this.counters.recycled++;
      this.discard(connection);
    }
    if (expired.length > 0 && this.connections.size === 0) {
      this.open(false);
    }
    this.closeIdle(now - this.config.idleTimeoutMs);
  }

  /** Closes idle connections beyond the ones kept warm, idle since `idleBefore` or earlier; returns how many. */
  private closeIdle(idleBefore: number): number {
    const idle = this.connections.idleBeyond(IDLE_CONNECTIONS_KEPT, idleBefore);
    for (const connection of idle) {
      this.counters.idleClosed++;
      this.discard(connection);
    }
    return idle.length;
  }

  /**
   * Stops handing out connections, fails the waiters, waits for checked-out connections to
   * come back (at most SHUTDOWN_TIMEOUT), then closes every reader. The writer is closed
   * after this by its owner, so readers always go first.
   */
  dispose(): Promise<void> {
    this.disposing ??= this.shutdown();
    return this.disposing;
  }

  private async shutdown(): Promise<void> {
    this.maintenance.dispose();
    this.line.failAll(shuttingDown());
    if (this.connections.counts().checkedOut > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.config.shutdownTimeoutMs);
        this.onDrained = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    const stillOut = this.connections.counts().checkedOut;
    if (stillOut > 0) {
      this.options.logger.warn(`Closing the reader pool with ${stillOut} connection(s) still checked out`, { checked_out: stillOut });
    }
    const closed = this.connections.size;
    // A connection still busy after the bounded wait is stopped at once, not asked politely.
    this.connections.discardAll(new AppError('shutting_down', 'The database pool shut down before the query finished'));
    await this.connections.closed();
    this.options.logger.info('Reader pool closed', { connections: closed, created: this.counters.created });
  }

  /** Hands idle connections to waiters in order, then opens connections for the rest. */
  private dispatch(): void {
    if (this.disposing !== undefined) {
      return;
    }
    const now = this.now();
    while (this.line.size > 0) {
      const connection = this.connections.takeIdle();
      if (connection === undefined) {
        break;
      }
      if (isExpired(connection, now, this.config.recycleMs)) {
        this.counters.recycled++;
        this.discard(connection);
        continue;
      }
      const waiter = this.line.next();
      if (waiter !== undefined) {
        void this.handOut(connection, waiter);
      }
    }
    this.grow();
    // Overflow exists only while the pool is full: closed as soon as nobody waits for it.
    for (const connection of this.connections.idleWhere((candidate) => candidate.overflow)) {
      this.discard(connection);
    }
  }

  /** Opens one connection per waiter not already covered by a connection being opened. */
  private grow(): void {
    const counts = this.connections.counts();
    let { pooled, overflow } = counts;
    for (let demand = this.line.size - counts.opening; demand > 0; demand--) {
      if (pooled < this.config.maxConnections) {
        pooled++;
        this.open(false);
      } else if (overflow < this.config.maxOverflow) {
        overflow++;
        this.open(true);
      } else {
        return;
      }
    }
  }

  private open(overflow: boolean): void {
    this.connections.add(openReader(this.nextId++, overflow, this.opener, this.openListener));
  }

  private readonly openListener: OpenListener = {
    opened: (connection) => {
      if (connection.state !== 'opening') {
        return;
      }
      this.counters.created++;
      this.connections.makeIdle(connection, true);
      this.dispatch();
    },
    failed: (connection, error) => {
      if (this.disposing !== undefined || !this.connections.has(connection)) {
        return;
      }
      this.counters.createFailures++;
      this.discard(connection);
      this.options.logger.error(`Cannot open a reader connection: ${error.message}`, { path: this.options.dbPath });
      // A database that cannot be opened fails the oldest request now rather than at its deadline.
      this.line.next()?.fail(new AppError('database_error', `Cannot open the database ${this.options.dbPath}: ${error.message}`));
    },
    timedOut: (connection) => {
      if (this.disposing !== undefined || !this.connections.has(connection)) {
        return;
      }
      this.counters.createFailures++;
      const seconds = this.opener.openTimeoutMs / 1000;
      this.options.logger.error(`Reader connection ${connection.id} did not open within ${seconds} s; its thread was stopped`, {
        connection: connection.id,
        path: this.options.dbPath,
      });
      this.discard(connection, new Error(`Reader connection ${connection.id} did not open within ${seconds} s`), 0);
      // No request is failed: each keeps its own deadline, and a replacement is opened for them in order.
      this.dispatch();
    },
    exitedUnexpectedly: (connection, code) => {
      this.options.logger.warn(`Reader connection ${connection.id} stopped unexpectedly (exit code ${code})`, { connection: connection.id, code });
      if (!this.leaks.holds(connection) && connection.state !== 'opening') {
        this.discard(connection);
        this.dispatch();
      }
    },
  };

  /** Validates a connection (pre-ping) and gives it to the waiter, or replaces it. */
  private async handOut(connection: ReaderConnection, waiter: Waiter): Promise<void> {
    connection.state = 'checked_out';
    const fresh = this.connections.takeFresh(connection);
    if (this.config.prePing && !fresh) {
      try {
        await withTimeout(connection.call('ping', undefined), pingTimeoutMs, 'The pre-ping timed out');
      } catch (error) {
        this.counters.prePingFailures++;
        this.options.logger.warn(`Pre-ping failed, reader connection ${connection.id} discarded and replaced: ${(error as Error).message}`, {
          connection: connection.id,
        });
        this.discard(connection);
        if (waiter.cancelled !== undefined || this.disposing !== undefined) {
          waiter.fail(waiter.cancelled ?? shuttingDown());
          this.notifyIfDrained();
        } else {
          this.line.putBack(waiter);
          this.dispatch();
        }
        return;
      }
    }
    // A shutdown that began during the pre-ping still serves this waiter: its connection was
    // assigned before, so it counts as in flight and shutdown waits for it.
    if (waiter.cancelled !== undefined) {
      waiter.fail(waiter.cancelled);
      this.release(connection);
      return;
    }
    this.waits.add(performance.now() - waiter.enqueuedAt);
    this.leaks.checkedOut(connection, waiter.label, this.now());
    waiter.serve(connection);
    this.usage.check(this.connections.counts().checkedOut, this.now());
  }

  /** Ends the thread of a checked-out connection that did not stop; a new one is opened on demand. */
  private endStuck(connection: ReaderConnection, reason: Error): void {
    this.options.logger.warn(`Reader connection ${connection.id} did not stop in time; its thread was ended and will be replaced: ${reason.message}`, {
      connection: connection.id,
    });
    this.discard(connection, reason, 0);
    this.dispatch();
  }

  private release(connection: ReaderConnection): void {
    this.leaks.returned(connection);
    if (connection.state !== 'checked_out' || !connection.alive) {
      this.discard(connection);
    } else {
      this.connections.makeIdle(connection);
    }
    if (this.disposing !== undefined) {
      this.notifyIfDrained();
      return;
    }
    this.dispatch();
  }

  private discard(connection: ReaderConnection, reason = new Error('Reader connection closed by the pool'), graceMs?: number): void {
    this.connections.discard(connection, reason, graceMs);
  }

  /** During shutdown: ends the wait for queries in flight once nothing is checked out. */
  private notifyIfDrained(): void {
    if (this.disposing !== undefined && this.connections.counts().checkedOut === 0) {
      this.onDrained?.();
    }
  }
}

function shuttingDown(): AppError {
  return new AppError('shutting_down', 'The database pool is shutting down');
}
