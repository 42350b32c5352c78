import { describe, expect, it } from 'vitest';
import { memoryBudget } from '../config/memory-budget';
import { ensureIndexFormat } from '../index/schema';
import { openConnection } from './open-connection';
import type { ReaderPool } from './pool';
import { ManualClock, openConnections, threadCount, usePoolFixture, waitFor } from './pool-test-helpers';
import type { TestOps } from '../query/pool-test-ops';

const MIB = 1024 * 1024;
const budget = memoryBudget({ MEMORY_THRESHOLD_MB: 100, MEMORY_LIMIT_MB: 0, ALERT_PERCENT: 80, MAX_DOCUMENTS_PER_BATCH: 100 });
let pool: ReaderPool<TestOps> | undefined;
const fixture = usePoolFixture();

describe('the pool when work has ended (issue 11, item 4)', () => {
  it('closes idle connections beyond the first after DATABASE_POOL_IDLE_TIMEOUT, and their threads end', async () => {
    const clock = new ManualClock();
    ({ pool } = fixture.open({ DATABASE_POOL_IDLE_TIMEOUT: '30' }, { now: clock.now }));
    await openConnections(pool, 3);
    expect(pool.status()).toMatchObject({ size: 3, idle: 3, idle_closed: 0, idle_timeout_s: 30 });
    const threadsOpen = threadCount();

    clock.advance(29_999);
    pool.maintain();
    expect(pool.status().size).toBe(3);

    clock.advance(1);
    pool.maintain();
    expect(pool.status()).toMatchObject({ size: 1, idle: 1, idle_closed: 2 });
    await waitFor(() => threadCount() <= threadsOpen - 2);
    // The one kept still serves.
    await expect(pool.run('sql', { sql: 'SELECT 3 AS n' })).resolves.toEqual([{ n: 3 }]);
  });

  it('counts idle time from the last return, so a connection in use is never closed', async () => {
    const clock = new ManualClock();
    ({ pool } = fixture.open({ DATABASE_POOL_IDLE_TIMEOUT: '30' }, { now: clock.now }));
    await openConnections(pool, 2);
    clock.advance(20_000);
    // Both used again: their idle time starts over.
    await openConnections(pool, 2);
    clock.advance(20_000);
    pool.maintain();
    expect(pool.status().size).toBe(2);
    const lease = await pool.acquire('held');
    clock.advance(60_000);
    pool.maintain();
    // The idle one is the only one kept warm; the checked-out one is untouched.
    expect(pool.status()).toMatchObject({ size: 2, checked_out: 1, idle: 1 });
    lease.release();
  });
});

describe('the pool in a memory cleanup (issue 11, item 1)', () => {
  it('closes every idle reader beyond one at once', async () => {
    ({ pool } = fixture.open({}, { memory: budget }));
    await openConnections(pool, 4);
    expect(pool.status().size).toBe(4);
    const threadsOpen = threadCount();
    const released = await pool.releaseMemory();
    expect(released.closed).toBe(3);
    expect(released.readers).toHaveLength(1);
    expect(pool.status()).toMatchObject({ size: 1, idle_closed: 3 });
    // releaseMemory waits for the threads to end: their heaps are returned.
    expect(threadCount()).toBeLessThanOrEqual(threadsOpen - 3);
  });

  it('collects the heap of the reader it keeps', async () => {
    ({ pool } = fixture.open({}, { memory: budget }));
    const heapWithGarbage = await pool.run('makeGarbage', { mb: 24 });
    expect(await pool.run('heapUsed', undefined)).toBeGreaterThan(heapWithGarbage - 4 * MIB);
    await pool.run('dropGarbage', undefined);
    const [reader] = (await pool.releaseMemory()).readers;
    expect(reader?.heapBefore).toBeGreaterThan(20 * MIB);
    expect((reader?.heapBefore ?? 0) - (reader?.heapAfter ?? 0)).toBeGreaterThan(20 * MIB);
    expect(await pool.run('heapUsed', undefined)).toBeLessThan(heapWithGarbage - 20 * MIB);
  });

  it("opens readers with the budget's SQLite page cache and shrinks it in a cleanup", async () => {
    ({ pool } = fixture.open({}, { memory: budget }));
    await expect(pool.run('sql', { sql: 'PRAGMA cache_size' })).resolves.toEqual([{ cache_size: -budget.readerCacheKib }]);
    await pool.releaseMemory();
    await expect(pool.run('sql', { sql: 'PRAGMA cache_size' })).resolves.toEqual([{ cache_size: -budget.readerCacheUnderPressureKib }]);
    expect(budget.readerCacheUnderPressureKib).toBeLessThan(budget.readerCacheKib);
  });

  it('drops the index snapshot, so the next search rebuilds it', async () => {
    const writer = openConnection(fixture.database.dbPath, { mode: 'writer' });
    ensureIndexFormat(writer);
    writer.close();
    ({ pool } = fixture.open({}, { memory: budget }));
    expect(await pool.run('markSnapshot', undefined)).toBe(false);
    // Same version, same connection: the snapshot is reused...
    expect(await pool.run('markSnapshot', undefined)).toBe(true);
    await pool.releaseMemory();
    // ...until a cleanup drops it.
    expect(await pool.run('markSnapshot', undefined)).toBe(false);
  });

  it('caps each reader thread at the budget: a query that needs more fails with the heap error, the pool serves on', async () => {
    const small = memoryBudget({ MEMORY_THRESHOLD_MB: 32, MEMORY_LIMIT_MB: 0, ALERT_PERCENT: 80, MAX_DOCUMENTS_PER_BATCH: 100 });
    expect(small.searchReaderLimits.maxOldGenerationSizeMb).toBe(16);
    ({ pool } = fixture.open({}, { memory: small }));
    // 64 MiB retained at once cannot fit a 16 MB old generation.
    await expect(pool.run('makeGarbage', { mb: 64 })).rejects.toThrow(/memory limit/);
    await expect(pool.run('sql', { sql: 'SELECT 5 AS n' })).resolves.toEqual([{ n: 5 }]);
  });
});
