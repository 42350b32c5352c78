import { afterEach, expect, it } from 'vitest';
import type { HealthReport } from '../src/shared/health';
import { createTestCore, type TestCore } from './helpers/test-core';

let test: TestCore | undefined;

afterEach(async () => {
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
