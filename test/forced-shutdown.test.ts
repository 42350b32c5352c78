import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { TaskInfo } from '../src/shared/types';
import { makeTempDir } from './helpers/make-repo';
import { createTestCore, testWorkers, type TestCore } from './helpers/test-core';
import { nextEvent } from './helpers/core-api';

/** The real threads, except a writer that never yields once a run starts. */
const stuckWriter = (name: Parameters<typeof testWorkers>[0]) =>
  name === 'indexer-worker' ? { filename: resolve(__dirname, 'helpers', 'never-yielding-indexer.ts'), execArgv: ['--require', 'tsx/cjs'] } : testWorkers(name);

/** A short margin past SHUTDOWN_TIMEOUT, so a bound on the whole shutdown tells one deadline from owners that each wait their own. */
const marginMs = 500;
/** Timers fire late on a loaded machine, never early: the slack a bound allows for that. */
const lateTimersMs = 1000;

let test: TestCore | undefined;
let temp: ReturnType<typeof makeTempDir> | undefined;

afterEach(async () => {
  await test?.close();
  temp?.remove();
});

function repo(): string {
  temp = makeTempDir('gitbot-forced-');
  const root = join(temp.path, 'repo');
  mkdirSync(root);
  writeFileSync(join(root, 'stuck.txt'), 'text\n');
  return root;
}

async function task(core: TestCore['core'], taskId: string, status: TaskInfo['status']): Promise<TaskInfo> {
  for (;;) {
    const found = core.tasks.get(taskId);
    if (found?.status === status) return found;
    await new Promise((wait) => setTimeout(wait, 20));
  }
}

async function startStuckRun(core: TestCore['core'], root: string): Promise<string> {
  const started = await core.api.startIndexing({ path: root });
  if (!started.ok) throw new Error(started.error.message);
  const { taskId } = started.value;
  await task(core, taskId, 'running');
  return taskId;
}

it('cancelIndexing ends a run that never yields, and the next run is not queued behind it', async () => {
  test = createTestCore({ SHUTDOWN_TIMEOUT: '1' }, { logToFile: false, workers: stuckWriter });
  const root = repo();
  const first = await startStuckRun(test.core, root);
  const cancelled = await test.core.api.cancelIndexing({ taskId: first });
  expect(cancelled).toEqual({ ok: true, value: { cancelled: true } });
  const ended = await task(test.core, first, 'cancelled');
  expect(['Indexing cancelled by request', 'Forced: did not stop within 1000 ms of being cancelled; its threads were terminated']).toContain(ended.error);
  // A fresh writer takes the next run at once.
  const second = await startStuckRun(test.core, root);
  expect(second).not.toBe(first);
});

it('a run queued behind one that never yields stays pending, and cancelling it leaves that run and its writer alone', async () => {
  test = createTestCore({ SHUTDOWN_TIMEOUT: '1' }, { logToFile: false, workers: stuckWriter, shutdownMarginMs: marginMs });
  const root = repo();
  const first = await startStuckRun(test.core, root);
  const queued = await test.core.api.startIndexing({ path: root });
  if (!queued.ok) throw new Error(queued.error.message);
  const second = queued.value.taskId;
  await new Promise((wait) => setTimeout(wait, 100));
  expect(test.core.tasks.get(second)?.status).toBe('pending');
  expect(await test.core.api.cancelIndexing({ taskId: second })).toEqual({ ok: true, value: { cancelled: true } });
  expect(await task(test.core, second, 'cancelled')).toMatchObject({ error: 'Indexing cancelled by request', startedAt: null });
  // Past the cancel's grace (SHUTDOWN_TIMEOUT): forcing a queued run once terminated the writer of the run before it.
  await new Promise((wait) => setTimeout(wait, 1500));
  expect(test.core.tasks.get(first)?.status).toBe('running');
});

it('core.shutdown() ends within SHUTDOWN_TIMEOUT plus a margin while a run never yields', async () => {
  test = createTestCore({ SHUTDOWN_TIMEOUT: '1' }, { logToFile: false, workers: stuckWriter, shutdownMarginMs: marginMs });
  const taskId = await startStuckRun(test.core, repo());
  const started = Date.now();
  await test.core.shutdown();
  // 1 s to stop, then the margin to terminate the writer. Before the force terminated threads the writer's dispose never ended.
  expect(Date.now() - started).toBeLessThan(1000 + marginMs + lateTimersMs);
  expect(test.core.tasks.get(taskId)?.status).toBe('cancelled');
});

it('core.shutdown() ends within SHUTDOWN_TIMEOUT plus the margin while a run and a search both never yield', async () => {
  // A writer that never yields, and a reader whose search never yields either, holding its connection checked out.
  const stuckThreads = (name: Parameters<typeof testWorkers>[0]) =>
    name === 'reader-worker' ? { filename: resolve(__dirname, '../src/main/core/query/never-yielding-reader-worker.ts'), execArgv: ['--require', 'tsx/cjs'] } : stuckWriter(name);
  test = createTestCore({ SHUTDOWN_TIMEOUT: '3', SEARCH_TIMEOUT_MS: '600000' }, { logToFile: false, workers: stuckThreads, shutdownMarginMs: marginMs });
  const taskId = await startStuckRun(test.core, repo());
  const search = test.core.api.search({ query: 'text', mode: 'literal', channel: 'stuck' });
  // Wait until the search holds a reader (checked out), so shutdown has it to wait for.
  for (let attempt = 0; ; attempt++) {
    const health = await test.core.api.getHealth({});
    if (health.ok && health.value.database_pool.checked_out === 1) break;
    if (attempt > 1500) throw new Error(`The search never held a reader: ${JSON.stringify(health)}`);
    await new Promise((wait) => setTimeout(wait, 20));
  }
  const started = Date.now();
  await test.core.shutdown();
  // 3 s to stop + the margin, 4.5 s with late timers. Without one deadline every owner waits its own
  // SHUTDOWN_TIMEOUT: the tasks 3 s, then the pool 3 s more for its checked-out reader, 6 s at least.
  expect(Date.now() - started).toBeLessThan(3000 + marginMs + lateTimersMs);
  expect(test.core.tasks.get(taskId)).toMatchObject({ status: 'cancelled', error: 'Forced: did not stop within 3000 ms of shutdown; its threads were terminated' });
  expect(await search).toMatchObject({ ok: false, error: { code: 'shutting_down' } });
});

it('a writer that dies says where and why, in the task, the run event and the log', async () => {
  const errors: string[] = [];
  const outOfMemory = (name: Parameters<typeof testWorkers>[0]) =>
    name === 'indexer-worker' ? { filename: resolve(__dirname, 'helpers', 'out-of-memory-indexer.ts'), execArgv: ['--require', 'tsx/cjs'] } : testWorkers(name);
  test = createTestCore({}, { logToFile: false, workers: outOfMemory, logSinks: [(entry) => (entry.level === 'error' ? errors.push(entry.message) : undefined)] });
  const done = nextEvent(test!.core.api, 'indexDone');
  const started = await test.core.api.startIndexing({ path: repo() });
  if (!started.ok) throw new Error(started.error.message);
  const { taskId } = started.value;
  const message = "The indexer's writer thread stopped while indexing huge.txt: it ran out of memory (heap limit 16 MB)";
  expect(await done).toMatchObject({ status: 'failed', error: message });
  expect(await task(test.core, taskId, 'failed')).toMatchObject({ error: message });
  expect(errors).toContain(message);
});
