import { describe, expect, it } from 'vitest';
import { AppError } from '../base/errors';
import { searchTimedOut } from '../search/search-control';
import type { ReaderPool } from './pool';
import type { TestOps } from '../query/pool-test-ops';
import { usePoolFixture } from './pool-test-helpers';

// The ops below never finish by themselves, so each outcome is the guard's, whatever the machine's speed.
describe('ReaderPool deadlines and cancellation', () => {
  let pool: ReaderPool<TestOps> | undefined;

  const fixture = usePoolFixture();

  it('stops a cooperative op at its budget with the timeout error and keeps its reader', async () => {
    ({ pool } = fixture.open({ DATABASE_MAX_CONNECTIONS: '1', DATABASE_MAX_OVERFLOW: '0' }, { stopGraceMs: 60_000 }));
    const before = await pool.run('threadId', undefined);
    await expect(pool.run('spin', undefined, { budgetMs: 50, timeoutError: searchTimedOut })).rejects.toMatchObject({
      code: 'timeout',
      message: 'Search stopped after its time budget of 50 ms (SEARCH_TIMEOUT_MS); narrow the query or raise the setting',
    });
    expect(await pool.run('threadId', undefined)).toBe(before);
    expect(pool.status()).toMatchObject({ created: 1, checked_out: 0 });
  });

  it('cancels a running op through the shared flag when its signal aborts', async () => {
    ({ pool } = fixture.open({ DATABASE_MAX_CONNECTIONS: '1', DATABASE_MAX_OVERFLOW: '0' }, { stopGraceMs: 60_000 }));
    const before = await pool.run('threadId', undefined);
    const controller = new AbortController();
    const running = pool.run('spin', undefined, { signal: controller.signal });
    setTimeout(() => controller.abort(new AppError('cancelled', 'Search cancelled: the client disconnected')), 20);
    await expect(running).rejects.toMatchObject({ code: 'cancelled', message: 'Search cancelled: the client disconnected' });
    // The same reader answers next: it stopped by itself and was returned, not replaced.
    expect(await pool.run('threadId', undefined)).toBe(before);
  });

  it('ends a reader that does not stop by its budget plus the grace, and replaces it', async () => {
    ({ pool } = fixture.open({ DATABASE_MAX_CONNECTIONS: '1', DATABASE_MAX_OVERFLOW: '0' }, { stopGraceMs: 50 }));
    const before = await pool.run('threadId', undefined);
    // sleep blocks its thread without polling anything, as a backtracking regex would.
    await expect(pool.run('sleep', { ms: 600_000 }, { budgetMs: 50, timeoutError: searchTimedOut })).rejects.toMatchObject({ code: 'timeout' });
    const after = await pool.run('threadId', undefined);
    expect(after).not.toBe(before);
    expect(pool.status()).toMatchObject({ created: 2, size: 1, checked_out: 0 });
  });
});
