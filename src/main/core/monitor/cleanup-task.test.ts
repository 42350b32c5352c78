import { afterEach, describe, expect, it } from 'vitest';
import { valueOf } from '../../../../test/helpers/core-api';
import { createTestCore, type TestCore } from '../../../../test/helpers/test-core';
import { makeTempDir, writeRepo } from '../../../../test/helpers/make-repo';

describe('the threshold cleanup', () => {
  let test: TestCore | undefined;
  let repo: ReturnType<typeof makeTempDir> | undefined;
  afterEach(async () => {
    await test?.close();
    repo?.remove();
  });

  it('runs as a tracked memory_cleanup task and logs the seed line with the RSS before and after', async () => {
    // Any process is over a 1 MB threshold, so the first sample triggers a cleanup.
    test = createTestCore({ MEMORY_THRESHOLD_MB: '1', STATS_INTERVAL_MS: '50' }, { logToFile: false });
    const core = test.core;
    await expect.poll(async () => (await valueOf(core.api.listTasks({}))).filter((task) => task.type === 'memory_cleanup').map((task) => task.status)).toContain('completed');
    const logs = await valueOf(core.api.getLogs({ level: 'info' }));
    const line = logs.find((entry) => entry.message === 'Memory cleanup performed');
    expect(line?.fields).toMatchObject({ reason: 'threshold', threshold_mb: 1 });
    expect(line?.fields?.rss_before_mb).toBeGreaterThan(1);
    expect(line?.fields?.rss_after_mb).toBeGreaterThan(1);
  });

  it('closes idle reader threads beyond one in the running app, and the next search still works', async () => {
    repo = makeTempDir();
    writeRepo(repo.path, { 'a.txt': 'alpha beta\n', 'b.txt': 'beta gamma\n' });
    // Default threshold, samples a minute apart: only the cleanup asked for below runs.
    test = createTestCore({ STATS_INTERVAL_MS: '60000' }, { logToFile: false });
    const core = test.core;
    const { taskId } = await valueOf(core.api.startIndexing({ path: repo.path }));
    await expect.poll(async () => (await valueOf(core.api.listTasks({}))).find((task) => task.id === taskId)?.status, { timeout: 30_000 }).toBe('completed');
    // A burst opens several readers.
    await Promise.all(Array.from({ length: 4 }, () => valueOf(core.api.search({ query: 'beta', mode: 'literal' }))));
    // Every reader the burst opened is open and idle (none still opening).
    await expect
      .poll(async () => {
        const status = await valueOf(core.api.getPoolStatus({}));
        return status.size > 1 && status.size === status.idle;
      })
      .toBe(true);
    const report = await core.monitor.relieve();
    expect(report.listeners).toBeGreaterThan(0);
    const pool = await valueOf(core.api.getPoolStatus({}));
    expect(pool.size).toBe(1);
    expect(pool.idle_closed).toBeGreaterThan(0);
    const logs = await valueOf(core.api.getLogs({ level: 'info' }));
    expect(logs.find((entry) => entry.message === 'Reader pool released memory')?.fields).toMatchObject({ readers: 1 });
    const page = await valueOf(core.api.search({ query: 'beta', mode: 'literal' }));
    expect(page.matches).toHaveLength(2);
  });
});
