import { EventEmitter } from 'node:events';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { startHeapWorker } from './testing';
import { readOwnHeap, WorkerRegistry } from './worker-heaps';

const MIB = 1024 * 1024;
const workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((worker) => worker.terminate()));
});

describe('readOwnHeap', () => {
  it('reads this isolate heap', () => {
    const heap = readOwnHeap();
    expect(heap.heapUsed).toBeGreaterThan(1 * MIB);
    expect(heap.heapTotal).toBeGreaterThanOrEqual(heap.heapUsed);
  });
});

describe('WorkerRegistry', () => {
  it('reads a real worker heap through its owner provider, and forgets the worker when it exits', async () => {
    const started = await startHeapWorker(24 * MIB);
    workers.push(started.worker);
    const registry = new WorkerRegistry();
    registry.watch({ name: 'reader', worker: started.worker, readHeap: started.readHeap });
    const [heap] = await registry.readAll(2000);
    expect(heap?.name).toBe('reader');
    expect(heap?.threadId).toBe(started.worker.threadId);
    // The worker holds 24 MiB; its heap must show it, and the main heap is not what was read.
    expect(heap?.heapUsed).toBeGreaterThan(24 * MIB);
    expect(heap?.heapUsed).toBeLessThan(24 * MIB + 40 * MIB);
    await started.worker.terminate();
    await new Promise((resolve) => setImmediate(resolve));
    expect(registry.list()).toEqual([]);
    expect(await registry.readAll(100)).toEqual([]);
  });

  it('uses Worker.getHeapStatistics where the runtime has it', async () => {
    const worker = Object.assign(new EventEmitter(), {
      threadId: 7,
      getHeapStatistics: async () => ({ used_heap_size: 11, total_heap_size: 22, external_memory: 33 }),
    }) as unknown as Worker;
    const registry = new WorkerRegistry();
    registry.watch({ name: 'native', worker });
    expect(await registry.readAll(100)).toEqual([{ threadId: 7, name: 'native', heapUsed: 11, heapTotal: 22, external: 33 }]);
  });

  it('leaves out a worker that does not answer in time, and one it cannot read', async () => {
    const silent = Object.assign(new EventEmitter(), { threadId: 8 }) as unknown as Worker;
    const registry = new WorkerRegistry();
    registry.watch({ name: 'hung', worker: silent, readHeap: () => new Promise(() => {}) });
    registry.watch({ name: 'unreadable', worker: silent });
    const started = performance.now();
    expect(await registry.readAll(50)).toEqual([]);
    expect(performance.now() - started).toBeLessThan(500);
    expect(registry.list().map((entry) => entry.name)).toEqual(['hung', 'unreadable']);
  });

  it('stops watching when the registration is disposed', async () => {
    const worker = Object.assign(new EventEmitter(), { threadId: 9 }) as unknown as Worker;
    const registry = new WorkerRegistry();
    const registration = registry.watch({ name: 'w', worker, readHeap: async () => ({ heapUsed: 1, heapTotal: 2, external: 3 }) });
    expect(await registry.readAll(100)).toHaveLength(1);
    await registration.dispose();
    expect(await registry.readAll(100)).toEqual([]);
    expect((worker as unknown as EventEmitter).listenerCount('exit')).toBe(0);
  });
});
