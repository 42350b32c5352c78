/**
 * The checkout limits with real reader threads: the policy itself (overflow, FIFO, abort,
 * timeouts) is proven without threads in resource-pool.test.ts; these prove the reader
 * factory's part and the pool's own wording of each error.
 */
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ManualTimers } from './pool-test-clock';
import { usePoolFixture } from './pool-test-helpers';

describe('ReaderPool limits', () => {
  const fixture = usePoolFixture();

  it('opens connections lazily: none before the first query, one after it', async () => {
    const { pool } = fixture.open();
    expect(pool.status().size).toBe(0);
    const rows = await pool.run('sql', { sql: 'SELECT count(*) AS n FROM items' });
    expect(rows).toEqual([{ n: 100 }]);
    expect(pool.status()).toMatchObject({ size: 1, idle: 1, checked_out: 0, overflow: 0, created: 1, max_connections: 20, max_overflow: 10 });
    await pool.run('sql', { sql: 'SELECT 1' });
    expect(pool.status()).toMatchObject({ size: 1, created: 1 });
  });

  it('fails a request that waits longer than DATABASE_POOL_TIMEOUT with an error naming the pool state', async () => {
    // The pool's clock is manual, so the timeout passes when the test says, however slow the machine.
    const clock = new ManualTimers();
    const { pool } = fixture.open({ DATABASE_MAX_CONNECTIONS: '2', DATABASE_MAX_OVERFLOW: '1', DATABASE_POOL_TIMEOUT: '1' }, { clock });
    const leases = await Promise.all([pool.acquire('a'), pool.acquire('b'), pool.acquire('c')]);
    expect(pool.status()).toMatchObject({ size: 3, checked_out: 3, overflow: 1, idle: 0 });

    const late = pool.acquire('late');
    late.catch(() => {});
    await clock.advance(999);
    expect(pool.status().waiting).toBe(1);
    await clock.advance(1);
    await expect(late).rejects.toMatchObject({
      code: 'pool_timeout',
      message:
        'Timed out after 1 s waiting for a database connection: 3 checked out (2/2 pooled, 1/1 overflow), 1 waiting. ' +
        'Look for slow queries or leaked connections, or raise DATABASE_MAX_CONNECTIONS or DATABASE_POOL_TIMEOUT.',
    });
    expect(pool.status()).toMatchObject({ timeouts: 1, waiting: 0, checked_out: 3 });

    for (const lease of leases) {
      lease.release();
    }
    // A released pool serves again at once.
    await expect(pool.run('sql', { sql: 'SELECT 7 AS n' })).resolves.toEqual([{ n: 7 }]);
  });

  it('fails a request for a missing database with a database_error, and fails no other', async () => {
    for (const suffix of ['', '-wal', '-shm']) {
      rmSync(fixture.database.dbPath + suffix, { force: true });
    }
    const { pool } = fixture.open();
    await expect(pool.run('sql', { sql: 'SELECT 1' })).rejects.toMatchObject({
      code: 'database_error',
      message: `Cannot open the database ${fixture.database.dbPath}: unable to open database file`,
    });
    expect(pool.status()).toMatchObject({ size: 0, waiting: 0, created: 0, create_failures: 1 });
  });
});
