import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ReaderPool } from './pool';
import { PRE_PING_AFTER_IDLE_MS } from './pool-config';
import type { TestOps } from '../query/pool-test-ops';
import { ManualClock, expectThreadsAtMost, openConnections, settledThreadCount, threadCount, usePoolFixture, waitFor } from './pool-test-helpers';

const writerModule = fileURLToPath(new URL('./pool-test-writer.ts', import.meta.url));

interface WriterReport {
  inserted: number;
  transactions: number;
  busy: number;
}

/**
 * Starts the test writer; it writes until `stop()` (or `maxMs`, a bound for a machine too
 * slow to be useful), so how much it writes does not depend on the machine's speed.
 */
function runWriter(dbPath: string, maxMs: number): { report: Promise<WriterReport>; stop(): void } {
  const stopFlag = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(writerModule, { execArgv: ['--require', 'tsx/cjs'], workerData: { dbPath, maxMs, stop: stopFlag.buffer } });
  const report = new Promise<WriterReport>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return { report, stop: () => Atomics.store(stopFlag, 0, 1) };
}

describe('ReaderPool under concurrency', () => {
  let pool: ReaderPool<TestOps> | undefined;

  const fixture = usePoolFixture();

  it('runs queries in parallel on separate threads', async () => {
    ({ pool } = fixture.open());
    await openConnections(pool, 4);
    const started = performance.now();
    const threads = await Promise.all([1, 2, 3, 4].map(() => pool!.run('sleep', { ms: 300 })));
    const elapsed = performance.now() - started;
    expect(new Set(threads).size).toBe(4);
    // One by one they would take 1200 ms; the margin is for a loaded machine.
    expect(elapsed).toBeLessThan(900);
  });

  it('reads in parallel with a writer in WAL mode without SQLITE_BUSY, each read seeing a consistent snapshot', async () => {
    ({ pool } = fixture.open({ DATABASE_MAX_CONNECTIONS: '4' }));
    const writer = runWriter(fixture.database.dbPath, 60_000);
    let writerDone = false;
    void writer.report.then(() => {
      writerDone = true;
    });
    const seen = new Set<number>();
    let totalReads = 0;

    const reader = async (): Promise<{ reads: number; counts: number[] }> => {
      const counts: number[] = [];
      while (!writerDone) {
        const [row] = (await pool!.run('sql', { sql: 'SELECT count(*) AS n, max(id) AS last FROM items' })) as { n: number; last: number }[];
        expect(row?.n).toBe(row?.last);
        counts.push(row?.n ?? -1);
        seen.add(row?.n ?? -1);
        totalReads++;
        // Enough reads, spread over the writes: the writer may stop (it also has written 1,000 rows by then).
        if (totalReads > 20 && seen.size > 3) {
          writer.stop();
        }
      }
      return { reads: counts.length, counts };
    };
    const results = await Promise.all([reader(), reader(), reader(), reader()]);
    const report = await writer.report;

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
    const baseline = await settledThreadCount();
    ({ pool } = fixture.open({ DATABASE_MAX_CONNECTIONS: '4', DATABASE_MAX_OVERFLOW: '2' }));
    await openConnections(pool, 4);
    const withFour = threadCount();
    expect(withFour).toBeGreaterThan(baseline);

    const results = await Promise.all(Array.from({ length: 5000 }, (_, index) => pool!.run('sql', { sql: 'SELECT ? + 1 AS n', params: [index] })));
    expect(results.every((rows, index) => (rows as { n: number }[])[0]?.n === index + 1)).toBe(true);
    expect(pool.status()).toMatchObject({ checked_out: 0, waiting: 0, timeouts: 0 });
    // An overflow thread still starting when the last query ended closes as soon as it is ready.
    await waitFor(() => pool?.status().overflow === 0, 30_000);
    const status = pool.status();
    expect(status.size).toBeLessThanOrEqual(4);
    expect(status.created).toBeLessThanOrEqual(6);
    await expectThreadsAtMost(withFour);

    await pool.dispose();
    await expectThreadsAtMost(baseline);
    expect(pool.status()).toMatchObject({ size: 0, idle: 0, checked_out: 0 });
  });

  it('shuts down under load: queries in flight finish, waiters fail, every thread ends', async () => {
    const baseline = await settledThreadCount();
    ({ pool } = fixture.open({ DATABASE_MAX_CONNECTIONS: '2', DATABASE_MAX_OVERFLOW: '0' }));
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
    await expectThreadsAtMost(baseline);
  });

  it('ends the wait of shutdown as soon as the connection being pre-pinged fails, not at SHUTDOWN_TIMEOUT', async () => {
    const clock = new ManualClock();
    ({ pool } = fixture.open({ SHUTDOWN_TIMEOUT: '10' }, { now: clock.now }));
    const lease = await pool.acquire('breaker');
    await lease.run('closeDatabase', undefined);
    lease.release();
    clock.advance(PRE_PING_AFTER_IDLE_MS);
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
    ({ pool } = fixture.open({ SHUTDOWN_TIMEOUT: '1' }));
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
