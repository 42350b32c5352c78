import { afterEach, describe, expect, it } from 'vitest';
import type { PoolStatus } from '../../../shared/health';
import type { AlertEvent, LogEntry, StatsSample } from '../../../shared/types';
import { SinkLogger } from '../log/logger';
import { MemoryMonitor, type MemoryMonitorOptions } from './memory-monitor';
import { forceGc, startHeapWorker } from './testing';

const MIB = 1024 * 1024;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const pool = { size: 0, checked_out: 0 } as PoolStatus;
/** 16 KiB on the V8 heap: 2048 unboxed doubles (strings made by padEnd share their padding). */
const block = (seed: number): number[] => new Array<number>(2048).fill(seed + 0.5);

let monitor: MemoryMonitor | undefined;
afterEach(() => {
  monitor?.dispose();
  monitor = undefined;
});

function setup(options: Partial<MemoryMonitorOptions> = {}) {
  const samples: StatsSample[] = [];
  const alerts: AlertEvent[] = [];
  const logs: LogEntry[] = [];
  monitor = new MemoryMonitor({
    intervalMs: 1000,
    historySeconds: 60,
    thresholdBytes: 1024 * MIB,
    alertBytes: 1024 * 1024 * MIB,
    pool: () => pool,
    tasks: () => ({ active: 2, total: 5 }),
    onSample: (sample) => samples.push(sample),
    onAlert: (alert) => alerts.push(alert),
    logger: new SinkLogger('debug', [(entry) => logs.push(entry)]),
    collectGarbage: () => false,
    trimMalloc: () => false,
    ...options,
  });
  return { monitor, samples, alerts, logs };
}

describe('MemoryMonitor sampling', () => {
  it('reports process memory, V8 heap statistics, thresholds, the pool and the tasks', () => {
    const { monitor } = setup({ thresholdBytes: 100 * MIB, alertBytes: 800 * MIB });
    const sample = monitor.sample();
    expect(sample.main.heapUsed).toBeGreaterThan(1 * MIB);
    expect(sample.main.rss).toBeGreaterThan(sample.main.heapUsed);
    expect(sample.main.vmSize).toBeGreaterThanOrEqual(sample.main.rss);
    expect(sample.percent).toBeGreaterThan(0);
    expect(sample.percent).toBeLessThan(100);
    expect(sample.thresholdBytes).toBe(100 * MIB);
    expect(sample.alertBytes).toBe(800 * MIB);
    expect(sample.v8?.heapSizeLimit).toBe(sample.heapLimit);
    expect(sample.v8?.usedHeapSize).toBeGreaterThan(1 * MIB);
    expect(sample.v8?.nativeContexts).toBeGreaterThanOrEqual(1);
    expect(sample.tasks).toEqual({ active: 2, total: 5 });
    expect(sample.pool).toBe(pool);
    expect(sample.workers).toEqual([]);
    expect(sample.processes).toEqual([]);
  });

  it('keeps a history bounded by historySeconds / interval and filters it by age', () => {
    let now = 1_000_000;
    const { monitor } = setup({ intervalMs: 1000, historySeconds: 10, now: () => now });
    for (let i = 0; i < 25; i += 1) {
      now += 1000;
      monitor.sample();
    }
    const history = monitor.recent();
    expect(history).toHaveLength(10);
    expect(history[0]?.time).toBe(1_016_000);
    expect(monitor.latest().time).toBe(1_025_000);
    expect(monitor.recent(3).map((sample) => sample.time)).toEqual([1_022_000, 1_023_000, 1_024_000, 1_025_000]);
  });

  it('samples on its interval once started, carries GC events, and stops when disposed', async () => {
    const gc = forceGc();
    const { monitor, samples } = setup({ intervalMs: 50 });
    monitor.start();
    await sleep(80);
    gc();
    await sleep(250);
    monitor.dispose();
    const count = samples.length;
    expect(count).toBeGreaterThanOrEqual(3);
    expect(samples.flatMap((sample) => sample.gc).filter((event) => event.kind === 'major').length).toBeGreaterThanOrEqual(1);
    await sleep(120);
    expect(samples.length).toBe(count);
  });
});

describe('MemoryMonitor threshold cleanup', () => {
  it('asks pressure listeners, collects garbage, logs the seed line and raises memory_cleanup', async () => {
    let collections = 0;
    let now = 0;
    const { monitor, alerts, logs } = setup({ thresholdBytes: 1 * MIB, cleanupCooldownMs: 30_000, collectGarbage: () => ++collections > 0, now: () => now });
    const pressures: number[] = [];
    const subscription = monitor.onPressure((pressure) => {
      pressures.push(pressure.rss);
      expect(pressure.thresholdBytes).toBe(1 * MIB);
      expect(pressure.reason).toBe('threshold');
    });
    monitor.onPressure(async () => {
      throw new Error('cache is locked');
    });
    monitor.sample();
    await sleep(0);
    expect(pressures).toHaveLength(1);
    expect(pressures[0]).toBeGreaterThan(1 * MIB);
    expect(collections).toBe(1);
    const cleanupLog = logs.find((entry) => entry.message === 'Memory cleanup performed');
    expect(cleanupLog?.fields).toMatchObject({ reason: 'threshold', threshold_mb: 1, listeners: 2, gc: true });
    expect(cleanupLog?.fields?.rss_before_mb).toBeGreaterThan(1);
    expect(cleanupLog?.fields?.rss_after_mb).toBeGreaterThan(1);
    expect(logs.find((entry) => entry.level === 'warn')?.message).toBe('A memory pressure listener failed: cache is locked');
    expect(alerts.map((alert) => alert.kind)).toEqual(['memory_cleanup']);

    // Within the cooldown: still over the threshold, but no second cleanup.
    now += 29_999;
    monitor.sample();
    await sleep(0);
    expect(collections).toBe(1);

    now += 1;
    await subscription.dispose();
    monitor.sample();
    await sleep(0);
    expect(collections).toBe(2);
    expect(pressures).toHaveLength(1);
  });

  it("returns the C allocator's free pages last, after the listeners and the GC freed them", async () => {
    const steps: string[] = [];
    const { monitor, logs } = setup({
      thresholdBytes: 1 * MIB,
      collectGarbage: () => steps.push('gc') > 0,
      trimMalloc: () => steps.push('malloc_trim') > 0,
    });
    monitor.onPressure(() => void steps.push('listener'));
    await monitor.relieve();
    expect(steps).toEqual(['listener', 'gc', 'malloc_trim']);
    expect(logs.find((entry) => entry.message === 'Memory cleanup performed')?.fields).toMatchObject({ gc: true, malloc_trim: true });
  });

  it('frees what a listener drops: a 64 MiB cache is gone after the cleanup', async () => {
    const gc = forceGc();
    const { monitor } = setup({ collectGarbage: () => (gc(), true) });
    let cache: number[][] | null = [];
    for (let i = 0; i < 4096; i += 1) cache.push(block(i));
    monitor.onPressure(() => {
      cache = null;
    });
    const report = await monitor.relieve();
    expect(cache).toBeNull();
    expect(report.listeners).toBe(1);
    expect(report.collected).toBe(true);
    expect(report.heapBefore - report.heapAfter).toBeGreaterThan(56 * MIB);
  });

  it('compares the whole process RSS with the threshold, not the main heap', async () => {
    let collections = 0;
    let rss = 90 * MIB;
    const reliefs: number[] = [];
    // A threshold far above the main heap: only the RSS can cross it.
    const { monitor, samples } = setup({ thresholdBytes: 100 * MIB, collectGarbage: () => ++collections > 0, readRss: () => rss, cleanupCooldownMs: 0 });
    monitor.onRelief(() => reliefs.push(rss));
    expect(monitor.sample().main.rss).toBe(90 * MIB);
    await sleep(0);
    expect(collections).toBe(0);

    rss = 130 * MIB;
    monitor.sample();
    await sleep(0);
    expect(collections).toBe(1);
    // The cleanup left the RSS over the threshold: the next sample says so, and health will.
    expect(monitor.stillOverAfterCleanup).toBe(true);
    expect(monitor.sample().lastCleanup).toMatchObject({ rssBefore: 130 * MIB, rssAfter: 130 * MIB, stillOver: true });
    await sleep(0);
    expect(reliefs).toEqual([]);

    rss = 95 * MIB;
    expect(monitor.sample().lastCleanup).toBeNull();
    expect(monitor.stillOverAfterCleanup).toBe(false);
    expect(reliefs).toEqual([95 * MIB]);
    void samples;
  });

  it('does not clean up under the threshold', async () => {
    let collections = 0;
    const { monitor, alerts } = setup({ thresholdBytes: 1024 * 1024 * MIB, collectGarbage: () => ++collections > 0 });
    monitor.sample();
    await sleep(0);
    expect(collections).toBe(0);
    expect(alerts).toEqual([]);
  });
});

describe('MemoryMonitor alerts', () => {
  it('raises memory_alert once when RSS crosses the alert level, not on every sample', () => {
    const { monitor, alerts, logs } = setup({ alertBytes: 1 * MIB });
    monitor.sample();
    monitor.sample();
    monitor.sample();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.kind).toBe('memory_alert');
    expect(alerts[0]?.value).toBeGreaterThan(1 * MIB);
    expect(alerts[0]?.message).toMatch(/^Memory alert: RSS \d+(\.\d)? MB is \d+(\.\d)?% of the 1 MB alert level$/);
    expect(logs.filter((entry) => entry.level === 'warn')).toHaveLength(1);
  });

  it('raises possible_leak with the slope when the heap after each major GC keeps rising', async () => {
    const gc = forceGc();
    const { monitor, alerts } = setup({ leakWindowMs: 600, leak: { minSamples: 4, minGrowthBytes: 4 * MIB } });
    monitor.start();
    const retained: number[][][] = [];
    const started = Date.now();
    const heapStart = process.memoryUsage().heapUsed;
    while (Date.now() - started < 1500 && !alerts.some((alert) => alert.kind === 'possible_leak')) {
      // 2 MiB that survive every GC.
      retained.push(Array.from({ length: 128 }, (_, i) => block(i)));
      gc();
      await sleep(40);
    }
    const leak = alerts.find((alert) => alert.kind === 'possible_leak');
    const elapsedMinutes = (Date.now() - started) / 60_000;
    const observedSlope = (process.memoryUsage().heapUsed - heapStart) / elapsedMinutes;
    expect(leak).toBeDefined();
    expect(leak?.message).toMatch(/^Possible memory leak: the heap after major GC rose [\d.]+ MB per minute over 0\.01 min/);
    // The reported slope is the measured growth rate, within a factor of two.
    expect(leak?.value).toBeGreaterThan(observedSlope / 2);
    expect(leak?.value).toBeLessThan(observedSlope * 2);
    expect(retained.length).toBeGreaterThan(5);
  });

  it('raises no possible_leak when the same allocations are released', async () => {
    const gc = forceGc();
    const { monitor, alerts } = setup({ leakWindowMs: 600, leak: { minSamples: 4, minGrowthBytes: 4 * MIB } });
    monitor.start();
    const started = Date.now();
    let sink = 0;
    while (Date.now() - started < 1500) {
      const garbage = Array.from({ length: 128 }, (_, i) => block(i));
      sink += garbage.length;
      gc();
      await sleep(40);
    }
    expect(sink).toBeGreaterThan(0);
    expect(alerts.filter((alert) => alert.kind === 'possible_leak')).toEqual([]);
  });
});

describe('MemoryMonitor worker heaps', () => {
  it('reports a real worker heap in the sample, once per thread, from a source and from watchWorker', async () => {
    const started = await startHeapWorker(24 * MIB);
    try {
      const { monitor } = setup();
      const fromSource = { threadId: started.worker.threadId, name: 'from-source', heapUsed: 1, heapTotal: 2, external: 3 };
      const other = { threadId: 999, name: 'other', heapUsed: 4, heapTotal: 5, external: 6 };
      const source = monitor.addWorkerSource(() => [fromSource, other]);
      expect(monitor.sample().workers).toEqual([fromSource, other]);
      monitor.watchWorker({ name: 'reader', worker: started.worker, readHeap: started.readHeap });
      const read = await monitor.refreshWorkers();
      expect(read).toHaveLength(1);
      const workers = monitor.sample().workers;
      expect(workers.map((worker) => worker.name)).toEqual(['reader', 'other']);
      expect(workers[0]?.heapUsed).toBeGreaterThan(24 * MIB);
      expect(monitor.watchedWorkers().map((entry) => entry.name)).toEqual(['reader']);
      await source.dispose();
      expect(monitor.sample().workers.map((worker) => worker.name)).toEqual(['reader']);
    } finally {
      await started.worker.terminate();
    }
  });

  it('a failing source does not stop sampling', () => {
    const { monitor } = setup({
      workers: () => {
        throw new Error('pool closed');
      },
    });
    expect(monitor.sample().workers).toEqual([]);
  });
});
