import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TaskInfo } from '../../../shared/types';
import { createTestCore, type TestCore } from '../../../../test/helpers/test-core';
import { nextEvent } from '../../../../test/helpers/core-api';

let testCore: TestCore | undefined;
afterEach(async () => {
  await testCore?.close();
  testCore = undefined;
});

function taskEnded(core: TestCore['core'], taskId: string): Promise<TaskInfo> {
  return nextEvent(core.api, 'task', (task) => task.id === taskId && task.finishedAt !== null);
}

describe('reader threads and the memory monitor, through the core', () => {
  it('registers each reader thread: its heap appears once in the stats, it can be snapshotted, and it is forgotten when it ends', async () => {
    testCore = createTestCore({}, { logToFile: false });
    const { core } = testCore;
    expect(core.monitor.watchedWorkers()).toEqual([]);

    const search = await core.api.search({ query: 'needle', mode: 'literal' });
    expect(search.ok).toBe(true);
    const watched = core.monitor.watchedWorkers();
    expect(watched.map((entry) => entry.name)).toEqual(['reader-worker-1']);
    const threadId = watched[0]?.worker.threadId;

    await core.monitor.refreshWorkers();
    const sample = core.monitor.sample();
    expect(sample.workers.filter((heap) => heap.threadId === threadId)).toEqual([
      { threadId, name: 'reader-worker-1', heapUsed: expect.any(Number), heapTotal: expect.any(Number), external: expect.any(Number) },
    ]);

    const started = await core.api.takeHeapSnapshot({ target: 'worker' });
    if (!started.ok) {
      throw new Error(started.error.message);
    }
    expect(started.value.path.startsWith(join(testCore.dir, 'snapshots', `worker-reader-worker-1-${threadId}-`))).toBe(true);
    expect(await taskEnded(core, started.value.taskId)).toMatchObject({ type: 'heap_snapshot', status: 'completed' });
    const snapshot = JSON.parse(readFileSync(started.value.path, 'utf8')) as { snapshot?: { node_count?: number } };
    expect(snapshot).toHaveProperty('snapshot');
    expect(snapshot.snapshot?.node_count).toBeGreaterThan(1000);

    await core.shutdown();
    expect(core.monitor.watchedWorkers()).toEqual([]);
  });
});
