import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReaderPool } from './pool';
import type { TestOps } from '../query/pool-test-ops';
import { createTempDatabase, createTestPool, threadCount, waitFor, type TempDatabase } from './pool-test-helpers';

const writerModule = fileURLToPath(new URL('./pool-test-writer.ts', import.meta.url));

interface WriterReport {
  inserted: number;
  transactions: number;
  busy: number;
}

/** Holds `count` leases at once, so exactly that many connections are open afterwards. */
async function openConnections(pool: ReaderPool<TestOps>, count: number): Promise<void> {
  const leases = await Promise.all(Array.from({ length: count }, () => pool.acquire('warm-up')));
  for (const lease of leases) {
    lease.release();
  }
  expect(pool.status()).toMatchObject({ size: count, idle: count });
}

function runWriter(dbPath: string, durationMs: number): Promise<WriterReport> {
  const worker = new Worker(writerModule, { execArgv: ['--require', 'tsx/cjs'], workerData: { dbPath, durationMs } });
  return new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

describe('ReaderPool under concurrency', () => {
  let database: TempDatabase;
  let pool: ReaderPool<TestOps> | undefined;

  beforeEach(() => {
    database = createTempDatabase();
  });
  afterEach(async () => {
    await pool?.dispose();
    database.remove();
  });

  it('runs queries in parallel on separate threads', async () => {
    ({ pool } = createTestPool(database));
    await openConnections(pool, 4);
    const started = performance.now();
    const threads = await Promise.all([1, 2, 3, 4].map(() => pool!.run('sleep', { ms: 300 })));
    const elapsed = performance.now() - started;
    expect(new Set(threads).size).toBe(4);
    // One by one they would take 1200 ms; the margin is for a loaded machine.
    expect(elapsed).toBeLessThan(900);
  });

  it('reads in parallel with a writer in WAL mode without SQLITE_BUSY, each read seeing a consistent snapshot', async () => {
    ({ pool } = createTestPool(database, { DATABASE_MAX_CONNECTIONS: '4' }));
    const writer = runWriter(database.dbPath, 1500);
    let writerDone = false;
    void writer.then(() => {
      writerDone = true;
    });

    const reader = async (): Promise<{ reads: number; counts: number[] }> => {
      const counts: number[] = [];
      while (!writerDone) {
        const [row] = (await pool!.run('sql', { sql: 'SELECT count(*) AS n, max(id) AS last FROM items' })) as { n: number; last: number }[];
        expect(row?.n).toBe(row?.last);
        counts.push(row?.n ?? -1);
      }
      return { reads: counts.length, counts };
    };
    const results = await Promise.all([reader(), reader(), reader(), reader()]);
    const report = await writer;

    expect(report.busy).toBe(0);
    expect(report.inserted).toBeGreaterThan(1000);
    for (const { counts } of results) {
      // Each reader only ever sees the table grow, in whole transactions of 50 rows.
      expect(counts).toEqual([...counts].sort((a, b) => a - b));
      expect(counts.every((count) => (count - 100) % 50 === 0)).toBe(true);
    }
    const reads = results.reduce((sum, result) => sum + result.reads, 0);
    expect(reads).toBeGreaterThan(20);
    // Some reads happened while the table was growing, not only before or after.
    expect(new Set(results.flatMap((result) => result.counts)).size).toBeGreaterThan(3);
    expect(await pool.run('sql', { sql: 'SELECT count(*) AS n FROM items' })).toEqual([{ n: 100 + report.inserted }]);
  });

  it('leaves nothing checked out and no extra thread after thousands of queries', async () => {
    const baseline = threadCount();
    ({ pool } = createTestPool(database, { DATABASE_MAX_CONNECTIONS: '4', DATABASE_MAX_OVERFLOW: '2' }));
    await openConnections(pool, 4);
    const withFour = threadCount();
    expect(withFour).toBeGreaterThan(baseline);

    const results = await Promise.all(
      Array.from({ length: 5000 }, (_, index) => pool!.run('sql', { sql: 'SELECT ? + 1 AS n', params: [index] })),
    );
    expect(results.every((rows, index) => (rows as { n: number }[])[0]?.n === index + 1)).toBe(true);
    const status = pool.status();
    expect(status).toMatchObject({ checked_out: 0, waiting: 0, timeouts: 0, overflow: 0 });
    expect(status.size).toBeLessThanOrEqual(4);
    expect(status.created).toBeLessThanOrEqual(6);
    await waitFor(() => threadCount() <= withFour);
    expect(threadCount()).toBe(withFour);

    await pool.dispose();
    await waitFor(() => threadCount() <= baseline);
    expect(threadCount()).toBe(baseline);
    expect(pool.status()).toMatchObject({ size: 0, idle: 0, checked_out: 0 });
  });

  it('shuts down under load: queries in flight finish, waiters fail, every thread ends', async () => {
    const baseline = threadCount();
    ({ pool } = createTestPool(database, { DATABASE_MAX_CONNECTIONS: '2', DATABASE_MAX_OVERFLOW: '0' }));
    // Both connections open before the load: a slow thread start would let a third query in.
    await openConnections(pool, 2);
    const queries = Array.from({ length: 10 }, () => pool!.run('sleep', { ms: 200 }));
    const outcomes = Promise.allSettled(queries);
    await waitFor(() => pool?.status().checked_out === 2);

    await pool.dispose();
    const settled = await outcomes;
    expect(settled.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(2);
    const rejected = settled.filter((outcome) => outcome.status === 'rejected');
    expect(rejected).toHaveLength(8);
    for (const outcome of rejected) {
      expect(outcome.reason).toMatchObject({ code: 'shutting_down', message: 'The database pool is shutting down' });
    }
    await expect(pool.run('sql', { sql: 'SELECT 1' })).rejects.toMatchObject({ code: 'shutting_down', message: 'The database pool is shutting down' });
    expect(pool.status()).toMatchObject({ size: 0, checked_out: 0, waiting: 0 });
    await waitFor(() => threadCount() <= baseline);
    expect(threadCount()).toBe(baseline);
  });

  it('ends the wait of shutdown as soon as the connection being pre-pinged fails, not at SHUTDOWN_TIMEOUT', async () => {
    ({ pool } = createTestPool(database, { SHUTDOWN_TIMEOUT: '10' }));
    const lease = await pool.acquire('breaker');
    await lease.run('closeDatabase', undefined);
    lease.release();
    // Its connection is checked out for the pre-ping when shutdown begins, so shutdown waits for it.
    const request = pool.run('sql', { sql: 'SELECT 1' }).catch((error: unknown) => error);
    expect(pool.status().checked_out).toBe(1);

    const started = performance.now();
    await pool.dispose();
    expect(performance.now() - started).toBeLessThan(2000);
    expect(await request).toMatchObject({ code: 'shutting_down', message: 'The database pool is shutting down' });
    expect(pool.status()).toMatchObject({ size: 0, checked_out: 0, pre_ping_failures: 1 });
  });

  it('bounds the wait of shutdown by SHUTDOWN_TIMEOUT and stops a query that outlives it', async () => {
    ({ pool } = createTestPool(database, { SHUTDOWN_TIMEOUT: '1' }));
    const endless = pool.run('sleep', { ms: 10_000 });
    await waitFor(() => pool?.status().checked_out === 1);
    const started = performance.now();
    await pool.dispose();
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(990);
    expect(elapsed).toBeLessThan(3000);
    await expect(endless).rejects.toMatchObject({ code: 'shutting_down', message: 'The database pool shut down before the query finished' });
    expect(pool.status().size).toBe(0);
  });
});
