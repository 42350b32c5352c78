import { describe, expect, it, vi } from 'vitest';
import { MB, statsSample } from '../test-utils/fake-api';
import { MarkerKind, StatsStore } from './stats-store';

describe('StatsStore', () => {
  it('records main-process memory and exposes a window of it as uPlot data', () => {
    const store = new StatsStore({ capacity: 10 });
    for (let second = 0; second < 5; second += 1) {
      store.push(statsSample(1_000_000 + second * 1000, 80 + second));
    }
    const [time, rss] = store.mainSeries.window(2, ['rss']);
    expect(Array.from(time ?? [])).toEqual([1002, 1003, 1004]);
    expect(Array.from(rss ?? []).map((bytes) => bytes / MB)).toEqual([82, 83, 84]);
  });

  it('ignores samples not newer than the newest (history and live stream overlap)', () => {
    const store = new StatsStore({ capacity: 10 });
    expect(store.push(statsSample(2000))).toBe(true);
    expect(store.push(statsSample(2000))).toBe(false);
    expect(store.push(statsSample(1000))).toBe(false);
    expect(store.sampleCount).toBe(1);
  });

  it('stays at its capacity however many samples arrive', () => {
    const store = new StatsStore({ capacity: 100 });
    for (let index = 0; index < 3600; index += 1) {
      store.push(statsSample(index * 1000 + 1));
    }
    expect(store.mainSeries.time.length).toBe(100);
    expect(store.mainSeries.window(3600, ['rss'])[0]?.length).toBe(100);
  });

  it('loads history, keeping a live sample newer than it', () => {
    const store = new StatsStore({ capacity: 10 });
    store.push(statsSample(5000, 90));
    store.load([statsSample(3000, 70), statsSample(4000, 80)]);
    expect(Array.from(store.mainSeries.ring('rss').view()).map((bytes) => bytes / MB)).toEqual([70, 80, 90]);
    expect(store.latest?.time).toBe(5000);
  });

  it('tracks each worker and app process as its own source and drops the least recent beyond the limit', () => {
    const store = new StatsStore({ capacity: 10, maxSources: 3 });
    const worker = (threadId: number) => ({ threadId, name: 'indexer', heapUsed: MB, heapTotal: 2 * MB, external: 0 });
    store.push(statsSample(1000, 80, { workers: [worker(1)] }));
    store.push(statsSample(2000, 80, { workers: [worker(2)], processes: [{ pid: 42, type: 'GPU', name: 'gpu-process', workingSet: 50 * MB, cpuPercent: 1 }] }));
    expect(store.sources.map((source) => source.key)).toEqual(['main', 'worker:2', 'process:42']);
    expect(store.sources[1]?.label).toBe('indexer #2');
    expect(Array.from(store.source('process:42')?.ring('workingSet').view() ?? [])).toEqual([50 * MB]);
    expect(() => store.source('process:42')?.ring('rss')).toThrow('A process source has no rss series');
  });

  it('turns major GCs and memory alerts into markers, and notifies subscribers', () => {
    const store = new StatsStore({ capacity: 10 });
    const listener = vi.fn();
    const unsubscribe = store.subscribe(listener);
    store.push(
      statsSample(1000, 80, {
        gc: [
          { time: 900, kind: 'major', durationMs: 4 },
          { time: 950, kind: 'minor', durationMs: 1 },
        ],
      }),
    );
    store.addAlert({ time: 1500, kind: 'memory_cleanup', message: 'Memory cleanup performed', value: null });
    store.addAlert({ time: 1600, kind: 'pool_usage', message: 'pool at 95%', value: 0.95 });
    const seen: [number, number][] = [];
    store.markers.forEachBetween(0, 10_000, (time, kind) => seen.push([time, kind]));
    expect(seen).toEqual([
      [900, MarkerKind.gc],
      [1500, MarkerKind.cleanup],
    ]);
    expect(listener).toHaveBeenCalledTimes(2);
    unsubscribe();
    store.push(statsSample(2000));
    expect(listener).toHaveBeenCalledTimes(2);
  });
});
