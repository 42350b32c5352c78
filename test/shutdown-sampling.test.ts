import { afterEach, expect, it } from 'vitest';
import { createTestCore, type TestCore } from './helpers/test-core';

let test: TestCore | undefined;

afterEach(async () => {
  await test?.close();
});

/**
 * `gitbot serve` stopping logged "Memory sampling failed: The app is shutting down and accepts
 * no new tasks": a sample taken while shutdown waited for the tasks started a threshold
 * cleanup, which the closed task manager refused. Sampling stops when shutdown begins.
 */
it('shutting down logs no sampling failure while it waits for a task', async () => {
  const logged: string[] = [];
  // Every sample is over a 1 MB threshold, so the first one asks for a cleanup task.
  test = createTestCore({ SHUTDOWN_TIMEOUT: '1', STATS_INTERVAL_MS: '50', MEMORY_THRESHOLD_MB: '1' }, { logToFile: false, logSinks: [(entry) => logged.push(`${entry.level}: ${entry.message}`)] });
  // A task that ignores its cancel keeps shutdown waiting SHUTDOWN_TIMEOUT, many sampling intervals.
  const hold = test.core.tasks.run('hold', {}, () => new Promise<void>(() => undefined));
  hold.done.catch(() => undefined);
  const core = test.core;
  await expect.poll(() => core.tasks.get(hold.id)?.status).toBe('running');
  await core.shutdown();
  expect(logged).toContain(`error: Task hold ${hold.id} did not stop within 1000 ms of shutdown; detaching it`);
  expect(logged.filter((line) => line.includes('Memory sampling failed'))).toEqual([]);
});
