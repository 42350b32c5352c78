import { describe, expect, it } from 'vitest';
import type { ReaderPool } from './pool';
import { PRE_PING_AFTER_IDLE_MS } from './pool-config';
import type { TestOps } from '../query/pool-test-ops';
import { ManualClock, type RecordingLogger, usePoolFixture } from './pool-test-helpers';

describe('ReaderPool pre-ping and broken readers', () => {
  let pool: ReaderPool<TestOps> | undefined;
  let logger: RecordingLogger;
  const fixture = usePoolFixture();

  it('pre-pings a connection idle past the threshold: one closed underneath is discarded and replaced, and the request still succeeds', async () => {
    const clock = new ManualClock();
    ({ pool, logger } = fixture.open({}, { now: clock.now }));
    const lease = await pool.acquire('breaker');
    const broken = await lease.run('threadId', undefined);
    await lease.run('closeDatabase', undefined);
    lease.release();
    clock.advance(PRE_PING_AFTER_IDLE_MS);

    await expect(pool.run('sql', { sql: 'SELECT count(*) AS n FROM items' })).resolves.toEqual([{ n: 100 }]);
    expect(await pool.run('threadId', undefined)).not.toBe(broken);
    expect(pool.status()).toMatchObject({ size: 1, pre_ping_failures: 1, created: 2, pre_ping: true });
    expect(logger.messages('warn')).toContain('Pre-ping failed, reader connection 1 discarded and replaced: The database connection is not open');
  });

  it('without pre-ping hands out the broken connection, which is what the pre-ping prevents', async () => {
    ({ pool } = fixture.open({ DATABASE_POOL_PRE_PING: 'false' }));
    const lease = await pool.acquire('breaker');
    await lease.run('closeDatabase', undefined);
    lease.release();
    await expect(pool.run('sql', { sql: 'SELECT 1' })).rejects.toThrow('The database connection is not open');
    expect(pool.status()).toMatchObject({ pre_ping_failures: 0, pre_ping: false });
  });

  it('replaces a reader whose thread died, and the next request succeeds', async () => {
    ({ pool, logger } = fixture.open());
    const lease = await pool.acquire('crasher');
    await expect(lease.run('exit', { code: 3 })).rejects.toThrow('Reader connection 1 stopped (exit code 3)');
    lease.release();
    expect(pool.status()).toMatchObject({ size: 0, checked_out: 0 });

    await expect(pool.run('sql', { sql: 'SELECT count(*) AS n FROM items' })).resolves.toEqual([{ n: 100 }]);
    expect(pool.status()).toMatchObject({ size: 1, created: 2 });
    expect(logger.messages('warn')).toContain('Reader connection 1 stopped unexpectedly (exit code 3)');
  });

  it('keeps the user-facing message of a failed query and the connection usable', async () => {
    ({ pool } = fixture.open());
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
    ({ pool } = fixture.open());
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
