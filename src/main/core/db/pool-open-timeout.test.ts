import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReaderPool } from './pool';
import type { TestOps } from '../query/pool-test-ops';
import { createTempDatabase, createTestPool, testOpsModule, threadCount, waitFor, type RecordingLogger, type TempDatabase } from './pool-test-helpers';

const hangModule = fileURLToPath(new URL('./pool-test-hang.ts', import.meta.url));

describe('ReaderPool open timeout', () => {
  let database: TempDatabase;
  let pool: ReaderPool<TestOps> | undefined;
  let logger: RecordingLogger;

  beforeEach(() => {
    database = createTempDatabase();
  });
  afterEach(async () => {
    await pool?.dispose();
    database.remove();
  });

  /** The next reader thread to start hangs while opening and never answers. */
  const hangNextOpen = (): void => writeFileSync(join(database.dir, 'hang-on-open'), '');

  it('stops a reader that does not open in time, counts a failed create, and serves every waiter in order with a replacement', async () => {
    const baseline = threadCount();
    hangNextOpen();
    ({ pool, logger } = createTestPool(
      database,
      { DATABASE_MAX_CONNECTIONS: '1', DATABASE_MAX_OVERFLOW: '0', DATABASE_POOL_TIMEOUT: '20' },
      { openTimeoutMs: 2000, extraOpsModules: [testOpsModule, hangModule] },
    ));
    const order: string[] = [];
    const request = (label: string): Promise<number> =>
      pool!.acquire(label).then(async (lease) => {
        order.push(label);
        const thread = await lease.run('threadId', undefined);
        lease.release();
        return thread;
      });
    const started = performance.now();
    const served = ['w1', 'w2', 'w3'].map(request);
    expect(pool.status()).toMatchObject({ size: 1, waiting: 3, checked_out: 0 });

    await waitFor(() => pool?.status().create_failures === 1, 10_000);
    expect(performance.now() - started).toBeGreaterThanOrEqual(1990);
    // A newcomer after the hang still queues behind those who came before it.
    served.push(request('w4'));
    const threads = await Promise.all(served);

    expect(order).toEqual(['w1', 'w2', 'w3', 'w4']);
    expect(new Set(threads).size).toBe(1);
    expect(pool.status()).toMatchObject({ size: 1, created: 1, create_failures: 1, timeouts: 0, waiting: 0, checked_out: 0 });
    expect(logger.messages('error')).toEqual(['Reader connection 1 did not open within 2 s; its thread was stopped']);
    await pool.dispose();
    await waitFor(() => threadCount() <= baseline);
    expect(threadCount()).toBe(baseline);
  });

  it('gives up an open no later than DATABASE_POOL_TIMEOUT, stops its thread, and the next request succeeds', async () => {
    const baseline = threadCount();
    hangNextOpen();
    ({ pool, logger } = createTestPool(
      database,
      { DATABASE_POOL_TIMEOUT: '2' },
      { openTimeoutMs: 60_000, extraOpsModules: [testOpsModule, hangModule] },
    ));
    await expect(pool.run('sql', { sql: 'SELECT 1' }, { label: 'first search' })).rejects.toMatchObject({
      code: 'pool_timeout',
      message:
        'Timed out after 2 s waiting for a database connection: 0 checked out (1/20 pooled, 0/10 overflow), 1 waiting. ' +
        'Look for slow queries or leaked connections, or raise DATABASE_MAX_CONNECTIONS or DATABASE_POOL_TIMEOUT.',
    });
    await waitFor(() => pool?.status().create_failures === 1);
    expect(pool.status()).toMatchObject({ size: 0, timeouts: 1, create_failures: 1, created: 0 });
    expect(logger.messages('error')).toEqual(['Reader connection 1 did not open within 2 s; its thread was stopped']);
    // The hung thread is gone, not merely forgotten.
    await waitFor(() => threadCount() <= baseline);
    expect(threadCount()).toBe(baseline);

    await expect(pool.run('sql', { sql: 'SELECT count(*) AS n FROM items' })).resolves.toEqual([{ n: 100 }]);
    expect(pool.status()).toMatchObject({ size: 1, created: 1, create_failures: 1 });
  });
});
