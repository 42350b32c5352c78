import { totalmem } from 'node:os';
import { monitorEventLoopDelay, performance, type IntervalHistogram } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import type { PoolStatus } from '../../../shared/health';
import type { AlertEvent, CleanupSummary, GcEvent, ProcessMemory, StatsSample, V8HeapFigures, WorkerMemory } from '../../../shared/types';
import { Emitter } from '../../../shared/event';
import { toDisposable, type Disposable } from '../base/lifecycle';
import { silentLogger, type Logger } from '../log/logger';
import { RingBuffer } from '../log/ring-buffer';
import { collectGarbage } from './gc';
import { trimMalloc } from './malloc-trim';
import { GcObserver } from './gc-observer';
import { LeakDetector, type LeakDetectorOptions } from './leak-detector';
import { readProcessStatus, rssPercent, toMb } from './process-memory';
import { WorkerRegistry, type WatchedWorker } from './worker-heaps';

/** What a pressure listener is told when a cleanup runs. */
export interface MemoryPressure {
  readonly reason: CleanupReport['reason'];
  /** The whole process's RSS (all threads) when the cleanup began. */
  readonly rss: number;
  readonly thresholdBytes: number;
}

/**
 * Called by every cleanup (the process's RSS over MEMORY_THRESHOLD_MB, or a request), before
 * the main thread's GC: drop a cache, collect a worker's heap, close idle threads, shrink
 * batches. It may be async; the cleanup waits for it (errors are logged, never thrown).
 */
export type PressureListener = (pressure: MemoryPressure) => void | Promise<void>;

export interface CleanupReport {
  readonly reason: 'threshold' | 'request';
  readonly heapBefore: number;
  readonly heapAfter: number;
  /** The whole process's RSS before the listeners ran and after the GC. */
  readonly rssBefore: number;
  readonly rssAfter: number;
  readonly listeners: number;
  readonly collected: boolean;
}

export interface MemoryMonitorOptions {
  readonly intervalMs: number;
  readonly historySeconds: number;
  /** MEMORY_THRESHOLD_MB in bytes: the whole process's RSS above which cleanup runs. */
  readonly thresholdBytes: number;
  /** ALERT_PERCENT of MEMORY_LIMIT_MB in bytes: RSS above which `memory_alert` fires. Default 80% of system memory. */
  readonly alertBytes?: number;
  /** LEAK_WINDOW_SECONDS in ms. Default 10 minutes. */
  readonly leakWindowMs?: number;
  /** Fine-tuning of the leak detector (tests use small figures). */
  readonly leak?: Omit<LeakDetectorOptions, 'windowMs'>;
  /** Least time between two threshold cleanups, so a heap that stays high is not collected every sample. Default 30 s. */
  readonly cleanupCooldownMs?: number;
  readonly pool: () => PoolStatus;
  readonly tasks: () => { active: number; total: number };
  /** Heaps of worker threads from an owner that reports them itself; see also addWorkerSource and watchWorker. */
  readonly workers?: () => readonly WorkerMemory[];
  /**
   * The threads watched (watchWorker): given when threads are registered before the monitor
   * exists (core.ts makes it first, so the indexer and the pool can come before the monitor).
   */
  readonly workerRegistry?: WorkerRegistry;
  /** Every process of the app; only the Electron shell can supply it. */
  readonly processes?: () => readonly ProcessMemory[];
  readonly onSample: (sample: StatsSample) => void;
  /** A periodic sample failed (EMFILE when descriptors run out): told, and sampling goes on. */
  readonly onSampleError?: (error: unknown) => void;
  readonly onAlert?: (alert: AlertEvent) => void;
  readonly logger?: Logger;
  /**
   * Runs background work as a tracked task (the task manager's `run`), so a threshold cleanup
   * shows in listTasks like every other job. Without it the cleanup runs untracked.
   */
  readonly runTask?: <T>(type: string, work: () => Promise<T>) => Promise<T>;
  /** Runs a full GC; default global.gc where exposed. */
  readonly collectGarbage?: () => boolean;
  /** Returns the C allocator's free pages to the system after the GC; default malloc_trim(0) (malloc-trim.ts). */
  readonly trimMalloc?: () => boolean;
  /** The whole process's RSS now; process.memoryUsage.rss by default (tests inject figures). */
  readonly readRss?: () => number;
  readonly now?: () => number;
}

const defaultLeakWindowMs = 600_000;
const defaultCleanupCooldownMs = 30_000;
/** The alert re-arms once RSS falls this far below the alert level, so it does not flap. */
const alertHysteresis = 0.95;

/**
 * Samples the process at a fixed interval and keeps a bounded history for late dashboards.
 * When the whole process's RSS is over MEMORY_THRESHOLD_MB it asks pressure listeners to let
 * go (every thread's cleanup) and collects garbage; over the alert level it raises
 * `memory_alert`; a rising post-GC heap raises `possible_leak`.
 */
export class MemoryMonitor implements Disposable {
  private readonly history: RingBuffer<StatsSample>;
  private readonly delay: IntervalHistogram;
  private readonly workerRegistry: WorkerRegistry;
  // A pressure event collects each listener's work, so the cleanup can wait for all of it.
  private readonly pressureEmitter = new Emitter<MemoryPressure & { readonly waitUntil: (work: Promise<void>) => void }>();
  private readonly reliefEmitter = new Emitter<void>({ onListenerError: (error) => this.logger.warn(`A memory relief listener failed: ${String(error)}`) });
  private readonly workerSources = new Set<() => readonly WorkerMemory[]>();
  private readonly leaks: LeakDetector;
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly alertBytes: number;
  private gcObserver: GcObserver | undefined;
  private lastUtilization = performance.eventLoopUtilization();
  private timer: NodeJS.Timeout | undefined;
  private workerHeaps: readonly WorkerMemory[] = [];
  private sampling = false;
  private cleaning: Promise<CleanupReport> | undefined;
  private lastCleanupAt = -Infinity;
  /** The latest cleanup while RSS has not yet been seen back under the threshold. */
  private lastCleanup: CleanupSummary | null = null;
  private alerted = false;
  private disposed = false;

  constructor(private readonly options: MemoryMonitorOptions) {
    this.workerRegistry = options.workerRegistry ?? new WorkerRegistry();
    this.history = new RingBuffer(Math.max(1, Math.ceil((options.historySeconds * 1000) / options.intervalMs)));
    this.delay = monitorEventLoopDelay({ resolution: 10 });
    this.leaks = new LeakDetector({ windowMs: options.leakWindowMs ?? defaultLeakWindowMs, ...options.leak });
    this.logger = options.logger ?? silentLogger;
    this.now = options.now ?? Date.now;
    this.alertBytes = options.alertBytes ?? Math.round(totalmem() * 0.8);
    if (options.workers !== undefined) this.workerSources.add(options.workers);
  }

  start(): void {
    if (this.timer !== undefined || this.disposed) return;
    this.delay.enable();
    this.gcObserver = new GcObserver((event) => this.onMajorGc(event));
    this.timer = setInterval(() => void this.tick(), this.options.intervalMs);
    this.timer.unref();
  }

  /**
   * Registers a listener called by every cleanup: when a sample finds the process's RSS over
   * MEMORY_THRESHOLD_MB (at most once per cooldown), and on request. The cleanup waits for the
   * listener's work before the main thread's GC; what it gives back is the listener's own
   * (core.ts wires the reader pool and the indexer). Dispose the result to unsubscribe.
   */
  onPressure(listener: PressureListener): Disposable {
    return this.pressureEmitter.event(({ waitUntil, ...pressure }) => waitUntil(Promise.resolve(pressure).then(listener)));
  }

  /** Registers a listener called when a sample finds RSS back under the threshold after a cleanup (batches may grow again). */
  onRelief(listener: () => void): Disposable {
    return this.reliefEmitter.event(listener);
  }

  /** True while the latest cleanup left the RSS over the threshold and no sample since was under it. */
  get stillOverAfterCleanup(): boolean {
    return this.lastCleanup?.stillOver === true;
  }

  /** Registers a worker thread: its heap joins every sample and it can be snapshotted. */
  watchWorker(entry: WatchedWorker): Disposable {
    return this.workerRegistry.watch(entry);
  }

  /**
   * Adds a synchronous source of worker heaps, e.g. the pool's `workerMemory()` (figures its
   * readers report with every reply). A thread reported by both a source and watchWorker
   * appears once, with the figures watchWorker read.
   */
  addWorkerSource(source: () => readonly WorkerMemory[]): Disposable {
    this.workerSources.add(source);
    return toDisposable(() => {
      this.workerSources.delete(source);
    });
  }

  /** Workers registered with watchWorker, oldest first. */
  watchedWorkers(): readonly WatchedWorker[] {
    return this.workerRegistry.list();
  }

  /** Reads every watched worker's heap now; the next sample carries the figures. */
  async refreshWorkers(): Promise<readonly WorkerMemory[]> {
    this.workerHeaps = await this.workerRegistry.readAll(Math.min(1000, this.options.intervalMs));
    return this.workerHeaps;
  }

  /** Takes one sample now, records it in the history, acts on thresholds and returns it. */
  sample(): StatsSample {
    const memory = process.memoryUsage();
    const { vmSize, resident } = readProcessStatus();
    const rss = this.options.readRss?.() ?? memory.rss;
    this.noteRelief(rss);
    const utilization = performance.eventLoopUtilization(this.lastUtilization);
    this.lastUtilization = performance.eventLoopUtilization();
    const heap = getHeapStatistics();
    const sample: StatsSample = {
      time: this.now(),
      main: {
        rss,
        heapUsed: memory.heapUsed,
        heapTotal: memory.heapTotal,
        external: memory.external,
        arrayBuffers: memory.arrayBuffers,
        vmSize,
        rssAnonymous: resident.anonymous,
        rssFileBacked: resident.fileBacked,
      },
      percent: rssPercent(rss),
      heapLimit: heap.heap_size_limit,
      thresholdBytes: this.options.thresholdBytes,
      alertBytes: this.alertBytes,
      eventLoop: {
        delayP50Ms: nanosToMs(this.delay.percentile(50)),
        delayP99Ms: nanosToMs(this.delay.percentile(99)),
        utilization: utilization.utilization,
      },
      gc: this.gcObserver?.take().events ?? [],
      workers: this.collectWorkerHeaps(),
      processes: this.options.processes?.() ?? [],
      pool: this.options.pool(),
      tasks: this.options.tasks(),
      v8: toV8Figures(heap),
      lastCleanup: this.lastCleanup,
    };
    this.delay.reset();
    this.history.push(sample);
    this.act(sample);
    return sample;
  }

  latest(): StatsSample {
    return this.history.last() ?? this.sample();
  }

  recent(seconds?: number): StatsSample[] {
    const all = this.history.toArray();
    if (seconds === undefined) return all;
    const since = this.now() - seconds * 1000;
    return all.filter((sample) => sample.time >= since);
  }

  /**
   * The threshold cleanup: pressure listeners first (so what they drop is garbage), then a
   * full GC where exposed; logs the seed's `Memory cleanup performed` and raises
   * `memory_cleanup`. Concurrent calls share one run.
   */
  relieve(reason: CleanupReport['reason'] = 'request'): Promise<CleanupReport> {
    const runTask = this.options.runTask;
    const cleanup = (): Promise<CleanupReport> => this.runCleanup(reason);
    this.cleaning ??= (runTask === undefined ? cleanup() : runTask('memory_cleanup', cleanup)).finally(() => {
      this.cleaning = undefined;
    });
    return this.cleaning;
  }

  /** Feeds the leak detector with the heap right after a major GC; public for tests and for GC the monitor cannot observe. */
  recordMajorGc(time: number, heapUsed: number): void {
    const verdict = this.leaks.record(time, heapUsed);
    if (verdict === null) return;
    const windowMinutes = Math.round((this.options.leakWindowMs ?? defaultLeakWindowMs) / 600) / 100;
    const message =
      `Possible memory leak: the heap after major GC rose ${toMb(verdict.slopeBytesPerMinute)} MB per minute ` +
      `over ${windowMinutes} min (${toMb(verdict.growthBytes)} MB, ${verdict.samples} collections)`;
    this.logger.warn(message, { slope_bytes_per_minute: Math.round(verdict.slopeBytesPerMinute), samples: verdict.samples, fit: Math.round(verdict.fit * 1000) / 1000 });
    this.alert('possible_leak', message, Math.round(verdict.slopeBytesPerMinute));
  }

  /** Stops every timer and observer at once: nothing here waits, so any shutdown deadline is met. */
  dispose(): void {
    this.disposed = true;
    clearInterval(this.timer);
    this.timer = undefined;
    this.delay.disable();
    this.gcObserver?.dispose();
    this.gcObserver = undefined;
    this.pressureEmitter.dispose();
    this.reliefEmitter.dispose();
  }

  private collectWorkerHeaps(): WorkerMemory[] {
    const byThread = new Map<number, WorkerMemory>();
    for (const source of this.workerSources) {
      try {
        for (const heap of source()) byThread.set(heap.threadId, heap);
      } catch (error) {
        this.logger.debug(`A worker heap source failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    for (const heap of this.workerHeaps) byThread.set(heap.threadId, heap);
    return [...byThread.values()];
  }

  private async tick(): Promise<void> {
    // A slow worker must not pile samples up: skip a tick rather than overlap.
    if (this.sampling) return;
    this.sampling = true;
    try {
      await this.refreshWorkers();
      if (!this.disposed) this.options.onSample(this.sample());
    } catch (error) {
      // Uncaught, one failed sample ended the process; the next tick tries again.
      this.options.onSampleError?.(error);
    } finally {
      this.sampling = false;
    }
  }

  private onMajorGc(event: GcEvent): void {
    this.recordMajorGc(event.time, getHeapStatistics().used_heap_size);
  }

  private act(sample: StatsSample): void {
    const now = this.now();
    const over = sample.main.rss > this.options.thresholdBytes;
    if (over && now - this.lastCleanupAt >= (this.options.cleanupCooldownMs ?? defaultCleanupCooldownMs)) {
      this.lastCleanupAt = now;
      void this.relieve('threshold');
    }
    if (!this.alerted && sample.main.rss >= this.alertBytes) {
      this.alerted = true;
      const percent = Math.round((sample.main.rss / this.alertBytes) * 1000) / 10;
      const message = `Memory alert: RSS ${toMb(sample.main.rss)} MB is ${percent}% of the ${toMb(this.alertBytes)} MB alert level`;
      this.logger.warn(message, { rss_mb: toMb(sample.main.rss), alert_mb: toMb(this.alertBytes) });
      this.alert('memory_alert', message, sample.main.rss);
    } else if (this.alerted && sample.main.rss < this.alertBytes * alertHysteresis) {
      this.alerted = false;
    }
  }

  /** A sample under the threshold ends the latest cleanup's "still over" state: batches may grow again. */
  private noteRelief(rss: number): void {
    if (rss <= this.options.thresholdBytes && this.lastCleanup !== null && this.cleaning === undefined) {
      this.lastCleanup = null;
      this.reliefEmitter.fire();
    }
  }

  private readRss(): number {
    return this.options.readRss?.() ?? process.memoryUsage.rss();
  }

  private async runCleanup(reason: CleanupReport['reason']): Promise<CleanupReport> {
    const heapBefore = process.memoryUsage().heapUsed;
    const rssBefore = this.readRss();
    const pressure: MemoryPressure = { reason, rss: rssBefore, thresholdBytes: this.options.thresholdBytes };
    const work: Promise<void>[] = [];
    this.pressureEmitter.fire({ ...pressure, waitUntil: (promise) => work.push(promise) });
    const results = await Promise.allSettled(work);
    for (const result of results) {
      if (result.status === 'rejected') {
        this.logger.warn(`A memory pressure listener failed: ${result.reason instanceof Error ? result.reason.message : String(result.reason)}`);
      }
    }
    const collected = (this.options.collectGarbage ?? collectGarbage)();
    // Last: what the GC and the listeners freed (closed readers, SQLite pages) is free to return now.
    const trimmed = (this.options.trimMalloc ?? trimMalloc)();
    const heapAfter = process.memoryUsage().heapUsed;
    const rssAfter = this.readRss();
    const report: CleanupReport = { reason, heapBefore, heapAfter, rssBefore, rssAfter, listeners: work.length, collected };
    const stillOver = rssAfter > this.options.thresholdBytes;
    this.lastCleanup = { time: this.now(), rssBefore, rssAfter, stillOver };
    this.logger.info('Memory cleanup performed', {
      reason,
      rss_before_mb: toMb(rssBefore),
      rss_after_mb: toMb(rssAfter),
      heap_before_mb: toMb(heapBefore),
      heap_after_mb: toMb(heapAfter),
      threshold_mb: toMb(this.options.thresholdBytes),
      listeners: work.length,
      gc: collected,
      malloc_trim: trimmed,
    });
    this.alert(
      'memory_cleanup',
      `Memory cleanup performed: RSS ${toMb(rssBefore)} MB → ${toMb(rssAfter)} MB, main heap ${toMb(heapBefore)} MB → ${toMb(heapAfter)} MB (threshold ${toMb(this.options.thresholdBytes)} MB)`,
      rssAfter,
    );
    return report;
  }

  private alert(kind: AlertEvent['kind'], message: string, value: number | null): void {
    this.options.onAlert?.({ time: this.now(), kind, message, value });
  }
}

function toV8Figures(heap: ReturnType<typeof getHeapStatistics>): V8HeapFigures {
  return {
    totalHeapSize: heap.total_heap_size,
    usedHeapSize: heap.used_heap_size,
    heapSizeLimit: heap.heap_size_limit,
    mallocedMemory: heap.malloced_memory,
    externalMemory: heap.external_memory,
    nativeContexts: heap.number_of_native_contexts,
    detachedContexts: heap.number_of_detached_contexts,
  };
}

const nanosToMs = (nanos: number): number => (Number.isFinite(nanos) ? Math.round(nanos / 1e4) / 100 : 0);
