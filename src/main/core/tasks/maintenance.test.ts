import { afterEach, describe, expect, it } from 'vitest';
import type { LogEntry } from '../../../shared/types';
import type { Disposable } from '../base/lifecycle';
import { SinkLogger } from '../log/logger';
import { periodicGc } from '../monitor/periodic-gc';
import { scheduleMaintenance } from './maintenance';
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
    maintenance = scheduleMaintenance({ tasks, cleanupIntervalMs: 40, jobs: [{ type: 'periodic_gc', intervalMs: 60, run: () => periodicGc(() => ++collections > 0, logger) }] });
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

  it('schedules nothing but the cleanup when no other job is given (GC not exposed)', async () => {
    const logger = new SinkLogger('debug', []);
    const tasks = new TaskManager({ logger });
    maintenance = scheduleMaintenance({ tasks, cleanupIntervalMs: 10_000 });
    await sleep(100);
    expect(tasks.list()).toEqual([]);
  });
});
