import { monitorEventLoopDelay, performance, type IntervalHistogram } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import type { PoolStatus } from '../../../shared/health';
import type { ProcessMemory, StatsSample, WorkerMemory } from '../../../shared/types';
import { RingBuffer } from '../log/ring-buffer';
import type { Disposable } from '../lifecycle';
import { readVmSize, rssPercent } from './process-memory';

export interface MemoryMonitorOptions {
  readonly intervalMs: number;
  readonly historySeconds: number;
  readonly thresholdBytes: number;
  readonly pool: () => PoolStatus;
  readonly tasks: () => { active: number; total: number };
  /** Heaps of the worker threads; filled in by their owners. */
  readonly workers?: () => readonly WorkerMemory[];
  /** Every process of the app; only the Electron shell can supply it. */
  readonly processes?: () => readonly ProcessMemory[];
  readonly onSample: (sample: StatsSample) => void;
}

/** Samples the process at a fixed interval and keeps a bounded history for late dashboards. */
export class MemoryMonitor implements Disposable {
  private readonly history: RingBuffer<StatsSample>;
  private readonly delay: IntervalHistogram;
  private lastUtilization = performance.eventLoopUtilization();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: MemoryMonitorOptions) {
    this.history = new RingBuffer(Math.max(1, Math.ceil((options.historySeconds * 1000) / options.intervalMs)));
    this.delay = monitorEventLoopDelay({ resolution: 10 });
  }

  start(): void {
    if (this.timer !== undefined) return;
    this.delay.enable();
    this.timer = setInterval(() => this.options.onSample(this.sample()), this.options.intervalMs);
    this.timer.unref();
  }

  /** Takes one sample now, records it in the history and returns it. */
  sample(): StatsSample {
    const memory = process.memoryUsage();
    const utilization = performance.eventLoopUtilization(this.lastUtilization);
    this.lastUtilization = performance.eventLoopUtilization();
    const sample: StatsSample = {
      time: Date.now(),
      main: { rss: memory.rss, heapUsed: memory.heapUsed, heapTotal: memory.heapTotal, external: memory.external, arrayBuffers: memory.arrayBuffers, vmSize: readVmSize() },
      percent: rssPercent(memory.rss),
      heapLimit: getHeapStatistics().heap_size_limit,
      thresholdBytes: this.options.thresholdBytes,
      eventLoop: {
        delayP50Ms: nanosToMs(this.delay.percentile(50)),
        delayP99Ms: nanosToMs(this.delay.percentile(99)),
        utilization: utilization.utilization,
      },
      gc: [],
      workers: this.options.workers?.() ?? [],
      processes: this.options.processes?.() ?? [],
      pool: this.options.pool(),
      tasks: this.options.tasks(),
    };
    this.delay.reset();
    this.history.push(sample);
    return sample;
  }

  latest(): StatsSample {
    return this.history.last() ?? this.sample();
  }

  recent(seconds?: number): StatsSample[] {
    const all = this.history.toArray();
    if (seconds === undefined) return all;
    const since = Date.now() - seconds * 1000;
    return all.filter((sample) => sample.time >= since);
  }

  dispose(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.delay.disable();
  }
}

const nanosToMs = (nanos: number): number => (Number.isFinite(nanos) ? Math.round(nanos / 1e4) / 100 : 0);
