import { settledWithin, withDeadline, type Clock, type TimerHandle } from './pool-clock';
import { abortReason } from './pool-promises';
import { ResourceSet, type PooledResource, type ResourceCounts } from './pool-resources';
import { WaitingLine, type Waiter } from './pool-waiters';

/** What the pool tells a factory about the resource it asks for. */
export interface CreateRequest {
  readonly id: number;
  readonly overflow: boolean;
  /** Aborted when the create timeout passes or the pool shuts down: end what was started and reject. */
  readonly signal: AbortSignal;
}

/**
 * How resources are made, ended and checked (generic-pool's factory). The pool knows nothing
 * else of them: the reader pool's factory starts worker threads, a test's makes plain objects.
 */
export interface ResourceFactory<R> {
  create(request: CreateRequest): Promise<R>;
  /** Ends a resource; `graceMs` 0 means at once. Must settle. */
  destroy(resource: R, reason: Error, graceMs: number | undefined): Promise<void>;
  /** Resolves false or rejects when the resource is broken (the pre-ping). */
  validate(resource: R): Promise<boolean>;
}

/** The policy: the seed's DATABASE_* options, in milliseconds. */
export interface ResourcePoolPolicy {
  /** DATABASE_MAX_CONNECTIONS: resources kept, created lazily. */
  readonly size: number;
  /** DATABASE_MAX_OVERFLOW: extra resources created only while the pool is full. */
  readonly maxOverflow: number;
  /** DATABASE_POOL_TIMEOUT: how long a borrower waits. */
  readonly acquireTimeoutMs: number;
  /** How long `create` may take; never more than the acquire timeout. */
  readonly createTimeoutMs: number;
  /** DATABASE_POOL_RECYCLE: age after which an idle resource is replaced. */
  readonly recycleMs: number;
  /** DATABASE_POOL_IDLE_TIMEOUT: idle time after which a resource beyond `keepIdle` is closed. */
  readonly idleTimeoutMs: number;
  /** Idle resources kept warm however long they are idle. */
  readonly keepIdle: number;
  /** DATABASE_POOL_PRE_PING: validate a resource before handing it out... */
  readonly validateOnBorrow: boolean;
  /** ...when it has been idle at least this long (one just returned was proven by its last use). */
  readonly validateAfterIdleMs: number;
  readonly validateTimeoutMs: number;
  /** Most borrowers waiting at once; the next is refused at once. */
  readonly maxWaiting: number;
  /** SHUTDOWN_TIMEOUT: how long `dispose` waits for borrowed resources to come back. */
  readonly shutdownTimeoutMs: number;
  /** How long `dispose` then waits for the destroys (borrowed ones are destroyed with grace 0). */
  readonly destroyTimeoutMs: number;
  /** How often recycle and idle close run by themselves; 0: only when `maintain()` is called. */
  readonly maintenanceIntervalMs: number;
}

/** The errors borrowers see, worded by the pool's owner. */
export interface ResourcePoolErrors {
  /** The acquire timeout passed; built when it passes. */
  timeout(): Error;
  /** `maxWaiting` borrowers wait already. */
  full(): Error;
  shuttingDown(): Error;
  /** `create` failed: the oldest waiter fails with this rather than at its deadline. */
  createFailed(error: Error): Error;
  /** The reason a create past its timeout is aborted with. */
  createTimedOut(id: number, ms: number): Error;
  validateTimedOut(): Error;
  /** The reason a resource still borrowed when `dispose` gives up is destroyed with. */
  destroyedAtShutdown(): Error;
}

/** What happened, for the owner's log and counters; every hook is optional. */
export interface ResourcePoolEvents {
  created?(id: number): void;
  createFailed?(id: number, error: Error): void;
  createTimedOut?(id: number): void;
  validateFailed?(id: number, error: Error): void;
  timedOut?(label: string, error: Error): void;
  /** A periodic maintenance ran (the reader pool reports leaks here). */
  maintained?(now: number): void;
  /** How a timed maintenance ended: what it threw, or null when it ran through. The timer goes on either way. */
  maintenanceOutcome?(error: Error | null): void;
  /** `dispose` stopped waiting with resources still borrowed. */
  gaveUpWaiting?(borrowed: number): void;
  /** `dispose` stopped waiting for destroys that did not end. */
  destroysOverdue?(): void;
}

export interface ResourcePoolOptions<R> {
  readonly factory: ResourceFactory<R>;
  readonly policy: ResourcePoolPolicy;
  readonly clock: Clock;
  readonly errors: ResourcePoolErrors;
  readonly events?: ResourcePoolEvents;
}

/** A shutdown's own limits, when its owner has less time than the policy's timeouts. */
export interface DisposeBounds {
  /** How long to wait for borrowed resources to come back; the shutdown timeout by default. */
  readonly waitMs?: number;
  /** How long to wait for the destroys; the destroy timeout by default. */
  readonly destroyMs?: number;
}

/** Counters since the pool was created; they only grow. */
export interface ResourcePoolCounters {
  created: number;
  recycled: number;
  validateFailures: number;
  timeouts: number;
  /** Creates that failed or did not finish within the create timeout. */
  createFailures: number;
  /** Idle resources closed because work had ended (idle timeout) or on request. */
  idleClosed: number;
  /** Borrowers refused because `maxWaiting` were waiting. */
  refused: number;
}

/**
 * A generic pool in generic-pool's style, with SQLAlchemy's QueuePool policy from the seed:
 * a size created lazily, overflow while full, a bounded FIFO wait with a timeout, recycling
 * by age, validation (pre-ping) of a resource idle for a while, idle close beyond the warm
 * ones, and a shutdown bounded in time. It knows nothing of threads or SQLite; all time comes
 * from the injected clock.
 */
export class ResourcePool<R> {
  readonly counters: ResourcePoolCounters = { created: 0, recycled: 0, validateFailures: 0, timeouts: 0, createFailures: 0, idleClosed: 0, refused: 0 };
  private readonly resources = new ResourceSet<R>();
  private readonly line: WaitingLine<R>;
  private readonly policy: ResourcePoolPolicy;
  private readonly clock: Clock;
  private readonly events: ResourcePoolEvents;
  private nextId = 1;
  private maintenanceTimer: TimerHandle | undefined;
  private disposing: Promise<void> | undefined;
  private onDrained: (() => void) | undefined;

  constructor(private readonly options: ResourcePoolOptions<R>) {
    this.policy = options.policy;
    this.clock = options.clock;
    this.events = options.events ?? {};
    this.line = new WaitingLine<R>(this.clock, {
      timeoutError: () => options.errors.timeout(),
      onTimeout: (label, error) => {
        this.counters.timeouts++;
        this.events.timedOut?.(label, error);
      },
    });
    this.scheduleMaintenance();
  }

  get waiting(): number {
    return this.line.size;
  }

  get closing(): boolean {
    return this.disposing !== undefined;
  }

  counts(): ResourceCounts {
    return this.resources.counts();
  }

  /** Resources created and not being destroyed (idle or borrowed). */
  serving(): R[] {
    return this.resources.serving();
  }

  /**
   * Borrows a resource until `release()`. Waits, first come first served, up to the acquire
   * timeout; refused at once when `maxWaiting` wait already or the pool is shutting down.
   */
  acquire(label: string, signal?: AbortSignal): Promise<R> {
    if (this.disposing !== undefined) {
      return Promise.reject(this.options.errors.shuttingDown());
    }
    if (signal?.aborted) {
      return Promise.reject(abortReason(signal));
    }
    if (this.line.size >= this.policy.maxWaiting) {
      this.counters.refused++;
      return Promise.reject(this.options.errors.full());
    }
    const borrowed = this.line.join(label, this.policy.acquireTimeoutMs, signal);
    this.dispatch();
    return borrowed;
  }

  /** Gives a borrowed resource back; a broken one is destroyed and replaced on demand. */
  release(resource: R): void {
    const item = this.resources.find(resource);
    if (item !== undefined) {
      if (item.state !== 'borrowed' || item.broken) {
        this.destroy(item);
      } else {
        this.resources.makeIdle(item, this.clock.now());
      }
    }
    this.afterChange();
  }

  /** Destroys a resource now (e.g. a borrowed one that did not stop); a new one is created on demand. */
  destroyNow(resource: R, reason: Error, graceMs?: number): void {
    const item = this.resources.find(resource);
    if (item !== undefined) {
      this.destroy(item, reason, graceMs);
    }
    this.afterChange();
  }

  /** The resource broke by itself (a thread that exited): destroyed now if idle, on release if borrowed. */
  invalidate(resource: R): void {
    const item = this.resources.find(resource);
    if (item === undefined) {
      return;
    }
    if (item.state === 'idle') {
      this.destroy(item);
      this.afterChange();
    } else {
      item.broken = true;
    }
  }

  /**
   * Closes idle resources beyond the ones kept warm that have been idle since `idleBefore` or
   * earlier (Infinity: all of them); returns how many.
   */
  closeIdle(idleBefore: number): number {
    const idle = this.resources.idleBeyond(this.policy.keepIdle, idleBefore);
    for (const item of idle) {
      this.counters.idleClosed++;
      this.destroy(item);
    }
    return idle.length;
  }

  /**
   * The periodic checks, run by the maintenance timer and callable by tests: replaces idle
   * resources past their age (keeping one warm) and closes those idle past the idle timeout.
   */
  maintain(): void {
    if (this.disposing !== undefined) {
      return;
    }
    const now = this.clock.now();
    this.events.maintained?.(now);
    const expired = this.resources.idleWhere((item) => this.isExpired(item, now));
    for (const item of expired) {
      this.counters.recycled++;
      this.destroy(item);
    }
    if (expired.length > 0 && this.resources.size === 0 && this.policy.keepIdle > 0) {
      this.create(false);
    }
    this.closeIdle(now - this.policy.idleTimeoutMs);
  }

  /** Settles when every destroy begun so far has ended. */
  destroyed(): Promise<void> {
    return this.resources.destroyed();
  }

  /**
   * Stops lending, fails the waiters, waits for borrowed resources to come back (at most the
   * shutdown timeout), destroys everything (borrowed ones at once) and waits for that at most
   * the destroy timeout: it settles within both timeouts whatever the resources do.
   */
  dispose(bounds: DisposeBounds = {}): Promise<void> {
    this.disposing ??= this.shutdown(bounds.waitMs ?? this.policy.shutdownTimeoutMs, bounds.destroyMs ?? this.policy.destroyTimeoutMs);
    return this.disposing;
  }

  private async shutdown(waitMs: number, destroyMs: number): Promise<void> {
    this.clock.clearTimeout(this.maintenanceTimer);
    this.line.failAll(this.options.errors.shuttingDown());
    if (this.resources.counts().checkedOut > 0) {
      await new Promise<void>((resolve) => {
        const timer = this.clock.setTimeout(resolve, waitMs);
        this.onDrained = () => {
          this.clock.clearTimeout(timer);
          resolve();
        };
      });
    }
    const stillOut = this.resources.counts().checkedOut;
    if (stillOut > 0) {
      this.events.gaveUpWaiting?.(stillOut);
    }
    for (const item of this.resources.items()) {
      const busy = item.state === 'borrowed' || item.state === 'validating';
      this.destroy(item, this.options.errors.destroyedAtShutdown(), busy ? 0 : undefined);
    }
    if (!(await settledWithin(this.clock, this.resources.destroyed(), destroyMs))) {
      this.events.destroysOverdue?.();
    }
  }

  private scheduleMaintenance(): void {
    if (this.policy.maintenanceIntervalMs <= 0 || this.disposing !== undefined) {
      return;
    }
    this.maintenanceTimer = this.clock.setTimeout(() => {
      // A throw here would end the process (nothing is above a timer) and the maintenance with it.
      try {
        this.maintain();
        this.events.maintenanceOutcome?.(null);
      } catch (error) {
        this.events.maintenanceOutcome?.(error instanceof Error ? error : new Error(String(error)));
      } finally {
        this.scheduleMaintenance();
      }
    }, this.policy.maintenanceIntervalMs);
  }

  private isExpired(item: PooledResource<R>, now: number): boolean {
    return now - item.createdAt >= this.policy.recycleMs;
  }

  /** After a resource came back or went: serve the next waiter, or tell shutdown it is drained. */
  private afterChange(): void {
    if (this.disposing !== undefined) {
      if (this.resources.counts().checkedOut === 0) {
        this.onDrained?.();
      }
      return;
    }
    this.dispatch();
  }

  /** Hands idle resources to waiters in order, then creates resources for the rest. */
  private dispatch(): void {
    if (this.disposing !== undefined) {
      return;
    }
    const now = this.clock.now();
    while (this.line.size > 0) {
      const item = this.resources.takeIdle();
      if (item === undefined) {
        break;
      }
      if (this.isExpired(item, now)) {
        this.counters.recycled++;
        this.destroy(item);
        continue;
      }
      const waiter = this.line.next();
      if (waiter !== undefined) {
        void this.handOut(item, waiter);
      }
    }
    this.grow();
    // Overflow exists only while the pool is full: closed as soon as nobody waits for it.
    for (const item of this.resources.idleWhere((candidate) => candidate.overflow)) {
      this.destroy(item);
    }
  }

  /** Creates one resource per waiter not already covered by one being created. */
  private grow(): void {
    const counts = this.resources.counts();
    let { pooled, overflow } = counts;
    for (let demand = this.line.size - counts.opening; demand > 0; demand--) {
      if (pooled < this.policy.size) {
        pooled++;
        this.create(false);
      } else if (overflow < this.policy.maxOverflow) {
        overflow++;
        this.create(true);
      } else {
        return;
      }
    }
  }

  private create(overflow: boolean): void {
    const id = this.nextId++;
    const item: PooledResource<R> = {
      id,
      overflow,
      createdAt: this.clock.now(),
      state: 'creating',
      resource: undefined,
      idleSince: 0,
      fresh: true,
      broken: false,
      creating: new AbortController(),
    };
    this.resources.add(item);
    const timeoutMs = Math.min(this.policy.createTimeoutMs, this.policy.acquireTimeoutMs);
    const timer = this.clock.setTimeout(() => {
      if (item.state !== 'creating' || this.disposing !== undefined) {
        return;
      }
      this.counters.createFailures++;
      this.events.createTimedOut?.(id);
      this.destroy(item, this.options.errors.createTimedOut(id, timeoutMs));
      // No waiter is failed: each keeps its own deadline, and a replacement is created for them in order.
      this.dispatch();
    }, timeoutMs);
    let created: Promise<R>;
    try {
      created = this.options.factory.create({ id, overflow, signal: item.creating.signal });
    } catch (error) {
      created = Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    created.then(
      (resource) => {
        this.clock.clearTimeout(timer);
        if (item.state !== 'creating') {
          // Given up meanwhile (timeout, shutdown): end what arrived late.
          void this.options.factory.destroy(resource, new Error(`Resource ${id} was given up before it was ready`), 0).catch(() => {});
          return;
        }
        this.counters.created++;
        this.resources.created(item, resource);
        this.events.created?.(id);
        this.resources.makeIdle(item, this.clock.now());
        this.dispatch();
      },
      (error: unknown) => {
        this.clock.clearTimeout(timer);
        if (item.state !== 'creating' || this.disposing !== undefined) {
          return;
        }
        const failure = error instanceof Error ? error : new Error(String(error));
        this.counters.createFailures++;
        this.destroy(item);
        this.events.createFailed?.(id, failure);
        // A resource that cannot be created fails the oldest waiter now rather than at its deadline.
        this.line.next()?.fail(this.options.errors.createFailed(failure));
        this.dispatch();
      },
    );
  }

  /** Validates a resource when the policy asks for it, then lends it to the waiter, or replaces it. */
  private async handOut(item: PooledResource<R>, waiter: Waiter<R>): Promise<void> {
    const resource = item.resource as R;
    const idleMs = this.clock.now() - item.idleSince;
    const validate = this.policy.validateOnBorrow && !item.fresh && idleMs >= this.policy.validateAfterIdleMs;
    item.fresh = false;
    item.state = validate ? 'validating' : 'borrowed';
    if (validate) {
      let valid: boolean;
      let failure: Error | undefined;
      try {
        valid = await withDeadline(this.clock, this.options.factory.validate(resource), this.policy.validateTimeoutMs, () => this.options.errors.validateTimedOut());
      } catch (error) {
        valid = false;
        failure = error instanceof Error ? error : new Error(String(error));
      }
      if (!valid || item.state !== 'validating') {
        this.counters.validateFailures++;
        this.events.validateFailed?.(item.id, failure ?? new Error('validation failed'));
        this.destroy(item);
        if (waiter.cancelled !== undefined || this.disposing !== undefined) {
          waiter.fail(waiter.cancelled ?? this.options.errors.shuttingDown());
          this.afterChange();
        } else {
          this.line.putBack(waiter);
          this.dispatch();
        }
        return;
      }
      item.state = 'borrowed';
    }
    // A shutdown that began during validation still serves this waiter: its resource was
    // assigned before, so it counts as borrowed and shutdown waits for it.
    if (waiter.cancelled !== undefined) {
      waiter.fail(waiter.cancelled);
      this.release(resource);
      return;
    }
    waiter.serve(resource);
  }

  private destroy(item: PooledResource<R>, reason = new Error('Closed by the pool'), graceMs?: number): void {
    const resource = item.resource;
    if (resource === undefined) {
      item.creating.abort(reason);
    }
    this.resources.remove(item, resource === undefined ? undefined : () => this.options.factory.destroy(resource, reason, graceMs));
  }
}
