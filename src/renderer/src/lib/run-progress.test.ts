import { describe, expect, it } from 'vitest';
import type { IndexProgress } from '../../../shared/types';
import { createProgressMemory, progressView } from './run-progress';

const MB = 1024 * 1024;

const progress = (overrides: Partial<IndexProgress>): IndexProgress => ({
  taskId: 't1',
  repo: '/src/repo',
  phase: 'indexing',
  filesDiscovered: 100,
  walkDone: true,
  filesDone: 0,
  bytesDone: 0,
  bytesDiscovered: 100 * MB,
  mbPerSec: 0,
  etaSeconds: null,
  currentFile: null,
  skipped: {},
  ...overrides,
});

describe('progressView ETA', () => {
  it('measures the time left in bytes at a smoothed byte rate, whatever the file counts say', () => {
    const memory = createProgressMemory();
    // 99 of 100 files are done but they were the small ones: 90 MB of one big file remain.
    // The core's own file-based figure (1 s) is not what is shown.
    const first = progressView('t1', progress({ filesDone: 99, bytesDone: 0, mbPerSec: 5, etaSeconds: 1 }), null, 0, memory);
    // No rate measured yet: the core's MB/s stands in.
    expect(first.etaSeconds).toBe(100 / 5);
    const second = progressView('t1', progress({ filesDone: 99, bytesDone: 10 * MB, etaSeconds: 1 }), null, 1000, memory);
    expect(second.percent).toBe(10);
    expect(second.etaSeconds).toBeCloseTo(90 / 10);
    // 20 MB/s over the next second moves the smoothed rate by 30% of the difference: 13 MB/s.
    const third = progressView('t1', progress({ filesDone: 99, bytesDone: 30 * MB, etaSeconds: 1 }), null, 2000, memory);
    expect(third.etaSeconds).toBeCloseTo(70 / 13);
  });

  it('gives no ETA while scanning, and a rate measured then still counts once the total is known', () => {
    const memory = createProgressMemory();
    expect(progressView('t1', progress({ walkDone: false, bytesDone: 0 }), null, 0, memory)).toEqual({ phase: 'scanning', percent: null, etaSeconds: null });
    expect(progressView('t1', progress({ walkDone: false, bytesDone: 4 * MB }), null, 1000, memory).etaSeconds).toBeNull();
    expect(progressView('t1', progress({ bytesDone: 8 * MB }), null, 2000, memory).etaSeconds).toBeCloseTo(92 / 4);
  });

  it('starts over for another run', () => {
    const memory = createProgressMemory();
    progressView('t1', progress({ bytesDone: 0 }), null, 0, memory);
    progressView('t1', progress({ bytesDone: 50 * MB }), null, 1000, memory);
    const next = progressView('t2', progress({ taskId: 't2', bytesDone: 0, mbPerSec: 0 }), null, 2000, memory);
    expect(next).toEqual({ phase: 'indexing', percent: 0, etaSeconds: null });
  });
});
