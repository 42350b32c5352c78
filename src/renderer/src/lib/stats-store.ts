import type { AlertEvent, StatsSample } from '../../../shared/types';
import { Emitter, type Event } from '../../../shared/event';
import { lowerBound, SeriesRing } from './series-ring';

/** What a memory source is: the main process, a worker thread, or an app process (Electron). */
export type SourceKind = 'main' | 'worker' | 'process';

/** The metrics recorded for each kind of source, in chart order. */
export const sourceMetrics = {
  main: ['rss', 'heapUsed', 'heapTotal', 'external', 'delayP50', 'delayP99'],
  worker: ['heapUsed', 'heapTotal', 'external'],
  process: ['workingSet'],
} as const satisfies Record<SourceKind, readonly string[]>;

export type MetricName = (typeof sourceMetrics)[SourceKind][number];

export interface SourceInfo {
  readonly key: string;
  readonly kind: SourceKind;
  readonly label: string;
}

/** The history of one source: a time axis (seconds, as uPlot wants) and one ring per metric. */
export class SourceSeries {
  readonly time: SeriesRing;
  private readonly rings = new Map<MetricName, SeriesRing>();
  lastSeen = 0;

  constructor(
    readonly info: SourceInfo,
    capacity: number,
  ) {
    this.time = new SeriesRing(capacity);
    for (const name of sourceMetrics[info.kind]) {
      this.rings.set(name, new SeriesRing(capacity));
    }
  }

  /** The ring of one metric; asking for a metric this kind of source lacks is a bug. */
  ring(name: MetricName): SeriesRing {
    const ring = this.rings.get(name);
    if (ring === undefined) {
      throw new Error(`A ${this.info.kind} source has no ${name} series`);
    }
    return ring;
  }

  /**
   * The samples of the last `windowSeconds` (ending at the newest sample) as uPlot data:
   * zero-copy views, x first, then the metrics in `names` order.
   */
  window(windowSeconds: number, names: readonly MetricName[]): Float64Array[] {
    const time = this.time.view();
    const newest = time[time.length - 1] ?? 0;
    const start = lowerBound(time, newest - windowSeconds);
    return [time.subarray(start), ...names.map((name) => this.ring(name).view().subarray(start))];
  }

  clear(): void {
    this.time.clear();
    for (const ring of this.rings.values()) {
      ring.clear();
    }
  }
}

/** Kinds of markers drawn on the memory chart. */
export const MarkerKind = { gc: 1, cleanup: 2, alert: 3 } as const;
export type MarkerKind = (typeof MarkerKind)[keyof typeof MarkerKind];

/** A fixed-size ring of (time in ms, kind) markers. */
export class MarkerRing {
  private readonly times: Float64Array;
  private readonly kinds: Uint8Array;
  private next = 0;
  private filled = 0;

  constructor(readonly capacity: number) {
    this.times = new Float64Array(capacity);
    this.kinds = new Uint8Array(capacity);
  }

  get length(): number {
    return this.filled;
  }

  push(time: number, kind: MarkerKind): void {
    this.times[this.next] = time;
    this.kinds[this.next] = kind;
    this.next = (this.next + 1) % this.capacity;
    this.filled = Math.min(this.filled + 1, this.capacity);
  }

  /** Calls `visit` for every marker whose time lies in [from, to] milliseconds. */
  forEachBetween(from: number, to: number, visit: (time: number, kind: MarkerKind) => void): void {
    for (let index = 0; index < this.filled; index += 1) {
      const time = this.times[index] ?? 0;
      if (time >= from && time <= to) {
        visit(time, (this.kinds[index] ?? MarkerKind.gc) as MarkerKind);
      }
    }
  }

  clear(): void {
    this.next = 0;
    this.filled = 0;
  }
}

export interface StatsStoreOptions {
  /** Samples kept per source; 3,600 is an hour at the default 1 Hz. */
  readonly capacity?: number;
  /** Worker threads and app processes come and go; the least recently seen is dropped beyond this. */
  readonly maxSources?: number;
  readonly maxMarkers?: number;
}

/**
 * The renderer's memory history. Every series lives in a preallocated ring, so an hour of
 * samples, or a week, costs the same memory. Charts read zero-copy views of the rings.
 */
export class StatsStore {
  readonly capacity: number;
  readonly markers: MarkerRing;
  private readonly maxSources: number;
  private readonly series = new Map<string, SourceSeries>();
  private readonly changed = new Emitter<void>();
  /** Fires after every change the charts must redraw for. */
  readonly onChange: Event<void> = this.changed.event;
  private sourceList: readonly SourceInfo[] = [];
  private newestTime = Number.NEGATIVE_INFINITY;
  private latestSample: StatsSample | null = null;
  private received = 0;

  constructor(options: StatsStoreOptions = {}) {
    this.capacity = options.capacity ?? 3600;
    this.maxSources = options.maxSources ?? 12;
    this.markers = new MarkerRing(options.maxMarkers ?? 512);
    this.mainSeries = new SourceSeries({ key: 'main', kind: 'main', label: 'Main process' }, this.capacity);
    this.series.set('main', this.mainSeries);
    this.sourceList = [this.mainSeries.info];
  }

  readonly mainSeries: SourceSeries;

  /** The newest sample, or null before the first. */
  get latest(): StatsSample | null {
    return this.latestSample;
  }

  /** How many samples were accepted since the store was created (for tests and the e2e hook). */
  get sampleCount(): number {
    return this.received;
  }

  /** Every source with a history, main first; the array changes identity only when the set does. */
  get sources(): readonly SourceInfo[] {
    return this.sourceList;
  }

  source(key: string): SourceSeries | undefined {
    return this.series.get(key);
  }

  /**
   * Records a sample. Samples not newer than the newest one are ignored (the live stream
   * and the history overlap when the dashboard opens). Returns whether it was recorded.
   */
  push(sample: StatsSample): boolean {
    if (!this.record(sample)) {
      return false;
    }
    this.notify();
    return true;
  }

  /** Replaces the history with `samples` (oldest first), keeping anything newer already received. */
  load(samples: readonly StatsSample[]): void {
    const keep = this.latestSample;
    for (const series of this.series.values()) {
      series.clear();
    }
    this.newestTime = Number.NEGATIVE_INFINITY;
    for (const sample of samples) {
      this.record(sample);
    }
    if (keep !== null) {
      this.record(keep);
    }
    this.notify();
  }

  /** Memory alerts become markers; other alerts are not about this chart. */
  addAlert(alert: AlertEvent): void {
    if (alert.kind === 'memory_cleanup') {
      this.markers.push(alert.time, MarkerKind.cleanup);
    } else if (alert.kind === 'memory_alert' || alert.kind === 'possible_leak') {
      this.markers.push(alert.time, MarkerKind.alert);
    } else {
      return;
    }
    this.notify();
  }

  /** `onChange` in the shape useSyncExternalStore wants. */
  subscribe(listener: () => void): () => void {
    const subscription = this.onChange(listener);
    return () => subscription.dispose();
  }

  private record(sample: StatsSample): boolean {
    if (!(sample.time > this.newestTime)) {
      return false;
    }
    this.newestTime = sample.time;
    this.latestSample = sample;
    this.received += 1;
    const seconds = sample.time / 1000;

    const main = this.mainSeries;
    main.time.push(seconds);
    main.ring('rss').push(sample.main.rss);
    main.ring('heapUsed').push(sample.main.heapUsed);
    main.ring('heapTotal').push(sample.main.heapTotal);
    main.ring('external').push(sample.main.external);
    main.ring('delayP50').push(sample.eventLoop.delayP50Ms);
    main.ring('delayP99').push(sample.eventLoop.delayP99Ms);
    main.lastSeen = sample.time;

    for (const worker of sample.workers) {
      const series = this.ensure(`worker:${worker.threadId}`, 'worker', `${worker.name} #${worker.threadId}`);
      series.time.push(seconds);
      series.ring('heapUsed').push(worker.heapUsed);
      series.ring('heapTotal').push(worker.heapTotal);
      series.ring('external').push(worker.external);
      series.lastSeen = sample.time;
    }
    for (const process of sample.processes) {
      const series = this.ensure(`process:${process.pid}`, 'process', `${process.name || process.type} (${process.pid})`);
      series.time.push(seconds);
      series.ring('workingSet').push(process.workingSet);
      series.lastSeen = sample.time;
    }
    for (const gc of sample.gc) {
      if (gc.kind === 'major') {
        this.markers.push(gc.time, MarkerKind.gc);
      }
    }
    return true;
  }

  private ensure(key: string, kind: SourceKind, label: string): SourceSeries {
    const existing = this.series.get(key);
    if (existing !== undefined) {
      return existing;
    }
    if (this.series.size >= this.maxSources) {
      this.evictLeastRecent();
    }
    const created = new SourceSeries({ key, kind, label }, this.capacity);
    this.series.set(key, created);
    this.sourceList = [...this.series.values()].map((series) => series.info);
    return created;
  }

  private evictLeastRecent(): void {
    let oldest: SourceSeries | undefined;
    for (const series of this.series.values()) {
      if (series.info.kind !== 'main' && (oldest === undefined || series.lastSeen < oldest.lastSeen)) {
        oldest = series;
      }
    }
    if (oldest !== undefined) {
      this.series.delete(oldest.info.key);
    }
  }

  private notify(): void {
    this.changed.fire();
  }
}
