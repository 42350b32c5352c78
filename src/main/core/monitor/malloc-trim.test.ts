import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./malloc-trim.fixture.ts', import.meta.url));
const MIB = 1024 * 1024;

describe('the malloc_trim lever', () => {
  it('returns freed C allocations below a live one to the system (its own process, glibc tuning as gitbot serve runs)', () => {
    const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', fixture], {
      encoding: 'utf8',
      env: { ...process.env, MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072', MALLOC_TRIM_THRESHOLD_: '131072' },
      timeout: 60_000,
    });
    expect(run.stderr).toBe('');
    const figures = JSON.parse(run.stdout) as { ran: boolean; before: number; after: number };
    expect(figures.ran).toBe(true);
    // 40 MiB were freed; glibc kept them resident until the trim.
    expect(figures.before - figures.after).toBeGreaterThan(24 * MIB);
  });
});
