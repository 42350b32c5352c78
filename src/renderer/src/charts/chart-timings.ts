import { SeriesRing } from '../lib/series-ring';

/**
 * How long chart updates take (setData to the end of the draw), kept in a small ring so the
 * e2e test can read real figures from the page without any extra instrumentation.
 */
const timings = new SeriesRing(512);

export function recordChartUpdate(milliseconds: number): void {
  timings.push(milliseconds);
}

export interface ChartTimingSummary {
  readonly count: number;
  readonly meanMs: number;
  readonly medianMs: number;
  readonly p95Ms: number;
  readonly maxMs: number;
}

/** Summary of the last (up to) 512 chart updates. */
export function chartUpdateTimings(): ChartTimingSummary {
  const values = Array.from(timings.view()).sort((a, b) => a - b);
  if (values.length === 0) {
    return { count: 0, meanMs: 0, medianMs: 0, p95Ms: 0, maxMs: 0 };
  }
  const sum = values.reduce((total, value) => total + value, 0);
  return {
    count: values.length,
    meanMs: sum / values.length,
    medianMs: values[Math.floor(values.length / 2)] ?? 0,
    p95Ms: values[Math.min(values.length - 1, Math.floor(values.length * 0.95))] ?? 0,
    maxMs: values[values.length - 1] ?? 0,
  };
}

export function resetChartTimings(): void {
  timings.clear();
}

/** Points drawn by each live chart, by its label; read by the e2e test ("the graph has points"). */
const pointCounts = new Map<string, number>();

export function recordChartPoints(label: string, count: number): void {
  pointCounts.set(label, count);
}

export function forgetChart(label: string): void {
  pointCounts.delete(label);
}

export function chartPointCounts(): Record<string, number> {
  return Object.fromEntries(pointCounts);
}
