import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TaskInfo } from '../../../shared/types';
import { createTestCore, type TestCore } from '../../../../test/helpers/test-core';
import { nextEvent } from '../../../../test/helpers/core-api';

let opened: TestCore | undefined;
afterEach(async () => {
  await opened?.close();
  opened = undefined;
});

function open(settings: Record<string, string> = {}): TestCore {
  opened = createTestCore(settings, { logToFile: false });
  return opened;
}

function taskEnded(testCore: TestCore, taskId: string): Promise<TaskInfo> {
  return nextEvent(testCore.core.api, 'task', (task) => task.id === taskId && task.finishedAt !== null);
}

describe('task requests through the core', () => {
  it('lists tasks and cancels one by id, pushing task events', async () => {
    const testCore = open();
    const events: TaskInfo[] = [];
    testCore.core.api.on('task', (payload) => events.push(payload));
    const handle = testCore.core.tasks.run('indexing', { repo: '/tmp/r' }, ({ signal }) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error))));
    await Promise.resolve();
    const listed = await testCore.core.api.listTasks({});
    expect(listed.ok && listed.value.map((task) => [task.id, task.type, task.status])).toEqual([[handle.id, 'indexing', 'running']]);
    expect(await testCore.core.api.cancelTask({ taskId: handle.id })).toEqual({ ok: true, value: { cancelled: true } });
    await handle.done.catch(() => {});
    await Promise.resolve();
    expect(await testCore.core.api.cancelTask({ taskId: handle.id })).toEqual({ ok: true, value: { cancelled: false } });
    expect(events.map((task) => task.status)).toEqual(['pending', 'running', 'cancelled']);
    expect(events.at(-1)?.error).toBe('Cancelled by request');
  });

  it('rejects a bad task id with the message the user sees', async () => {
    const testCore = open();
    expect(await testCore.core.api.cancelTask({ taskId: '' })).toEqual({
      ok: false,
      error: { code: 'bad_request', message: 'Invalid argument for cancelTask: taskId: Too small: expected string to have >=1 characters' },
    });
  });

  it('core shutdown forces a task that ignores its signal within SHUTDOWN_TIMEOUT', async () => {
    const testCore = open({ SHUTDOWN_TIMEOUT: '1' });
    const deaf = testCore.core.tasks.run('deaf', {}, () => new Promise(() => {}));
    await new Promise((resolve) => setImmediate(resolve));
    expect(testCore.core.tasks.get(deaf.id)?.status).toBe('running');
    const started = performance.now();
    await testCore.core.shutdown();
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(990);
    expect(elapsed).toBeLessThan(2500);
    expect(testCore.core.tasks.get(deaf.id)).toMatchObject({ status: 'cancelled', error: 'Forced: did not stop within 1000 ms of shutdown' });
  });
});

describe('heap snapshot and profile requests through the core', () => {
  it('takeHeapSnapshot writes into the data folder snapshots by default and runs as a task', async () => {
    const testCore = open();
    const result = await testCore.core.api.takeHeapSnapshot({ target: 'main' });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.path.startsWith(join(testCore.dir, 'snapshots', 'main-'))).toBe(true);
    const ended = await taskEnded(testCore, result.value.taskId);
    expect(ended).toMatchObject({ type: 'heap_snapshot', status: 'completed' });
    expect(statSync(result.value.path).size).toBeGreaterThan(1024 * 1024);
    const logs = await testCore.core.api.getLogs({});
    expect(logs.ok && logs.value.some((entry) => entry.message === `Heap snapshot written to ${result.value.path}`)).toBe(true);
  });

  it('takeHeapSnapshot of a worker fails with not_found when no worker runs', async () => {
    const testCore = open();
    expect(await testCore.core.api.takeHeapSnapshot({ target: 'worker' })).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'No worker thread is running to take a heap snapshot of; start indexing first' },
    });
  });

  it('takeHeapProfile records for the given seconds into a folder under the snapshots folder', async () => {
    const testCore = open();
    const directory = join(testCore.dir, 'snapshots', 'profiles');
    const result = await testCore.core.api.takeHeapProfile({ seconds: 1, directory });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.path.startsWith(join(directory, 'main-'))).toBe(true);
    expect(existsSync(result.value.path)).toBe(false);
    const ended = await taskEnded(testCore, result.value.taskId);
    expect(ended).toMatchObject({ type: 'heap_profile', status: 'completed', progress: 1 });
    expect(statSync(result.value.path).size).toBeGreaterThan(100);
  });

  it('takeHeapProfile rejects seconds outside 1..600 with the message the user sees', async () => {
    const testCore = open();
    expect(await testCore.core.api.takeHeapProfile({ seconds: 0 })).toEqual({
      ok: false,
      error: { code: 'bad_request', message: 'Invalid argument for takeHeapProfile: seconds: Too small: expected number to be >=1' },
    });
  });
});
