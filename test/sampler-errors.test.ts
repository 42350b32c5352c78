import { afterEach, expect, it, vi } from 'vitest';
import type { HealthReport } from '../src/shared/health';
import { ResourcePool } from '../src/main/core/db/resource-pool';
import { TaskManager } from '../src/main/core/tasks/task-manager';
import { createTestCore, type TestCore } from './helpers/test-core';

let test: TestCore | undefined;

afterEach(async () => {
  vi.restoreAllMocks();
  await test?.close();
});

async function health(core: TestCore['core']): Promise<HealthReport> {
  const result = await core.api.getHealth({});
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

async function until(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 20));
}

it('a periodic sample that throws (EMFILE) is logged, marks health degraded, and sampling goes on', async () => {
  let failing = false;
  const errors: string[] = [];
  const emfile = Object.assign(new Error('EMFILE: too many open files, uv_resident_set_memory'), { code: 'EMFILE' });
  test = createTestCore(
    { STATS_INTERVAL_MS: '50' },
    {
      logToFile: false,
      logSinks: [(entry) => (entry.level === 'error' ? errors.push(entry.message) : undefined)],
      processes: () => {
        if (failing) throw emfile;
        return [];
      },
    },
  );
  const core = test.core;
  // A server that has run a while: samples in the history, then descriptors run out.
  await health(core);
  failing = true;
  const reason = 'Memory sampling failed: EMFILE: too many open files, uv_resident_set_memory (retrying every 50 ms)';
  await until(async () => errors.length >= 2);
  expect(errors[0]).toBe('Memory sampling failed: EMFILE: too many open files, uv_resident_set_memory');
  const failed = await health(core);
  expect(failed.status).not.toBe('healthy');
  expect(failed.reasons).toContain(reason);
  // Descriptors are back: the next sample clears the fault.
  failing = false;
  const stats: unknown[] = [];
  core.events.subscribe((event, payload) => (event === 'stats' ? stats.push(payload) : undefined));
  await until(async () => stats.length > 0);
  expect((await health(core)).reasons).not.toContain(reason);
});

/** A core whose error log lines are collected, with `fail` deciding when the injected job throws. */
function failingCore(settings: Record<string, string>): { core: TestCore['core']; errors: string[] } {
  const errors: string[] = [];
  test = createTestCore(settings, { logToFile: false, logSinks: [(entry) => (entry.level === 'error' ? errors.push(entry.message) : undefined)] });
  return { core: test.core, errors };
}

/** Waits until health lists `reason`, then until a later run of the job has cleared it. */
async function degradedThenCleared(core: TestCore['core'], reason: string, recover: () => void): Promise<void> {
  await until(async () => (await health(core)).reasons.includes(reason));
  expect((await health(core)).status).toBe('degraded');
  recover();
  await until(async () => !(await health(core)).reasons.includes(reason));
}

it('a periodic task cleanup that throws is logged, marks health degraded until a cleanup succeeds, and the job goes on', async () => {
  let failing = true;
  const cleanup = TaskManager.prototype.cleanup;
  vi.spyOn(TaskManager.prototype, 'cleanup').mockImplementation(function (this: TaskManager) {
    if (failing) throw new Error('EMFILE: too many open files');
    return cleanup.call(this);
  });
  const { core, errors } = failingCore({ TASK_CLEANUP_INTERVAL: '1' });
  await degradedThenCleared(core, 'Periodic job periodic_cleanup failed: EMFILE: too many open files (retrying every 1000 ms)', () => (failing = false));
  // Logged once, by the task manager (the job runs as a task); before, health never heard of it.
  expect(new Set(errors.filter((line) => line.includes('EMFILE')))).toEqual(new Set(['Task periodic_cleanup failed: EMFILE: too many open files']));
});

it("a reader pool maintenance that throws is logged, marks health degraded until one succeeds, and the pool's timer goes on", async () => {
  let failing = true;
  const maintain = ResourcePool.prototype.maintain;
  vi.spyOn(ResourcePool.prototype, 'maintain').mockImplementation(function (this: ResourcePool<never>) {
    if (failing) throw new Error('EMFILE: too many open files');
    maintain.call(this);
  });
  // A 1 s idle timeout makes the pool maintain itself every 250 ms. Before, the throw escaped its timer and ended the process.
  const { core, errors } = failingCore({ DATABASE_POOL_IDLE_TIMEOUT: '1' });
  await degradedThenCleared(core, 'Database pool maintenance failed: EMFILE: too many open files (retrying every 250 ms)', () => (failing = false));
  expect(errors).toContain('Database pool maintenance failed: EMFILE: too many open files');
});
