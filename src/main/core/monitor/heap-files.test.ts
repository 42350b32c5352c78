import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SinkLogger } from '../log/logger';
import { TaskManager } from '../tasks/task-manager';
import { startHeapProfile } from './heap-profile';
import { startHeapSnapshot } from './heap-snapshot';
import { startHeapWorker } from './testing';

const MIB = 1024 * 1024;
let directory: string;
let tasks: TaskManager;
const workers: Worker[] = [];
const logger = new SinkLogger('error', []);

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'gitbot-heap-'));
  tasks = new TaskManager({ logger });
});
afterEach(async () => {
  await tasks.shutdown(5000);
  await Promise.all(workers.splice(0).map((worker) => worker.terminate()));
  rmSync(directory, { recursive: true, force: true });
});

/** The head of a .heapsnapshot: `{"snapshot":{"meta":...,"node_count":N,...` */
function snapshotNodeCount(path: string): number {
  const head = readFileSync(path, 'utf8').slice(0, 4000);
  expect(head.startsWith('{"snapshot":{"meta":')).toBe(true);
  return Number(/"node_count":(\d+)/.exec(head)?.[1]);
}

describe('startHeapSnapshot', () => {
  it('writes a main-thread snapshot as a tracked task, into a folder it creates', async () => {
    const target = join(directory, 'nested', 'snapshots');
    const started = startHeapSnapshot({ target: 'main', directory: target }, { tasks, logger, workers: () => [] });
    expect(started.path.startsWith(join(target, `main-${process.pid}-`))).toBe(true);
    expect(started.path.endsWith('.heapsnapshot')).toBe(true);
    expect(tasks.get(started.taskId)?.type).toBe('heap_snapshot');
    await expect(started.done).resolves.toBe(started.path);
    expect(statSync(started.path).size).toBeGreaterThan(1 * MIB);
    expect(snapshotNodeCount(started.path)).toBeGreaterThan(10_000);
    await Promise.resolve();
    expect(tasks.get(started.taskId)).toMatchObject({ status: 'completed', metadata: { target: 'main', path: started.path } });
  });

  it('writes a worker snapshot through worker.getHeapSnapshot(): the worker heap, not the main one', async () => {
    const started = await startHeapWorker(0);
    workers.push(started.worker);
    const dependencies = { tasks, logger, workers: () => [{ name: 'reader', worker: started.worker }] };
    const fromWorker = startHeapSnapshot({ target: 'worker', directory }, dependencies);
    expect(fromWorker.path).toContain(`worker-reader-${started.worker.threadId}-`);
    await fromWorker.done;
    const fromMain = startHeapSnapshot({ target: 'main', directory }, dependencies);
    await fromMain.done;
    // Built here, so this file's source does not hold the marker the worker's heap holds.
    const marker = ['HeapWorker', 'FixtureMarker'].join('');
    expect(readFileSync(fromWorker.path, 'utf8').includes(marker)).toBe(true);
    expect(readFileSync(fromMain.path, 'utf8').includes(marker)).toBe(false);
    expect(snapshotNodeCount(fromWorker.path)).toBeLessThan(snapshotNodeCount(fromMain.path));
    expect(readdirSync(directory)).toHaveLength(2);
  });

  it('refuses a worker snapshot when no worker runs, and a folder that is a file, with the message the user sees', () => {
    expect(() => startHeapSnapshot({ target: 'worker', directory }, { tasks, logger, workers: () => [] })).toThrow('No worker thread is running to take a heap snapshot of; start indexing first');
    const file = join(directory, 'file.txt');
    writeFileSync(file, 'x');
    expect(() => startHeapSnapshot({ target: 'main', directory: file }, { tasks, logger, workers: () => [] })).toThrow(`${file} is not a folder`);
    expect(() => startHeapSnapshot({ target: 'main', directory: join(file, 'below') }, { tasks, logger, workers: () => [] })).toThrow(`${join(file, 'below')} is not a folder`);
    expect(tasks.list()).toEqual([]);
  });
});

describe('startHeapProfile', () => {
  it('records a sampling heap profile for the given seconds and writes it as JSON', async () => {
    const started = startHeapProfile({ seconds: 1, directory, samplingIntervalBytes: 1024 }, { tasks, logger });
    expect(started.path.endsWith('.heapprofile')).toBe(true);
    // Allocation the profile should see while it samples.
    const kept: number[][] = [];
    const timer = setInterval(() => kept.push(new Array<number>(4096).fill(kept.length + 0.5)), 20);
    const begun = performance.now();
    await started.done;
    clearInterval(timer);
    const elapsed = performance.now() - begun;
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeLessThan(5000);
    const profile = JSON.parse(readFileSync(started.path, 'utf8')) as { head: { children: unknown[] }; samples: unknown[] };
    expect(profile.head.children.length).toBeGreaterThan(0);
    expect(profile.samples.length).toBeGreaterThan(10);
    expect(kept.length).toBeGreaterThan(10);
    expect(tasks.get(started.taskId)).toMatchObject({ type: 'heap_profile', status: 'completed', progress: 1 });
  });

  it('allows one profile at a time, and a cancelled one writes nothing and frees the profiler', async () => {
    const first = startHeapProfile({ seconds: 30, directory }, { tasks, logger });
    expect(() => startHeapProfile({ seconds: 1, directory }, { tasks, logger })).toThrow('A heap profile is already being recorded; wait for it to finish or cancel it');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const begun = performance.now();
    tasks.cancel(first.taskId);
    await expect(first.done).rejects.toThrow();
    expect(performance.now() - begun).toBeLessThan(1000);
    await Promise.resolve();
    expect(tasks.get(first.taskId)?.status).toBe('cancelled');
    expect(existsSync(first.path)).toBe(false);
    const second = startHeapProfile({ seconds: 1, directory }, { tasks, logger });
    await expect(second.done).resolves.toBe(second.path);
  });
});
