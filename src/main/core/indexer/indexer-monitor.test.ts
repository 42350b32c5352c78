import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { WorkerMemory } from '../../../shared/types';
import { generateRepo, makeTempDir } from '../../../../test/helpers/make-repo';
import { createTestCore, type TestCore } from '../../../../test/helpers/test-core';

let testCore: TestCore | undefined;
let temp: ReturnType<typeof makeTempDir> | undefined;
afterEach(async () => {
  await testCore?.close();
  temp?.remove();
  testCore = undefined;
  temp = undefined;
});

describe('indexer threads and the memory monitor, through the core', () => {
  it('shows the heaps of the busy writer and of the reader threads in the stats while a run lasts', async () => {
    temp = makeTempDir();
    const root = join(temp.path, 'repo');
    generateRepo(root, { seed: 21, files: 1000, lines: 120 });
    // Small batches make the run last long enough to be sampled many times; one reader thread.
    // STATS_INTERVAL_MS bounds how long one read of the threads' heaps may wait (a busy writer
    // answers with its next progress message): 50 ms, so a read never takes a second of the run.
    testCore = createTestCore({ MAX_DOCUMENTS_PER_BATCH: '2', MAX_CONTENT_LENGTH: '2000', GITBOT_INDEX_WORKERS: '1', STATS_INTERVAL_MS: '50' }, { logToFile: false });
    const { core } = testCore;
    let running = false;
    let finished = false;
    core.events.subscribe((name) => {
      if (name === 'indexProgress') {
        running = !finished;
      } else if (name === 'indexDone') {
        running = false;
        finished = true;
      }
    });
    const started = await core.api.startIndexing({ path: root });
    expect(started.ok).toBe(true);
    // Thread name → heaps read while the run was going on (after its first progress event).
    const seen = new Map<string, WorkerMemory[]>();
    while (!finished) {
      const heaps = await core.monitor.refreshWorkers();
      if (running) {
        for (const heap of heaps) {
          seen.set(heap.name, [...(seen.get(heap.name) ?? []), heap]);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect([...seen.keys()].sort()).toEqual(['indexer-reader-1', 'indexer-writer']);
    for (const heaps of seen.values()) {
      expect(heaps[0]).toMatchObject({ heapUsed: expect.any(Number), heapTotal: expect.any(Number), external: expect.any(Number) });
      expect(heaps[0]?.heapUsed).toBeGreaterThan(1024 * 1024);
      // Read again and again during the run, not once after the writer's last batch (when it
      // could answer a request itself): its heap comes with its progress messages.
      expect(heaps.length).toBeGreaterThanOrEqual(5);
    }
  });
});
