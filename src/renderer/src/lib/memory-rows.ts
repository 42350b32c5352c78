import type { StatsSample } from '../../../shared/types';
import type { MetricName, SourceKind, StatsStore } from './stats-store';

/** One row of the memory table: a process or a thread, with the figure that measures it. */
export interface MemoryRow {
  readonly key: string;
  readonly name: string;
  readonly kind: SourceKind | 'ended';
  /** What `bytes` is: the process's RSS, a thread's heap used, an app process's working set. */
  readonly metric: 'RSS' | 'Heap used' | 'Working set' | '';
  readonly bytes: number | null;
  /** Share of the core process's RSS (threads live inside it), or of all app processes. */
  readonly share: number | null;
  /** Change over the last TREND_SECONDS, in bytes; null without enough history. */
  readonly trend: number | null;
  /** How many ended threads the row folds (the "ended" row only). */
  readonly count?: number;
}

/** The window the trend column compares against. */
export const TREND_SECONDS = 60;

const kindLabels: Readonly<Record<MemoryRow['kind'], string>> = { main: 'Process', worker: 'Thread', process: 'App process', ended: 'Ended' };

export function kindLabel(kind: MemoryRow['kind']): string {
  return kindLabels[kind];
}

function trendOf(store: StatsStore, key: string, metric: MetricName): number | null {
  const series = store.source(key);
  if (series === undefined) {
    return null;
  }
  const [time, values] = series.window(TREND_SECONDS, [metric]);
  if (time === undefined || values === undefined || values.length < 2) {
    return null;
  }
  return (values[values.length - 1] ?? 0) - (values[0] ?? 0);
}

/**
 * Every process and thread of the latest sample as table rows; threads the store still has
 * a history of but that are gone from the sample are folded into one "ended" row.
 */
export function memoryRows(sample: StatsSample, store: StatsStore): MemoryRow[] {
  const rss = sample.main.rss;
  const rows: MemoryRow[] = [{ key: 'main', name: 'Core (main process)', kind: 'main', metric: 'RSS', bytes: rss, share: 1, trend: trendOf(store, 'main', 'rss') }];
  const live = new Set<string>(['main']);
  for (const worker of sample.workers) {
    const key = `worker:${worker.threadId}`;
    live.add(key);
    rows.push({
      key,
      name: `${worker.name} #${worker.threadId}`,
      kind: 'worker',
      metric: 'Heap used',
      bytes: worker.heapUsed,
      share: rss > 0 ? worker.heapUsed / rss : null,
      trend: trendOf(store, key, 'heapUsed'),
    });
  }
  const processTotal = sample.processes.reduce((sum, process) => sum + process.workingSet, 0);
  for (const process of sample.processes) {
    const key = `process:${process.pid}`;
    live.add(key);
    rows.push({
      key,
      name: `${process.name || process.type} (${process.pid})`,
      kind: 'process',
      metric: 'Working set',
      bytes: process.workingSet,
      share: processTotal > 0 ? process.workingSet / processTotal : null,
      trend: trendOf(store, key, 'workingSet'),
    });
  }
  const ended = store.sources.filter((source) => !live.has(source.key)).length;
  if (ended > 0) {
    rows.push({ key: 'ended', name: `Ended threads and processes`, kind: 'ended', metric: '', bytes: null, share: null, trend: null, count: ended });
  }
  return rows;
}

export type MemorySortKey = 'name' | 'kind' | 'bytes' | 'share' | 'trend';

/** Rows sorted by a column; the main process stays first only by its figures, and the ended row always last. */
export function sortMemoryRows(rows: readonly MemoryRow[], key: MemorySortKey, descending: boolean): MemoryRow[] {
  const value = (row: MemoryRow): number | string => (key === 'name' ? row.name : key === 'kind' ? kindLabel(row.kind) : (row[key] ?? Number.NEGATIVE_INFINITY));
  const sorted = rows
    .filter((row) => row.kind !== 'ended')
    .sort((left, right) => {
      const a = value(left);
      const b = value(right);
      const order = typeof a === 'string' || typeof b === 'string' ? String(a).localeCompare(String(b)) : a - b;
      return descending ? -order : order;
    });
  return [...sorted, ...rows.filter((row) => row.kind === 'ended')];
}
