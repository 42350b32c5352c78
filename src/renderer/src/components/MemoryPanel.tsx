import { useCallback, useId, useState } from 'react';
import type uPlot from 'uplot';
import type { StatsSample } from '../../../shared/types';
import { TimeSeriesChart, type ChartSeries } from '../charts/TimeSeriesChart';
import type { Palette } from '../charts/palette';
import { formatMegabytes, formatMilliseconds, formatPercent } from '../lib/format';
import { MarkerKind, type SourceInfo, type StatsStore } from '../lib/stats-store';
import { useLatestSample, useSources, useStoreValue } from '../hooks/use-stats';
import { MemoryTable } from './MemoryTable';
import { EmptyState, Panel } from './Panel';

const MEBIBYTE = 1024 * 1024;
/** Round megabyte steps for the memory axis. */
const megabyteSteps = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10_000].map((step) => step * MEBIBYTE);
/** Millisecond steps for the event-loop axis. */
const millisecondSteps = [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000];

/** The chart windows the user can pick, in seconds. */
export const timeWindows = [
  { seconds: 60, label: '1 min' },
  { seconds: 300, label: '5 min' },
  { seconds: 900, label: '15 min' },
  { seconds: 3600, label: '1 h' },
] as const;

const rssSeries: readonly ChartSeries[] = [{ label: 'RSS', color: 0, width: 2 }];
const heapSeries: readonly ChartSeries[] = [
  { label: 'Heap used', color: 1 },
  { label: 'Heap total', color: 2, dash: [4, 3] },
  { label: 'External', color: 3 },
];
const processSeries: readonly ChartSeries[] = [{ label: 'Working set', color: 0, width: 2 }];
const delaySeries: readonly ChartSeries[] = [
  { label: 'p50', color: 4 },
  { label: 'p99', color: 5, width: 2 },
];

/** Live memory of every process and thread, with history, threshold and GC/cleanup/alert markers. */
export function MemoryPanel({ store }: { readonly store: StatsStore }) {
  // The panel re-renders when a sample starts or ends a source, not on every sample: the values,
  // the table and the charts below follow the samples on their own.
  const hasSample = useStoreValue(store, (current) => current.latest !== null);
  const liveKeyList = useStoreValue(store, (current) => liveKeysOf(current.latest).join('\n'));
  const sources = useSources(store);
  const [windowSeconds, setWindowSeconds] = useState<number>(60);
  const [sourceKey, setSourceKey] = useState('main');
  const source = sources.find((candidate) => candidate.key === sourceKey) ?? sources[0];
  const selectId = useId();
  // Only sources in the latest sample (and the one shown): ended threads are folded in the table.
  const liveKeys = new Set(liveKeyList.split('\n'));
  const choices = sources.filter((candidate) => liveKeys.has(candidate.key) || candidate.key === source?.key);

  const subscribe = useCallback((listener: () => void) => store.subscribe(listener), [store]);
  // Resident memory (RSS, or an app process's working set) on its own scale, heaps on theirs:
  // one shared axis flattened the heap lines at zero under a large RSS.
  const readResident = useCallback(
    (seconds: number): uPlot.AlignedData => {
      const series = store.source(source?.key ?? 'main') ?? store.mainSeries;
      return series.info.kind === 'process' ? series.window(seconds, ['workingSet']) : store.mainSeries.window(seconds, ['rss']);
    },
    [store, source?.key],
  );
  const readHeap = useCallback(
    (seconds: number): uPlot.AlignedData => (store.source(source?.key ?? 'main') ?? store.mainSeries).window(seconds, ['heapUsed', 'heapTotal', 'external']),
    [store, source?.key],
  );
  const readDelay = useCallback((seconds: number): uPlot.AlignedData => store.mainSeries.window(seconds, ['delayP50', 'delayP99']), [store]);
  // MEMORY_THRESHOLD_MB is compared with the core process's RSS: its line belongs on the RSS chart only.
  const threshold = useCallback(() => (source?.kind === 'process' ? 0 : (store.latest?.thresholdBytes ?? 0)), [store, source?.kind]);
  const decorateResident = useCallback(
    (chart: uPlot, palette: Palette) => {
      drawMarkers(chart, palette, store);
      if (source?.kind !== 'process' && store.latest !== null) {
        drawThreshold(chart, palette, store.latest.thresholdBytes);
      }
    },
    [store, source?.kind],
  );
  const decorateHeap = useCallback((chart: uPlot, palette: Palette) => drawMarkers(chart, palette, store), [store]);

  // What both memory charts share: the store, the window and megabyte axes.
  const megabyteChart = { subscribe, windowSeconds, formatValue: formatAxisMegabytes, formatLegend: formatMegabytes, yIncrements: megabyteSteps } as const;

  const windowPicker = (
    <fieldset className="segmented" aria-label="Time window">
      {timeWindows.map((option) => (
        <label key={option.seconds} className={option.seconds === windowSeconds ? 'segment segment-active' : 'segment'}>
          <input type="radio" name="memory-window" value={option.seconds} checked={option.seconds === windowSeconds} onChange={() => setWindowSeconds(option.seconds)} />
          {option.label}
        </label>
      ))}
    </fieldset>
  );

  return (
    <Panel title="Memory" className="area-memory" actions={windowPicker}>
      {!hasSample ? (
        <EmptyState title="Waiting for the first sample…" hint="The core samples memory every second." />
      ) : (
        <>
          <div className="memory-toolbar">
            <label htmlFor={selectId} className="field-label-inline">
              Process
            </label>
            <select id={selectId} className="select" value={source?.key ?? 'main'} onChange={(event) => setSourceKey(event.target.value)}>
              {choices.map((candidate) => (
                <option key={candidate.key} value={candidate.key}>
                  {candidate.label}
                </option>
              ))}
            </select>
            <MarkerLegend />
          </div>
          <LatestValues store={store} source={source} />
          <div className="memory-layout">
            <div className="memory-charts">
              {source?.kind !== 'worker' && (
                <>
                  <h3 className="subheading">{source?.kind === 'process' ? 'Working set' : 'RSS of the core process (all threads)'}</h3>
                  <TimeSeriesChart
                    key={`resident:${source?.key ?? 'main'}`}
                    label={`Memory of ${source?.label ?? 'Main process'}`}
                    series={source?.kind === 'process' ? processSeries : rssSeries}
                    read={readResident}
                    {...megabyteChart}
                    minimumMax={threshold}
                    decorate={decorateResident}
                    height={160}
                  />
                </>
              )}
              {source?.kind !== 'process' && (
                <>
                  <h3 className="subheading">{source?.kind === 'worker' ? `Heap of ${source.label}` : 'Heap of the main thread'}</h3>
                  <TimeSeriesChart
                    key={`heap:${source?.key ?? 'main'}`}
                    label={source?.kind === 'worker' ? `Memory of ${source.label}` : 'Heap of Main process'}
                    series={heapSeries}
                    read={readHeap}
                    {...megabyteChart}
                    decorate={decorateHeap}
                    height={150}
                  />
                </>
              )}
            </div>
            <MemoryTable store={store} selected={source?.key ?? 'main'} onSelect={setSourceKey} />
          </div>
          <h3 className="subheading">Event-loop delay</h3>
          <EventLoopValues store={store} />
          <TimeSeriesChart
            label="Event-loop delay of the main process"
            series={delaySeries}
            read={readDelay}
            subscribe={subscribe}
            windowSeconds={windowSeconds}
            formatValue={formatAxisMilliseconds}
            formatLegend={formatMilliseconds}
            yIncrements={millisecondSteps}
            height={130}
          />
        </>
      )}
    </Panel>
  );
}

/** "40 MB" on the axis (round steps), "40.2 MB" in the legend. */
function formatAxisMegabytes(bytes: number): string {
  const megabytes = bytes / MEBIBYTE;
  return Number.isInteger(megabytes) ? `${megabytes} MB` : formatMegabytes(bytes);
}

/** "50 ms" on the axis, "0.5 ms" below one. */
function formatAxisMilliseconds(value: number): string {
  return value >= 1 || value === 0 ? `${Math.round(value)} ms` : `${value} ms`;
}

/** The keys of the sources in a sample: main, its worker threads, the app's processes. */
function liveKeysOf(sample: StatsSample | null): string[] {
  return ['main', ...(sample?.workers ?? []).map((worker) => `worker:${worker.threadId}`), ...(sample?.processes ?? []).map((process) => `process:${process.pid}`)];
}

/** The newest event-loop figures of the main process. */
function EventLoopValues({ store }: { readonly store: StatsStore }) {
  const sample = useLatestSample(store);
  if (sample === null) {
    return null;
  }
  return (
    <p className="values-line num">
      <span>p50 {formatMilliseconds(sample.eventLoop.delayP50Ms)}</span>
      <span>p99 {formatMilliseconds(sample.eventLoop.delayP99Ms)}</span>
      <span>Utilization {formatPercent(sample.eventLoop.utilization)}</span>
    </p>
  );
}

/** The newest figures of the selected source as text, e.g. "RSS 85.2 MB". */
function LatestValues({ store, source }: { readonly store: StatsStore; readonly source: SourceInfo | undefined }) {
  const sample = useLatestSample(store);
  if (sample === null) {
    return null;
  }
  // [label, value]: the label is the React key, unique per list (two labels shared "Heap" before).
  let values: readonly (readonly [string, string])[];
  if (source === undefined || source.kind === 'main') {
    values = [
      ['RSS', formatMegabytes(sample.main.rss)],
      ...(sample.main.rssAnonymous === null || sample.main.rssFileBacked === null
        ? []
        : ([
            ['Anonymous', formatMegabytes(sample.main.rssAnonymous)],
            ['File-backed', formatMegabytes(sample.main.rssFileBacked)],
          ] as const)),
      ['Heap used', formatMegabytes(sample.main.heapUsed)],
      ['Heap total', formatMegabytes(sample.main.heapTotal)],
      ['External', formatMegabytes(sample.main.external)],
      ['System', `${sample.percent.toFixed(1)}% of system memory`],
    ];
  } else if (source.kind === 'worker') {
    const worker = sample.workers.find((candidate) => `worker:${candidate.threadId}` === source.key);
    values =
      worker === undefined
        ? [['Ended', 'Thread has exited']]
        : [
            ['Heap used', formatMegabytes(worker.heapUsed)],
            ['Heap total', formatMegabytes(worker.heapTotal)],
            ['External', formatMegabytes(worker.external)],
          ];
  } else {
    const process = sample.processes.find((candidate) => `process:${candidate.pid}` === source.key);
    values =
      process === undefined
        ? [['Ended', 'Process has exited']]
        : [
            ['Working set', formatMegabytes(process.workingSet)],
            ['CPU', `${process.cpuPercent.toFixed(1)}%`],
          ];
  }
  return (
    <ul className="values-line num" aria-label="Latest memory values">
      {values.map(([label, value]) => (
        <li key={label}>{label === 'System' || label === 'Ended' ? value : `${label} ${value}`}</li>
      ))}
    </ul>
  );
}

function MarkerLegend() {
  return (
    <ul className="marker-legend" aria-label="Chart markers">
      <li>
        <span className="swatch swatch-threshold" aria-hidden="true" />
        Threshold
      </li>
      <li>
        <span className="swatch swatch-gc" aria-hidden="true" />
        Major GC
      </li>
      <li>
        <span className="swatch swatch-cleanup" aria-hidden="true" />
        Cleanup
      </li>
      <li>
        <span className="swatch swatch-alert" aria-hidden="true" />
        Alert
      </li>
    </ul>
  );
}

function drawThreshold(chart: uPlot, palette: Palette, bytes: number): void {
  if (!(bytes > 0)) {
    return;
  }
  const { ctx, bbox } = chart;
  const y = Math.round(chart.valToPos(bytes, 'y', true)) + 0.5;
  if (y < bbox.top || y > bbox.top + bbox.height) {
    return;
  }
  ctx.save();
  ctx.strokeStyle = palette.threshold;
  ctx.lineWidth = 1 * devicePixelRatio;
  ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
  ctx.beginPath();
  ctx.moveTo(bbox.left, y);
  ctx.lineTo(bbox.left + bbox.width, y);
  ctx.stroke();
  ctx.fillStyle = palette.threshold;
  ctx.font = `${11 * devicePixelRatio}px system-ui, sans-serif`;
  ctx.textAlign = 'right';
  ctx.fillText(`threshold ${formatMegabytes(bytes)}`, bbox.left + bbox.width - 4, y - 4 * devicePixelRatio);
  ctx.restore();
}

function drawMarkers(chart: uPlot, palette: Palette, store: StatsStore): void {
  const min = chart.scales.x?.min;
  const max = chart.scales.x?.max;
  if (min === undefined || max === undefined || store.markers.length === 0) {
    return;
  }
  const { ctx, bbox } = chart;
  ctx.save();
  ctx.lineWidth = 1 * devicePixelRatio;
  store.markers.forEachBetween(min * 1000, max * 1000, (time, kind) => {
    const x = Math.round(chart.valToPos(time / 1000, 'x', true)) + 0.5;
    ctx.strokeStyle = kind === MarkerKind.gc ? palette.markerGc : kind === MarkerKind.cleanup ? palette.markerCleanup : palette.markerAlert;
    ctx.setLineDash(kind === MarkerKind.gc ? [2 * devicePixelRatio, 3 * devicePixelRatio] : []);
    ctx.beginPath();
    ctx.moveTo(x, bbox.top);
    ctx.lineTo(x, bbox.top + bbox.height);
    ctx.stroke();
  });
  ctx.restore();
}
