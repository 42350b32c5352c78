import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReaderPool } from './pool';
import type { TestOps } from '../query/pool-test-ops';
import { type RecordingLogger, expectThreadsAtMost, settledThreadCount, usePoolFixture, waitFor } from './pool-test-helpers';
import { ManualTimers } from './pool-test-clock';

describe('ReaderPool open timeout', () => {
  let pool: ReaderPool<TestOps> | undefined;
  let logger: RecordingLogger;

  const fixture = usePoolFixture();

  /** The next reader thread to start hangs while opening and never answers. */
  const hangNextOpen = (): void => writeFileSync(join(fixture.database.dir, 'hang-on-open'), '');
  /** Until a thread has claimed the marker it is not hanging yet: the open timeout must pass after that. */
  const hanging = (): Promise<void> => waitFor(() => !existsSync(join(fixture.database.dir, 'hang-on-open')), 30_000);

  it('stops a reader that does not open in time, counts a failed create, and serves every waiter in order with a replacement', async () => {
    const baseline = await settledThreadCount();
    hangNextOpen();
    // The pool's clock is manual: the open timeout passes when the test says, however slow threads start.
    const clock = new ManualTimers();
    ({ pool, logger } = fixture.open({ DATABASE_MAX_CONNECTIONS: '1', DATABASE_MAX_OVERFLOW: '0', DATABASE_POOL_TIMEOUT: '20' }, { openTimeoutMs: 2000, clock }));
    const order: string[] = [];
    const request = (label: string): Promise<number> =>
      pool!.acquire(label).then(async (lease) => {
        order.push(label);
        const thread = await lease.run('threadId', undefined);
        lease.release();
        return thread;
      });
    const served = ['w1', 'w2', 'w3'].map(request);
    expect(pool.status()).toMatchObject({ size: 1, waiting: 3, checked_out: 0 });

    await hanging();
    await clock.advance(1999);
    expect(pool.status()).toMatchObject({ create_failures: 0, waiting: 3 });
    await clock.advance(1);
    expect(pool.status()).toMatchObject({ create_failures: 1 });
    // A newcomer after the hang still queues behind those who came before it.
    served.push(request('w4'));
    const threads = await Promise.all(served);

    expect(order).toEqual(['w1', 'w2', 'w3', 'w4']);
    expect(new Set(threads).size).toBe(1);
    expect(pool.status()).toMatchObject({ size: 1, created: 1, create_failures: 1, timeouts: 0, waiting: 0, checked_out: 0 });
    expect(logger.messages('error')).toEqual(['Reader connection 1 did not open within 2 s; its thread was stopped']);
    await pool.dispose();
    await expectThreadsAtMost(baseline);
  });

  it('gives up an open no later than DATABASE_POOL_TIMEOUT, stops its thread, and the next request succeeds', async () => {
    const baseline = await settledThreadCount();
    hangNextOpen();
    const clock = new ManualTimers();
    ({ pool, logger } = fixture.open({ DATABASE_POOL_TIMEOUT: '2' }, { openTimeoutMs: 60_000, clock }));
    const first = pool.run('sql', { sql: 'SELECT 1' }, { label: 'first search' });
    first.catch(() => {});
    await hanging();
    await clock.advance(2000);
    await expect(first).rejects.toMatchObject({
      code: 'pool_timeout',
      message:
        'Timed out after 2 s waiting for a database connection: 0 checked out (1/20 pooled, 0/10 overflow), 1 waiting. ' +
        'Look for slow queries or leaked connections, or raise DATABASE_MAX_CONNECTIONS or DATABASE_POOL_TIMEOUT.',
    });
    await waitFor(() => pool?.status().create_failures === 1);
    expect(pool.status()).toMatchObject({ size: 0, timeouts: 1, create_failures: 1, created: 0 });
    expect(logger.messages('error')).toEqual(['Reader connection 1 did not open within 2 s; its thread was stopped']);
    // The hung thread is gone, not merely forgotten.
    await expectThreadsAtMost(baseline);

    await expect(pool.run('sql', { sql: 'SELECT count(*) AS n FROM items' })).resolves.toEqual([{ n: 100 }]);
    expect(pool.status()).toMatchObject({ size: 1, created: 1, create_failures: 1 });
  });
});
