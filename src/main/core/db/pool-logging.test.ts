import { beforeEach, describe, expect, it } from 'vitest';
import type { AlertEvent } from '../../../shared/types';
import type { ReaderPool } from './pool';
import type { Lease } from './pool-lease';
import type { TestOps } from '../query/pool-test-ops';
import { ManualClock, type RecordingLogger, usePoolFixture, waitFor } from './pool-test-helpers';

describe('ReaderPool logs', () => {
  let pool: ReaderPool<TestOps> | undefined;
  let logger: RecordingLogger;
  let clock: ManualClock;

  const fixture = usePoolFixture();

  beforeEach(() => {
    clock = new ManualClock();
  });

  const usageWarnings = (): string[] => logger.messages('warn').filter((message) => message.startsWith('High connection usage'));

  it("warns with the seed's text at 90% usage, at most once per DATABASE_POOL_WARN_INTERVAL", async () => {
    const alerts: AlertEvent[] = [];
    ({ pool, logger } = fixture.open({}, { now: clock.now, onAlert: (alert) => alerts.push(alert) }));
    const leases: Lease<TestOps>[] = [];
    for (let index = 0; index < 17; index++) {
      leases.push(await pool.acquire(`holder ${index}`));
    }
    expect(usageWarnings()).toEqual([]);

    leases.push(await pool.acquire('eighteenth'));
    expect(usageWarnings()).toEqual(['High connection usage detected: 18/20 connections checked out (90.0%)']);
    expect(alerts).toEqual([{ time: clock.time, kind: 'pool_usage', message: 'High connection usage detected: 18/20 connections checked out (90.0%)', value: 90 }]);

    leases.push(await pool.acquire('nineteenth'));
    clock.advance(59_999);
    leases.push(await pool.acquire('twentieth'));
    expect(usageWarnings()).toHaveLength(1);

    clock.advance(1);
    leases.push(await pool.acquire('first overflow'));
    expect(usageWarnings()).toEqual(['High connection usage detected: 18/20 connections checked out (90.0%)', 'High connection usage detected: 21/20 connections checked out (105.0%)']);
    expect(pool.status()).toMatchObject({ checked_out: 21, overflow: 1, size: 21 });
    for (const lease of leases) {
      lease.release();
    }
    expect(pool.status()).toMatchObject({ checked_out: 0, overflow: 0, size: 20, idle: 20 });
  });

  it('does not warn below 90%', async () => {
    ({ pool, logger } = fixture.open({ DATABASE_MAX_CONNECTIONS: '10' }, { now: clock.now }));
    const leases = await Promise.all(Array.from({ length: 8 }, (_, index) => pool!.acquire(`holder ${index}`)));
    expect(usageWarnings()).toEqual([]);
    leases.push(await pool.acquire('ninth'));
    expect(usageWarnings()).toEqual(['High connection usage detected: 9/10 connections checked out (90.0%)']);
    for (const lease of leases) {
      lease.release();
    }
  });

  it('reports a connection held past DATABASE_POOL_LEAK_TIMEOUT as a probable leak, once, naming who acquired it', async () => {
    ({ pool, logger } = fixture.open({ DATABASE_POOL_LEAK_TIMEOUT: '60' }, { now: clock.now }));
    const leaked = await pool.acquire('search "needle" from the dashboard');
    const returned = await pool.acquire('listRepositories');
    clock.advance(30_000);
    returned.release();
    clock.advance(30_000);
    pool.maintain();
    pool.maintain();
    expect(logger.entries.filter((entry) => entry.message.startsWith('Probable connection leak'))).toEqual([
      {
        time: expect.any(Number),
        level: 'warn',
        message: 'Probable connection leak: connection 1 checked out for 60.0 s by "search "needle" from the dashboard"',
        fields: { connection: 1, label: 'search "needle" from the dashboard', held_ms: 60_000 },
      },
    ]);
    leaked.release();
  });

  it('finds leaks on its own timer', async () => {
    ({ pool, logger } = fixture.open({ DATABASE_POOL_LEAK_TIMEOUT: '1' }));
    const leaked = await pool.acquire('forgotten lease');
    await waitFor(() => logger.messages('warn').some((message) => message.startsWith('Probable connection leak')), 3000);
    expect(logger.messages('warn').find((message) => message.startsWith('Probable connection leak'))).toMatch(/^Probable connection leak: connection 1 checked out for 1\.\d s by "forgotten lease"$/);
    leaked.release();
  });

  it('logs queries slower than DATABASE_SLOW_QUERY_MS with their duration, and no others', async () => {
    ({ pool, logger } = fixture.open({ DATABASE_SLOW_QUERY_MS: '100' }));
    await pool.run('sql', { sql: 'SELECT count(*) FROM items' });
    await pool.run('sleep', { ms: 150 }, { label: 'slow search' });
    const slow = logger.entries.filter((entry) => entry.message.startsWith('Slow query'));
    expect(slow).toHaveLength(1);
    const duration = slow[0]?.fields?.duration_ms as number;
    expect(duration).toBeGreaterThanOrEqual(150);
    expect(slow[0]?.message).toBe(`Slow query: sleep took ${duration.toFixed(1)} ms`);
    expect(slow[0]?.fields).toMatchObject({ op: 'sleep', label: 'slow search', connection: 1 });
  });
});
