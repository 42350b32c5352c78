import type { StatsSample } from '../../../shared/types';
import { idlePoolStatus } from '../../../shared/health';
import { chartPointCounts, chartUpdateTimings, resetChartTimings, type ChartTimingSummary } from '../charts/chart-timings';
import type { StatsStore } from '../lib/stats-store';

/** What the e2e tests may call on `window.__gitbotTest` (only with `?e2e=1` in the address). */
export interface GitbotTestHook {
  /** Pushes `count` synthetic 1 Hz samples after the newest one, `perFrame` at a time between frames. */
  pushSamples(count: number, perFrame?: number): Promise<number>;
  sampleCount(): number;
  chartTimings(): ChartTimingSummary;
  resetChartTimings(): void;
  /** Points each live chart drew last, by the chart's accessible label. */
  chartPoints(): Record<string, number>;
}

declare global {
  interface Window {
    __gitbotTest?: GitbotTestHook;
  }
}

/**
 * Installs the test hook when the page was opened with `?e2e=1`. Samples go through the
 * same store and charts as the live stream, so the measurements are the real path.
 */
export function installTestHook(store: StatsStore, search: string): void {
  if (new URLSearchParams(search).get('e2e') !== '1') {
    return;
  }
  window.__gitbotTest = {
    async pushSamples(count, perFrame = 60) {
      let pushed = 0;
      while (pushed < count) {
        const batch = Math.min(perFrame, count - pushed);
        for (let index = 0; index < batch; index += 1) {
          store.push(syntheticSample(store.latest, pushed + index));
        }
        pushed += batch;
        await new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
      }
      // One more frame so the last batch is drawn.
      await new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
      return store.sampleCount;
    },
    sampleCount: () => store.sampleCount,
    chartTimings: chartUpdateTimings,
    resetChartTimings,
    chartPoints: chartPointCounts,
  };
}

const MEBIBYTE = 1024 * 1024;

function syntheticSample(previous: StatsSample | null, index: number): StatsSample {
  const wave = Math.sin(index / 30);
  const base = previous ?? null;
  const heapUsed = 40 * MEBIBYTE + wave * 8 * MEBIBYTE;
  return {
    time: (base?.time ?? Date.now()) + 1000,
    main: {
      rss: 120 * MEBIBYTE + wave * 10 * MEBIBYTE,
      heapUsed,
      heapTotal: 64 * MEBIBYTE,
      external: 4 * MEBIBYTE + wave * MEBIBYTE,
      arrayBuffers: MEBIBYTE,
      vmSize: 900 * MEBIBYTE,
      rssAnonymous: 75 * MEBIBYTE + wave * 10 * MEBIBYTE,
      rssFileBacked: 45 * MEBIBYTE,
    },
    percent: 1.5,
    heapLimit: 4096 * MEBIBYTE,
    thresholdBytes: base?.thresholdBytes ?? 100 * MEBIBYTE,
    eventLoop: { delayP50Ms: 10 + wave, delayP99Ms: 12 + 2 * wave, utilization: 0.05 },
    gc: index % 120 === 0 ? [{ time: (base?.time ?? Date.now()) + 1000, kind: 'major', durationMs: 3 }] : [],
    workers: base?.workers ?? [],
    processes: base?.processes ?? [],
    pool: base?.pool ?? idlePoolStatus({ max_connections: 5 }),
    tasks: base?.tasks ?? { active: 0, total: 0 },
  };
}
