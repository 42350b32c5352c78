import type { PoolStatus } from '../../../shared/health';
import type { AlertEvent, WorkerMemory } from '../../../shared/types';
import { AppError } from '../errors';
import { interval, type Disposable } from '../lifecycle';
import type { Logger } from '../log/logger';
import type { WorkerLocator } from '../workers';
import { poolConfigFrom, type PoolConfig, type PoolSettings } from './pool-config';
import { Lease } from './pool-lease';
import { DurationWindow, type PoolCounters } from './pool-stats';
import { ReaderConnection } from './reader-connection';
import type { OpArgs, OpResult, OpTable, ReaderOps } from './reader-ops';
import { WaiterQueue } from './waiter-queue';

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
  /** SQLite busy timeout of each reader; 5 s by default. */
  readonly busyTimeoutMs?: number;
  /** Tests and benchmarks only: modules whose exported `ops` every reader also serves. */
  readonly extraOpsModules?: readonly string[];
}

export interface RunOptions {
  readonly signal?: AbortSignal;
  /** Who is asking, for the leak and slow-query logs; the op name by default. */
  readonly label?: string;
}

interface Waiter {
  readonly label: string;
  readonly enqueuedAt: number;
  readonly resolve: (connection: ReaderConnection) => void;
  readonly reject: (error: Error) => void;
  state: 'queued' | 'validating' | 'done';
  /** Set when the deadline passes or the caller aborts while the connection is validated. */
  cancelled: Error | undefined;
  timer: NodeJS.Timeout | undefined;
  detach: () => void;
}

interface Checkout {
  readonly label: string;
  readonly since: number;
  leakReported: boolean;
}

const usageWarningRatio = 0.9;
const pingTimeoutMs = 5000;

/**
 * The pool of read connections. better-sqlite3 is synchronous, so each connection is a
 * worker thread holding one read-only connection (Signal-Desktop's readers); all writes go
 * through the indexer's single writer, and WAL lets both run at once. Checkout follows the
 * seed's SQLAlchemy semantics: a fixed size opened lazily, overflow while full, a FIFO wait
 * bounded by a timeout, recycling by age and a pre-ping before each hand-out.
 */
export class ReaderPool<Ops extends OpTable = ReaderOps> implements Disposable {
  private readonly config: PoolConfig;
  private readonly now: () => number;
  private readonly connections = new Set<ReaderConnection>();
  /** Most recently returned last: handing out the warmest connection lets the others age out. */
  private readonly idle: ReaderConnection[] = [];
  /** Opened and not yet used, so already proven to work: no pre-ping needed. */
  private readonly fresh = new WeakSet<ReaderConnection>();
  private readonly checkouts = new Map<ReaderConnection, Checkout>();
  private readonly waiters = new WaiterQueue<Waiter>();
  private readonly closing = new Set<Promise<void>>();
  private readonly counters: PoolCounters = { created: 0, recycled: 0, prePingFailures: 0, timeouts: 0 };
  private readonly waits = new DurationWindow();
  private readonly maintenance: Disposable;
  private nextId = 1;
  private lastWarningAt: number | undefined;
  private disposing: Promise<void> | undefined;
  private onDrained: (() => void) | undefined;

  constructor(private readonly options: ReaderPoolOptions) {
    this.config = poolConfigFrom(options.settings);
    this.now = options.now ?? Date.now;
    const periodMs = Math.min(30_000, Math.max(250, Math.min(this.config.leakTimeoutMs, this.config.recycleMs) / 4));
    this.maintenance = interval(() => this.maintain(), periodMs);
  }

  /** Runs one named read op on a pooled connection and returns it to the pool. */
  async run<K extends keyof Ops & string>(op: K, args: OpArgs<Ops[K]>, options: RunOptions = {}): Promise<OpResult<Ops[K]>> {
    const lease = await this.acquire(options.label ?? op, options.signal);
    try {
      return await withAbort(lease.run(op, args), options.signal);
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
      return Promise.reject(new AppError('shutting_down', 'The database pool is shutting down'));
    }
    if (signal?.aborted) {
      return Promise.reject(abortReason(signal));
    }
    return new Promise<ReaderConnection>((resolve, reject) => {
      const waiter: Waiter = { label, enqueuedAt: performance.now(), resolve, reject, state: 'queued', cancelled: undefined, timer: undefined, detach: () => {} };
      waiter.timer = setTimeout(() => this.cancelWaiter(waiter, this.timeoutError()), this.config.timeoutMs);
      if (signal !== undefined) {
        const onAbort = (): void => this.cancelWaiter(waiter, abortReason(signal));
        signal.addEventListener('abort', onAbort, { once: true });
        waiter.detach = () => signal.removeEventListener('abort', onAbort);
      }
      this.waiters.push(waiter);
      this.dispatch();
    }).then((connection) => new Lease<Ops>(connection, label, this.config.slowQueryMs, this.options.logger, () => this.release(connection)));
  }

  /** The live figures of the health report's database_pool section and the stats event. */
  status(): PoolStatus {
    let checkedOut = 0;
    let overflow = 0;
    for (const connection of this.connections) {
      if (connection.state === 'checked_out') {
        checkedOut++;
      }
      if (connection.overflow) {
        overflow++;
      }
    }
    return {
      size: this.connections.size,
      checked_out: checkedOut,
      overflow,
      idle: this.idle.length,
      waiting: this.waiters.size,
      max_connections: this.config.maxConnections,
      max_overflow: this.config.maxOverflow,
      timeout_s: this.config.timeoutMs / 1000,
      recycle_s: this.config.recycleMs / 1000,
      pre_ping: this.config.prePing,
      created: this.counters.created,
      recycled: this.counters.recycled,
      pre_ping_failures: this.counters.prePingFailures,
      timeouts: this.counters.timeouts,
      acquire_wait_p50_ms: round(this.waits.percentile(50)),
      acquire_wait_p95_ms: round(this.waits.percentile(95)),
    };
  }

  /** Heaps of the reader threads, as last reported with their replies. */
  workerMemory(): WorkerMemory[] {
    return [...this.connections]
      .filter((connection) => connection.state === 'idle' || connection.state === 'checked_out')
      .map((connection) => ({ threadId: connection.threadId, name: `reader-worker ${connection.id}`, ...connection.heap }));
  }

  /**
   * Empties the search cache of every open reader (on memory pressure). A busy reader does
   * it right after its current query; nothing is checked out for it.
   */
  async clearCaches(): Promise<void> {
    const open = [...this.connections].filter((connection) => connection.state === 'idle' || connection.state === 'checked_out');
    await Promise.allSettled(open.map((connection) => connection.call('clearSearchCache', undefined)));
  }

  /**
   * The periodic checks, run by a timer and callable by tests: reports probable leaks and
   * replaces idle connections past their age. An idle app keeps one warm connection.
   */
  maintain(): void {
    if (this.disposing !== undefined) {
      return;
    }
    const now = this.now();
    for (const [connection, checkout] of this.checkouts) {
      const heldMs = now - checkout.since;
      if (!checkout.leakReported && heldMs >= this.config.leakTimeoutMs) {
        checkout.leakReported = true;
        this.options.logger.warn(`Probable connection leak: connection ${connection.id} checked out for ${(heldMs / 1000).toFixed(1)} s by "${checkout.label}"`, {
          connection: connection.id,
          label: checkout.label,
          held_ms: Math.round(heldMs),
        });
      }
    }
    const expired = this.idle.filter((connection) => this.isExpired(connection, now));
    for (const connection of expired) {
      this.counters.recycled++;
      this.discard(connection);
    }
    if (expired.length > 0 && this.connections.size === 0) {
      this.open(false);
    }
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
    for (const waiter of this.waiters.drain()) {
      this.settle(waiter, new AppError('shutting_down', 'The database pool is shutting down'));
    }
    if (this.checkedOutCount() > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.config.shutdownTimeoutMs);
        this.onDrained = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    const stillOut = this.checkedOutCount();
    if (stillOut > 0) {
      this.options.logger.warn(`Closing the reader pool with ${stillOut} connection(s) still checked out`, { checked_out: stillOut });
    }
    const reason = new AppError('shutting_down', 'The database pool shut down before the query finished');
    const closed = this.connections.size;
    for (const connection of [...this.connections]) {
      // A connection still busy after the bounded wait is stopped at once, not asked politely.
      this.discard(connection, reason, connection.state === 'checked_out' ? 0 : undefined);
    }
    this.idle.length = 0;
    while (this.closing.size > 0) {
      await Promise.all(this.closing);
    }
    this.options.logger.info('Reader pool closed', { connections: closed, created: this.counters.created });
  }

  /** Hands idle connections to waiters in order, then opens connections for the rest. */
  private dispatch(): void {
    if (this.disposing !== undefined) {
      return;
    }
    const now = this.now();
    while (this.waiters.size > 0) {
      const connection = this.idle.pop();
      if (connection === undefined) {
        break;
      }
      if (this.isExpired(connection, now)) {
        this.counters.recycled++;
        this.discard(connection);
        continue;
      }
      const waiter = this.waiters.shift();
      if (waiter !== undefined) {
        void this.handOut(connection, waiter);
      }
    }
    this.grow();
    // Overflow exists only while the pool is full: closed as soon as nobody waits for it.
    for (const connection of this.idle.filter((candidate) => candidate.overflow)) {
      this.discard(connection);
    }
  }

  private grow(): void {
    let opening = 0;
    let pooled = 0;
    let overflow = 0;
    for (const connection of this.connections) {
      if (connection.state === 'opening') {
        opening++;
      }
      if (connection.overflow) {
        overflow++;
      } else {
        pooled++;
      }
    }
    for (let demand = this.waiters.size - opening; demand > 0; demand--) {
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
    const connection = new ReaderConnection({
      id: this.nextId++,
      overflow,
      entry: this.options.workers('reader-worker'),
      data: { dbPath: this.options.dbPath, busyTimeoutMs: this.options.busyTimeoutMs ?? 5000, extraOpsModules: this.options.extraOpsModules ?? [] },
      createdAt: this.now(),
      onUnexpectedExit: (stopped, code) => this.onUnexpectedExit(stopped, code),
    });
    this.connections.add(connection);
    connection.ready.then(
      () => {
        if (connection.state !== 'opening') {
          return;
        }
        this.counters.created++;
        connection.state = 'idle';
        this.fresh.add(connection);
        this.idle.push(connection);
        this.dispatch();
      },
      (error: Error) => {
        if (this.disposing !== undefined) {
          return;
        }
        this.discard(connection);
        this.options.logger.error(`Cannot open a reader connection: ${error.message}`, { path: this.options.dbPath });
        const waiter = this.waiters.shift();
        if (waiter !== undefined) {
          this.settle(waiter, new AppError('database_error', `Cannot open the database ${this.options.dbPath}: ${error.message}`));
        }
      },
    );
  }

  /** Validates a connection (pre-ping) and gives it to the waiter, or replaces it. */
  private async handOut(connection: ReaderConnection, waiter: Waiter): Promise<void> {
    connection.state = 'checked_out';
    waiter.state = 'validating';
    if (this.config.prePing && !this.fresh.has(connection)) {
      try {
        await withTimeout(connection.call('ping', undefined), pingTimeoutMs, 'The pre-ping timed out');
      } catch (error) {
        this.counters.prePingFailures++;
        this.options.logger.warn(`Pre-ping failed, reader connection ${connection.id} discarded and replaced: ${(error as Error).message}`, {
          connection: connection.id,
        });
        this.discard(connection);
        if (waiter.cancelled !== undefined || this.disposing !== undefined) {
          this.settle(waiter, waiter.cancelled ?? new AppError('shutting_down', 'The database pool is shutting down'));
        } else {
          waiter.state = 'queued';
          this.waiters.unshift(waiter);
          this.dispatch();
        }
        return;
      }
    }
    this.fresh.delete(connection);
    // A shutdown that began during the pre-ping still serves this waiter: its connection was
    // assigned before, so it counts as in flight and shutdown waits for it.
    if (waiter.cancelled !== undefined) {
      this.settle(waiter, waiter.cancelled);
      this.release(connection);
      return;
    }
    this.waits.add(performance.now() - waiter.enqueuedAt);
    this.checkouts.set(connection, { label: waiter.label, since: this.now(), leakReported: false });
    this.settle(waiter);
    waiter.resolve(connection);
    this.warnOnHighUsage();
  }

  private release(connection: ReaderConnection): void {
    this.checkouts.delete(connection);
    if (connection.state !== 'checked_out' || !connection.alive) {
      this.discard(connection);
    } else {
      connection.state = 'idle';
      this.idle.push(connection);
    }
    if (this.disposing !== undefined) {
      if (this.checkedOutCount() === 0) {
        this.onDrained?.();
      }
      return;
    }
    this.dispatch();
  }

  /** Removes a connection from the pool and closes its thread in the background. */
  private discard(connection: ReaderConnection, reason = new Error('Reader connection closed by the pool'), graceMs?: number): void {
    if (!this.connections.delete(connection)) {
      return;
    }
    const index = this.idle.indexOf(connection);
    if (index >= 0) {
      this.idle.splice(index, 1);
    }
    const closed = connection.close(reason, graceMs).catch(() => {});
    this.closing.add(closed);
    void closed.then(() => this.closing.delete(closed));
  }

  private onUnexpectedExit(connection: ReaderConnection, code: number): void {
    this.options.logger.warn(`Reader connection ${connection.id} stopped unexpectedly (exit code ${code})`, { connection: connection.id, code });
    if (!this.checkouts.has(connection) && connection.state !== 'opening') {
      this.discard(connection);
      this.dispatch();
    }
  }

  /** A waiter's deadline passed or its caller aborted. */
  private cancelWaiter(waiter: Waiter, error: Error): void {
    if (waiter.state === 'queued') {
      this.waiters.remove(waiter);
      if (error instanceof AppError && error.code === 'pool_timeout') {
        this.counters.timeouts++;
        this.options.logger.warn(error.message, { label: waiter.label });
      }
      this.settle(waiter, error);
    } else if (waiter.state === 'validating') {
      waiter.cancelled = error;
    }
  }

  /** Ends a waiter's wait: clears its timer and abort listener, and rejects it if asked. */
  private settle(waiter: Waiter, error?: Error): void {
    clearTimeout(waiter.timer);
    waiter.detach();
    waiter.state = 'done';
    if (error !== undefined) {
      waiter.reject(error);
    }
  }

  private timeoutError(): AppError {
    const status = this.status();
    return new AppError(
      'pool_timeout',
      `Timed out after ${status.timeout_s} s waiting for a database connection: ` +
        `${status.checked_out} checked out (${status.size - status.overflow}/${status.max_connections} pooled, ` +
        `${status.overflow}/${status.max_overflow} overflow), ${status.waiting} waiting. ` +
        'Look for slow queries or leaked connections, or raise DATABASE_MAX_CONNECTIONS or DATABASE_POOL_TIMEOUT.',
    );
  }

  /** The seed's warning at 90% usage, at most once per DATABASE_POOL_WARN_INTERVAL. */
  private warnOnHighUsage(): void {
    const checkedOut = this.checkedOutCount();
    const ratio = checkedOut / this.config.maxConnections;
    const now = this.now();
    if (ratio < usageWarningRatio || (this.lastWarningAt !== undefined && now - this.lastWarningAt < this.config.warnIntervalMs)) {
      return;
    }
    this.lastWarningAt = now;
    const percent = ratio * 100;
    const message = `High connection usage detected: ${checkedOut}/${this.config.maxConnections} connections checked out (${percent.toFixed(1)}%)`;
    this.options.logger.warn(message, { checked_out: checkedOut, max_connections: this.config.maxConnections });
    this.options.onAlert?.({ time: now, kind: 'pool_usage', message, value: percent });
  }

  private isExpired(connection: ReaderConnection, now: number): boolean {
    return now - connection.createdAt >= this.config.recycleMs;
  }

  private checkedOutCount(): number {
    let count = 0;
    for (const connection of this.connections) {
      if (connection.state === 'checked_out') {
        count++;
      }
    }
    return count;
  }
}

function abortReason(signal: AbortSignal): Error {
  if (signal.reason instanceof Error) {
    return signal.reason;
  }
  const error = new Error('Cancelled');
  error.name = 'AbortError';
  return error;
}

/** Rejects as soon as the signal aborts; the query itself runs to its end in its thread. */
function withAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) {
    return promise;
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
