import { rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReaderPool } from './pool';
import type { Lease } from './pool-lease';
import type { TestOps } from '../query/pool-test-ops';
import { createTempDatabase, createTestPool, waitFor, type TempDatabase } from './pool-test-helpers';

describe('ReaderPool limits', () => {
  let database: TempDatabase;
  let pool: ReaderPool<TestOps> | undefined;

  beforeEach(() => {
    database = createTempDatabase();
  });
  afterEach(async () => {
    await pool?.dispose();
    database.remove();
  });

  it('opens connections lazily: none before the first query, one after it', async () => {
    ({ pool } = createTestPool(database));
    expect(pool.status().size).toBe(0);
    const rows = await pool.run('sql', { sql: 'SELECT count(*) AS n FROM items' });
    expect(rows).toEqual([{ n: 100 }]);
    expect(pool.status()).toMatchObject({ size: 1, idle: 1, checked_out: 0, overflow: 0, created: 1, max_connections: 20, max_overflow: 10 });
    await pool.run('sql', { sql: 'SELECT 1' });
    expect(pool.status()).toMatchObject({ size: 1, created: 1 });
  });

  it('fails a request that waits longer than DATABASE_POOL_TIMEOUT with an error naming the pool state', async () => {
    ({ pool } = createTestPool(database, { DATABASE_MAX_CONNECTIONS: '2', DATABASE_MAX_OVERFLOW: '1', DATABASE_POOL_TIMEOUT: '1' }));
    const leases = await Promise.all([pool.acquire('a'), pool.acquire('b'), pool.acquire('c')]);
    expect(pool.status()).toMatchObject({ size: 3, checked_out: 3, overflow: 1, idle: 0 });

    const started = Date.now();
    const late = pool.acquire('late');
    await waitFor(() => pool?.status().waiting === 1);
    await expect(late).rejects.toMatchObject({
      code: 'pool_timeout',
      message:
        'Timed out after 1 s waiting for a database connection: 3 checked out (2/2 pooled, 1/1 overflow), 1 waiting. ' +
        'Look for slow queries or leaked connections, or raise DATABASE_MAX_CONNECTIONS or DATABASE_POOL_TIMEOUT.',
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(pool.status()).toMatchObject({ timeouts: 1, waiting: 0, checked_out: 3 });

    for (const lease of leases) {
      lease.release();
    }
    // A released pool serves again at once.
    await expect(pool.run('sql', { sql: 'SELECT 7 AS n' })).resolves.toEqual([{ n: 7 }]);
  });

  it('opens overflow only while the pool is full and closes it as soon as it is returned', async () => {
    ({ pool } = createTestPool(database, { DATABASE_MAX_CONNECTIONS: '2', DATABASE_MAX_OVERFLOW: '2' }));
    const first = await pool.acquire('first');
    const second = await pool.acquire('second');
    expect(pool.status()).toMatchObject({ size: 2, overflow: 0 });

    const third = await pool.acquire('third');
    const fourth = await pool.acquire('fourth');
    expect(pool.status()).toMatchObject({ size: 4, overflow: 2, checked_out: 4 });
    expect(await third.run('sql', { sql: 'SELECT count(*) AS n FROM items' })).toEqual([{ n: 100 }]);

    third.release();
    fourth.release();
    expect(pool.status()).toMatchObject({ size: 2, overflow: 0, checked_out: 2, idle: 0 });

    first.release();
    second.release();
    expect(pool.status()).toMatchObject({ size: 2, overflow: 0, checked_out: 0, idle: 2, created: 4 });
  });

  it('serves waiters first come, first served', async () => {
    ({ pool } = createTestPool(database, { DATABASE_MAX_CONNECTIONS: '1', DATABASE_MAX_OVERFLOW: '0' }));
    const holder = await pool.acquire('holder');
    const order: string[] = [];
    const waiting: Promise<Lease<TestOps>>[] = [];
    for (const label of ['w1', 'w2', 'w3', 'w4', 'w5']) {
      waiting.push(
        pool.acquire(label).then((lease) => {
          order.push(label);
          return lease;
        }),
      );
    }
    expect(pool.status().waiting).toBe(5);

    holder.release();
    for (const next of waiting) {
      const lease = await next;
      expect(lease.connectionId).toBe(holder.connectionId);
      lease.release();
    }
    expect(order).toEqual(['w1', 'w2', 'w3', 'w4', 'w5']);
    expect(pool.status()).toMatchObject({ size: 1, waiting: 0, checked_out: 0 });
  });

  it('gives a newcomer no way to jump the queue when a connection comes back', async () => {
    ({ pool } = createTestPool(database, { DATABASE_MAX_CONNECTIONS: '1', DATABASE_MAX_OVERFLOW: '0' }));
    const holder = await pool.acquire('holder');
    const order: string[] = [];
    const early = pool.acquire('early').then((lease) => {
      order.push('early');
      lease.release();
    });
    holder.release();
    const newcomer = pool.acquire('newcomer').then((lease) => {
      order.push('newcomer');
      lease.release();
    });
    await Promise.all([early, newcomer]);
    expect(order).toEqual(['early', 'newcomer']);
  });

  it('drops a waiter whose caller aborts, and the next one gets the connection', async () => {
    ({ pool } = createTestPool(database, { DATABASE_MAX_CONNECTIONS: '1', DATABASE_MAX_OVERFLOW: '0' }));
    const holder = await pool.acquire('holder');
    const controller = new AbortController();
    const aborted = pool.run('sql', { sql: 'SELECT 1' }, { signal: controller.signal });
    const next = pool.run('sql', { sql: 'SELECT 2 AS n' });
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
    expect(pool.status().waiting).toBe(1);
    holder.release();
    await expect(next).resolves.toEqual([{ n: 2 }]);
  });

  it('fails a request for a missing database with a database_error, and fails no other', async () => {
    for (const suffix of ['', '-wal', '-shm']) {
      rmSync(database.dbPath + suffix, { force: true });
    }
    ({ pool } = createTestPool(database));
    await expect(pool.run('sql', { sql: 'SELECT 1' })).rejects.toMatchObject({
      code: 'database_error',
      message: `Cannot open the database ${database.dbPath}: unable to open database file`,
    });
    expect(pool.status()).toMatchObject({ size: 0, waiting: 0, created: 0, create_failures: 1 });
  });
});
