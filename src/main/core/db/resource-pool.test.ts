/**
 * The pool's policy with fake resources and a manual clock: no thread, no SQLite and no real
 * waiting, so every case passes however loaded the machine is. The reader factory (threads)
 * is covered by the pool-*.test.ts integration tests.
 */
import { describe, expect, it } from 'vitest';
import { ManualTimers, settle } from './pool-test-clock';
import { ResourcePool, type CreateRequest, type ResourceFactory, type ResourcePoolPolicy } from './resource-pool';

interface Fake {
  readonly id: number;
  broken: boolean;
  destroyed: string | undefined;
}

/** A factory of plain objects; each create answers at once unless told to hang or fail. */
class FakeFactory implements ResourceFactory<Fake> {
  readonly made: Fake[] = [];
  readonly validated: number[] = [];
  /** What the next creates do, in order; 'ok' once the list is empty. */
  readonly plan: ('ok' | 'fail' | 'hang')[] = [];
  /** Destroys that never end (a thread that does not exit). */
  stuckDestroys = false;
  readonly aborted: number[] = [];

  create(request: CreateRequest): Promise<Fake> {
    const step = this.plan.shift() ?? 'ok';
    if (step === 'fail') {
      return Promise.reject(new Error('cannot open'));
    }
    if (step === 'hang') {
      return new Promise<Fake>((_resolve, reject) => {
        request.signal.addEventListener('abort', () => {
          this.aborted.push(request.id);
          reject(request.signal.reason as Error);
        });
      });
    }
    const fake: Fake = { id: request.id, broken: false, destroyed: undefined };
    this.made.push(fake);
    return Promise.resolve(fake);
  }

  destroy(resource: Fake, reason: Error, graceMs: number | undefined): Promise<void> {
    resource.destroyed = `${reason.message}${graceMs === 0 ? ' (at once)' : ''}`;
    return this.stuckDestroys ? new Promise<void>(() => {}) : Promise.resolve();
  }

  validate(resource: Fake): Promise<boolean> {
    this.validated.push(resource.id);
    return resource.broken ? Promise.reject(new Error('broken')) : Promise.resolve(true);
  }

  live(): number[] {
    return this.made.filter((fake) => fake.destroyed === undefined).map((fake) => fake.id);
  }
}

const policy: ResourcePoolPolicy = {
  size: 2,
  maxOverflow: 1,
  acquireTimeoutMs: 30_000,
  createTimeoutMs: 10_000,
  recycleMs: 3_600_000,
  idleTimeoutMs: 30_000,
  keepIdle: 1,
  validateOnBorrow: true,
  validateAfterIdleMs: 5_000,
  validateTimeoutMs: 5_000,
  maxWaiting: 3,
  shutdownTimeoutMs: 30_000,
  destroyTimeoutMs: 2_000,
  maintenanceIntervalMs: 0,
};

function setUp(overrides: Partial<ResourcePoolPolicy> = {}): { pool: ResourcePool<Fake>; factory: FakeFactory; clock: ManualTimers; events: string[] } {
  const clock = new ManualTimers();
  const factory = new FakeFactory();
  const events: string[] = [];
  const pool = new ResourcePool<Fake>({
    factory,
    clock,
    policy: { ...policy, ...overrides },
    errors: {
      timeout: () => new Error('timed out'),
      full: () => new Error('too many waiting'),
      shuttingDown: () => new Error('shutting down'),
      createFailed: (error) => new Error(`create failed: ${error.message}`),
      createTimedOut: (id, ms) => new Error(`resource ${id} not ready within ${ms} ms`),
      validateTimedOut: () => new Error('validate timed out'),
      destroyedAtShutdown: () => new Error('destroyed at shutdown'),
    },
    events: {
      created: (id) => events.push(`created ${id}`),
      createFailed: (id, error) => events.push(`create ${id} failed: ${error.message}`),
      createTimedOut: (id) => events.push(`create ${id} timed out`),
      validateFailed: (id, error) => events.push(`validate ${id} failed: ${error.message}`),
      timedOut: (label) => events.push(`${label} timed out`),
      gaveUpWaiting: (borrowed) => events.push(`gave up waiting for ${borrowed}`),
      destroysOverdue: () => events.push('destroys overdue'),
    },
  });
  return { pool, factory, clock, events };
}

describe('ResourcePool', () => {
  it('creates lazily: nothing before the first borrow, one after it, reused when returned', async () => {
    const { pool, factory } = setUp();
    expect(pool.counts()).toMatchObject({ size: 0 });
    const first = await pool.acquire('a');
    pool.release(first);
    const again = await pool.acquire('b');
    expect(again).toBe(first);
    expect(factory.made).toHaveLength(1);
    expect(pool.counts()).toMatchObject({ size: 1, checkedOut: 1, idle: 0 });
  });

  it('fails a borrower that waits past the acquire timeout, and not one millisecond earlier', async () => {
    const { pool, clock, events } = setUp({ size: 1, maxOverflow: 0 });
    await pool.acquire('holder');
    let outcome: unknown;
    void pool.acquire('waiter').then(
      () => (outcome = 'served'),
      (error: Error) => (outcome = error.message),
    );
    await clock.advance(29_999);
    expect(outcome).toBeUndefined();
    await clock.advance(1);
    expect(outcome).toBe('timed out');
    expect(events).toContain('waiter timed out');
    expect(pool.counters.timeouts).toBe(1);
    expect(pool.waiting).toBe(0);
  });

  it('opens overflow only while full, up to max overflow, and closes it as soon as it is returned', async () => {
    const { pool, factory } = setUp({ size: 2, maxOverflow: 1 });
    const held = [await pool.acquire('1'), await pool.acquire('2'), await pool.acquire('3')];
    expect(pool.counts()).toMatchObject({ size: 3, pooled: 2, overflow: 1, checkedOut: 3 });
    const fourth = pool.acquire('4');
    await settle();
    expect(pool.counts()).toMatchObject({ size: 3 });
    expect(pool.waiting).toBe(1);
    pool.release(held[2]!);
    // The overflow resource goes straight to the waiter.
    expect(await fourth).toBe(held[2]);
    pool.release(held[2]!);
    expect(held[2]!.destroyed).toBe('Closed by the pool');
    expect(pool.counts()).toMatchObject({ size: 2, overflow: 0 });
    expect(factory.made).toHaveLength(3);
  });

  it('serves waiters first come, first served, and a newcomer cannot jump the line', async () => {
    const { pool } = setUp({ size: 1, maxOverflow: 0 });
    const holder = await pool.acquire('holder');
    const order: string[] = [];
    const served = ['w1', 'w2', 'w3'].map((label) =>
      pool.acquire(label).then((resource) => {
        order.push(label);
        pool.release(resource);
      }),
    );
    pool.release(holder);
    await Promise.all(served);
    expect(order).toEqual(['w1', 'w2', 'w3']);
  });

  it('bounds the waiting line: the borrower past maxWaiting is refused at once', async () => {
    const { pool } = setUp({ size: 1, maxOverflow: 0, maxWaiting: 2 });
    await pool.acquire('holder');
    const waiting = [pool.acquire('w1'), pool.acquire('w2')];
    await expect(pool.acquire('w3')).rejects.toThrow('too many waiting');
    expect(pool.waiting).toBe(2);
    expect(pool.counters.refused).toBe(1);
    void pool.dispose();
    await Promise.allSettled(waiting);
  });

  it('drops a waiter whose caller aborts; the next one gets the resource', async () => {
    const { pool } = setUp({ size: 1, maxOverflow: 0 });
    const holder = await pool.acquire('holder');
    const controller = new AbortController();
    const aborted = pool.acquire('aborted', controller.signal);
    const next = pool.acquire('next');
    controller.abort(new Error('user cancelled'));
    await expect(aborted).rejects.toThrow('user cancelled');
    pool.release(holder);
    expect(await next).toBe(holder);
  });

  it('validates (pre-ping) only a resource idle at least validateAfterIdleMs', async () => {
    const { pool, factory, clock } = setUp({ size: 1, maxOverflow: 0 });
    const resource = await pool.acquire('a');
    pool.release(resource);
    await clock.advance(4_999);
    pool.release(await pool.acquire('b'));
    expect(factory.validated).toEqual([]);
    await clock.advance(5_000);
    pool.release(await pool.acquire('c'));
    expect(factory.validated).toEqual([1]);
  });

  it('replaces a resource that fails validation; the borrower keeps its turn and is served by a new one', async () => {
    const { pool, factory, clock, events } = setUp({ size: 1, maxOverflow: 0 });
    const broken = await pool.acquire('a');
    pool.release(broken);
    broken.broken = true;
    await clock.advance(5_000);
    const served = await pool.acquire('b');
    expect(served).not.toBe(broken);
    expect(broken.destroyed).toBe('Closed by the pool');
    expect(events).toContain('validate 1 failed: broken');
    expect(pool.counters.validateFailures).toBe(1);
    expect(factory.live()).toEqual([2]);
  });

  it('never validates when validateOnBorrow is off', async () => {
    const { pool, factory, clock } = setUp({ validateOnBorrow: false });
    pool.release(await pool.acquire('a'));
    await clock.advance(60_000);
    pool.release(await pool.acquire('b'));
    expect(factory.validated).toEqual([]);
  });

  it('recycles a resource older than recycleMs when it is next handed out, never while borrowed', async () => {
    const { pool, clock } = setUp({ size: 1, maxOverflow: 0, validateOnBorrow: false });
    const old = await pool.acquire('a');
    await clock.advance(3_600_000);
    pool.maintain();
    expect(old.destroyed).toBeUndefined();
    pool.release(old);
    const fresh = await pool.acquire('b');
    expect(fresh).not.toBe(old);
    expect(old.destroyed).toBe('Closed by the pool');
    expect(pool.counters.recycled).toBe(1);
  });

  it('recycles aged idle resources in maintenance and keeps one warm', async () => {
    const { pool, clock, factory } = setUp({ size: 3, validateOnBorrow: false });
    const held = [await pool.acquire('1'), await pool.acquire('2'), await pool.acquire('3')];
    held.forEach((resource) => pool.release(resource));
    await clock.advance(3_600_000);
    pool.maintain();
    await settle();
    expect(pool.counters.recycled).toBe(3);
    expect(factory.live()).toEqual([4]);
    expect(pool.counts()).toMatchObject({ size: 1, idle: 1 });
  });

  it('closes idle resources beyond keepIdle after idleTimeoutMs, counted from their last return', async () => {
    const { pool, clock, factory } = setUp({ size: 3, maxOverflow: 0, validateOnBorrow: false, maintenanceIntervalMs: 1_000 });
    const held = [await pool.acquire('1'), await pool.acquire('2'), await pool.acquire('3')];
    pool.release(held[0]!);
    pool.release(held[1]!);
    await clock.advance(29_000);
    expect(pool.counts()).toMatchObject({ size: 3 });
    pool.release(held[2]!);
    // The periodic maintenance (every second on the clock) closes the two idle for 30 s; the last returned stays.
    await clock.advance(999);
    expect(factory.live()).toEqual([1, 2, 3]);
    await clock.advance(1);
    expect(factory.live()).toEqual([3]);
    // The warm one is kept however long it stays idle.
    await clock.advance(3_000_000);
    expect(factory.live()).toEqual([3]);
    expect(pool.counters.idleClosed).toBe(2);
    expect(pool.closeIdle(Infinity)).toBe(0);
  });

  it('fails the oldest waiter at once when create fails, and serves the next with a new resource', async () => {
    const { pool, factory, events } = setUp({ size: 1, maxOverflow: 0 });
    factory.plan.push('fail');
    const first = pool.acquire('first');
    await expect(first).rejects.toThrow('create failed: cannot open');
    expect(events).toEqual(['create 1 failed: cannot open']);
    const second = await pool.acquire('second');
    expect(second.id).toBe(2);
    expect(pool.counters.createFailures).toBe(1);
  });

  it('aborts a create past createTimeoutMs and serves the waiter with a replacement', async () => {
    const { pool, factory, clock, events } = setUp({ size: 1, maxOverflow: 0 });
    factory.plan.push('hang');
    const waiter = pool.acquire('w');
    await clock.advance(10_000);
    expect(factory.aborted).toEqual([1]);
    expect(events).toContain('create 1 timed out');
    expect((await waiter).id).toBe(2);
    expect(pool.counters.createFailures).toBe(1);
  });

  it('destroys a resource invalidated while idle at once, and one invalidated while borrowed on return', async () => {
    const { pool } = setUp({ size: 2, validateOnBorrow: false });
    const a = await pool.acquire('a');
    const b = await pool.acquire('b');
    pool.release(a);
    pool.invalidate(a);
    expect(a.destroyed).toBe('Closed by the pool');
    pool.invalidate(b);
    expect(b.destroyed).toBeUndefined();
    pool.release(b);
    expect(b.destroyed).toBe('Closed by the pool');
    expect(pool.counts()).toMatchObject({ size: 0 });
  });

  it('shuts down: waiters fail, a borrowed resource is waited for until it comes back, then everything is destroyed', async () => {
    const { pool, clock, factory } = setUp({ size: 1, maxOverflow: 0 });
    const held = await pool.acquire('held');
    const waiter = pool.acquire('waiter');
    let done = false;
    void pool.dispose().then(() => (done = true));
    await expect(waiter).rejects.toThrow('shutting down');
    await expect(pool.acquire('late')).rejects.toThrow('shutting down');
    await clock.advance(10_000);
    expect(done).toBe(false);
    pool.release(held);
    await settle();
    expect(done).toBe(true);
    expect(factory.live()).toEqual([]);
    expect(held.destroyed).toBe('destroyed at shutdown');
  });

  it('bounds shutdown by shutdownTimeoutMs plus destroyTimeoutMs, whatever the resources do', async () => {
    const { pool, clock, factory, events } = setUp({ size: 1, maxOverflow: 0 });
    const held = await pool.acquire('never returned');
    factory.stuckDestroys = true;
    let done = false;
    void pool.dispose().then(() => (done = true));
    await clock.advance(29_999);
    expect(done).toBe(false);
    await clock.advance(1);
    expect(held.destroyed).toBe('destroyed at shutdown (at once)');
    expect(events).toContain('gave up waiting for 1');
    await clock.advance(1_999);
    expect(done).toBe(false);
    await clock.advance(1);
    expect(done).toBe(true);
    expect(events).toContain('destroys overdue');
  });

  it('aborts a create still running at shutdown and leaves no timer behind', async () => {
    const { pool, factory, clock } = setUp({ size: 1, maxOverflow: 0, maintenanceIntervalMs: 1_000 });
    factory.plan.push('hang');
    const waiter = pool.acquire('w');
    await pool.dispose();
    await expect(waiter).rejects.toThrow('shutting down');
    expect(factory.aborted).toEqual([1]);
    expect(clock.pending).toBe(0);
  });
});
