import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReaderPool } from './pool';
import type { TestOps } from '../query/pool-test-ops';
import { createTempDatabase, createTestPool, ManualClock, waitFor, type RecordingLogger, type TempDatabase } from './pool-test-helpers';

const hour = 3600 * 1000;

describe('ReaderPool recycling and pre-ping', () => {
  let database: TempDatabase;
  let pool: ReaderPool<TestOps> | undefined;
  let logger: RecordingLogger;
  let clock: ManualClock;

  beforeEach(() => {
    database = createTempDatabase();
    clock = new ManualClock();
  });
  afterEach(async () => {
    await pool?.dispose();
    database.remove();
  });

  it('replaces a connection older than DATABASE_POOL_RECYCLE when it is next handed out', async () => {
    ({ pool } = createTestPool(database, {}, { now: clock.now }));
    const before = await pool.run('threadId', undefined);
    clock.advance(hour - 1);
    expect(await pool.run('threadId', undefined)).toBe(before);
    expect(pool.status().recycled).toBe(0);

    clock.advance(1);
    const after = await pool.run('threadId', undefined);
    expect(after).not.toBe(before);
    expect(pool.status()).toMatchObject({ size: 1, recycled: 1, created: 2, recycle_s: 3600 });
  });

  it('never recycles a connection while it is checked out', async () => {
    ({ pool } = createTestPool(database, { DATABASE_POOL_LEAK_TIMEOUT: '86400' }, { now: clock.now }));
    const lease = await pool.acquire('long reader');
    const thread = await lease.run('threadId', undefined);
    clock.advance(2 * hour);
    pool.maintain();
    expect(await lease.run('threadId', undefined)).toBe(thread);
    expect(pool.status()).toMatchObject({ size: 1, checked_out: 1, recycled: 0 });

    lease.release();
    expect(await pool.run('threadId', undefined)).not.toBe(thread);
    expect(pool.status()).toMatchObject({ recycled: 1, created: 2 });
  });

  it('closes aged idle connections in the periodic sweep and keeps one warm', async () => {
    ({ pool } = createTestPool(database, {}, { now: clock.now }));
    const leases = await Promise.all([pool.acquire('a'), pool.acquire('b'), pool.acquire('c')]);
    for (const lease of leases) {
      lease.release();
    }
    expect(pool.status()).toMatchObject({ size: 3, idle: 3 });

    clock.advance(hour);
    pool.maintain();
    expect(pool.status()).toMatchObject({ size: 1, recycled: 3 });
    await waitFor(() => pool?.status().idle === 1);
    expect(pool.status()).toMatchObject({ size: 1, idle: 1, created: 4 });
  });

  it('pre-pings: a connection closed underneath is discarded and replaced, and the request still succeeds', async () => {
    ({ pool, logger } = createTestPool(database));
    const lease = await pool.acquire('breaker');
    const broken = await lease.run('threadId', undefined);
    await lease.run('closeDatabase', undefined);
    lease.release();

    await expect(pool.run('sql', { sql: 'SELECT count(*) AS n FROM items' })).resolves.toEqual([{ n: 100 }]);
    expect(await pool.run('threadId', undefined)).not.toBe(broken);
    expect(pool.status()).toMatchObject({ size: 1, pre_ping_failures: 1, created: 2, pre_ping: true });
    expect(logger.messages('warn')).toContain('Pre-ping failed, reader connection 1 discarded and replaced: The database connection is not open');
  });

  it('without pre-ping hands out the broken connection, which is what the pre-ping prevents', async () => {
    ({ pool } = createTestPool(database, { DATABASE_POOL_PRE_PING: 'false' }));
    const lease = await pool.acquire('breaker');
    await lease.run('closeDatabase', undefined);
    lease.release();
    await expect(pool.run('sql', { sql: 'SELECT 1' })).rejects.toThrow('The database connection is not open');
    expect(pool.status()).toMatchObject({ pre_ping_failures: 0, pre_ping: false });
  });

  it('replaces a reader whose thread died, and the next request succeeds', async () => {
    ({ pool, logger } = createTestPool(database));
    const lease = await pool.acquire('crasher');
    await expect(lease.run('exit', { code: 3 })).rejects.toThrow('Reader connection 1 stopped (exit code 3)');
    lease.release();
    expect(pool.status()).toMatchObject({ size: 0, checked_out: 0 });

    await expect(pool.run('sql', { sql: 'SELECT count(*) AS n FROM items' })).resolves.toEqual([{ n: 100 }]);
    expect(pool.status()).toMatchObject({ size: 1, created: 2 });
    expect(logger.messages('warn')).toContain('Reader connection 1 stopped unexpectedly (exit code 3)');
  });

  it('keeps the user-facing message of a failed query and the connection usable', async () => {
    ({ pool } = createTestPool(database));
    await expect(pool.run('sql', { sql: 'SELECT * FROM missing' })).rejects.toMatchObject({
      code: 'database_error',
      message: 'Database error: no such table: missing',
    });
    await expect(pool.run('sql', { sql: "INSERT INTO items (value) VALUES ('x')" })).rejects.toMatchObject({
      code: 'database_error',
      message: 'Database error: attempt to write a readonly database',
    });
    expect(await pool.run('sql', { sql: 'SELECT count(*) AS n FROM items' })).toEqual([{ n: 100 }]);
    expect(pool.status()).toMatchObject({ size: 1, created: 1, checked_out: 0 });
  });

  it('reports the heap of each reader thread for the stats event', async () => {
    ({ pool } = createTestPool(database));
    const lease = await pool.acquire('memory');
    const thread = await lease.run('threadId', undefined);
    const memory = pool.workerMemory();
    lease.release();
    expect(memory).toHaveLength(1);
    expect(memory[0]).toMatchObject({ threadId: thread, name: 'reader-worker-1' });
    expect(memory[0]?.heapUsed).toBeGreaterThan(100_000);
    expect(memory[0]?.heapTotal).toBeGreaterThanOrEqual(memory[0]?.heapUsed ?? Infinity);
  });
});
