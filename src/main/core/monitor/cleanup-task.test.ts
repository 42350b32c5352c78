import { afterEach, describe, expect, it } from 'vitest';
import type { LogEntry, TaskInfo } from '../../../shared/types';
import { createTestCore, type TestCore } from '../../../../test/helpers/test-core';

describe('the threshold cleanup', () => {
  let test: TestCore | undefined;
  afterEach(async () => {
    await test?.close();
  });

  it('runs as a tracked memory_cleanup task and logs the seed line', async () => {
    // Any heap is over a 1 MB threshold, so the first sample triggers a cleanup.
    test = createTestCore({ MEMORY_THRESHOLD_MB: '1', STATS_INTERVAL_MS: '50' }, { logToFile: false });
    const core = test.core;
    await expect
      .poll(async () => {
        const tasks = await core.dispatch('listTasks', {});
        return tasks.ok ? (tasks.value as TaskInfo[]).filter((task) => task.type === 'memory_cleanup').map((task) => task.status) : [];
      })
      .toContain('completed');
    const logs = await core.dispatch('getLogs', { level: 'info' });
    expect(logs.ok && (logs.value as LogEntry[]).some((entry) => entry.message === 'Memory cleanup performed')).toBe(true);
  });
});
