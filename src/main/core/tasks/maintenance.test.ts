import { afterEach, describe, expect, it } from 'vitest';
import type { LogEntry } from '../../../shared/types';
import type { Disposable } from '../lifecycle';
import { SinkLogger } from '../log/logger';
import { periodicGc, scheduleMaintenance } from './maintenance';
import { TaskManager } from './task-manager';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('scheduleMaintenance', () => {
  let maintenance: Disposable | undefined;
  afterEach(async () => {
    await maintenance?.dispose();
  });

  it('runs cleanup and GC periodically as tracked tasks, logging the seed lines', async () => {
    const logs: LogEntry[] = [];
    const logger = new SinkLogger('debug', [(entry) => logs.push(entry)]);
    const tasks = new TaskManager({ logger, historyLimit: 2 });
    for (let i = 0; i < 5; i += 1) {
      await tasks.run('short', {}, async () => i).done;
    }
    let collections = 0;
    maintenance = scheduleMaintenance({ tasks, logger, cleanupIntervalMs: 40, gcIntervalMs: 60, collectGarbage: () => ++collections > 0 });
    await sleep(200);
    await maintenance.dispose();
    const counted = tasks.list().filter((task) => task.type === 'short').length;
    // Pruning keeps the history at its limit even as the periodic tasks themselves finish.
    expect(counted).toBeLessThanOrEqual(2);
    expect(logs.some((entry) => /^Cleaned up \d+ old background tasks$/.test(entry.message))).toBe(true);
    expect(collections).toBeGreaterThanOrEqual(2);
    expect(logs.filter((entry) => entry.message === 'Memory cleanup performed')).toHaveLength(collections);
    const types = new Set(tasks.list().map((task) => task.type));
    expect(types.has('periodic_cleanup') || types.has('periodic_gc')).toBe(true);

    // Disposed: no more runs.
    const before = collections;
    await sleep(150);
    expect(collections).toBe(before);
  });

  it('schedules no GC task where GC is not exposed', async () => {
    const logger = new SinkLogger('debug', []);
    const tasks = new TaskManager({ logger });
    maintenance = scheduleMaintenance({ tasks, logger, cleanupIntervalMs: 10_000, gcIntervalMs: 20 });
    await sleep(100);
    expect(tasks.list()).toEqual([]);
  });

  it('periodicGc says whether it collected and logs the heap before and after', () => {
    const logs: LogEntry[] = [];
    const logger = new SinkLogger('debug', [(entry) => logs.push(entry)]);
    expect(periodicGc(() => false, logger)).toBe(false);
    expect(logs).toEqual([]);
    expect(periodicGc(() => true, logger)).toBe(true);
    expect(logs).toHaveLength(1);
    expect(logs[0]?.message).toBe('Memory cleanup performed');
    expect(logs[0]?.fields).toMatchObject({ reason: 'periodic' });
    expect(logs[0]?.fields?.heap_before_mb).toBeGreaterThan(0);
  });
});
