import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { forgetChart, recordChartPoints, recordChartUpdate } from './chart-timings';
import { onThemeChange, readPalette, type Palette } from './palette';

export interface ChartSeries {
  readonly label: string;
  /** Index into the palette's series colours. */
  readonly color: number;
  readonly width?: number;
  readonly dash?: readonly number[];
}

export interface TimeSeriesChartProps {
  /** Accessible description of the chart, e.g. "Memory of the main process". */
  readonly label: string;
  readonly series: readonly ChartSeries[];
  /** Current data: x (seconds) then one array per series; read on every redraw. */
  readonly read: (windowSeconds: number) => uPlot.AlignedData;
  /** Called on every new sample; the chart redraws at most once per animation frame. */
  readonly subscribe: (listener: () => void) => () => void;
  readonly windowSeconds: number;
  /** Axis tick labels. */
  readonly formatValue: (value: number) => string;
  /** Values in the hover legend; the axis format otherwise. */
  readonly formatLegend?: (value: number) => string;
  /** Allowed y tick steps, e.g. round megabytes; uPlot's decimal steps otherwise. */
  readonly yIncrements?: readonly number[];
  /** Lowest upper bound of the y axis (e.g. the threshold, so its line is always in view). */
  readonly minimumMax?: () => number;
  /** Extra drawing after the series: threshold lines, event markers. */
  readonly decorate?: (chart: uPlot, palette: Palette) => void;
  readonly height?: number;
}

/**
 * A uPlot chart created once per mount and fed with `setData` on the same instance. Data
 * arrives as zero-copy views of ring buffers; redraws are coalesced to one per frame.
 */
export function TimeSeriesChart(props: TimeSeriesChartProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const propsRef = useRef(props);
  propsRef.current = props;
  const redrawRef = useRef<() => void>(() => undefined);
  const { series, height = 180, yIncrements } = props;

  useEffect(() => {
    const container = containerRef.current;
    if (container === null) {
      return undefined;
    }
    let palette = readPalette(container);
    let pendingSince: number | null = null;
    const format = (value: number | null): string => (value === null ? '–' : (propsRef.current.formatLegend ?? propsRef.current.formatValue)(value));

    const options: uPlot.Options = {
      width: Math.max(200, container.clientWidth),
      height,
      legend: { show: true, live: true },
      cursor: { y: false, points: { size: 6 } },
      scales: {
        x: {
          time: true,
          // The axis always ends at the newest sample (now): a window not yet full is empty on
          // the left, never running on into the future.
          range: (_chart, _min, max) => {
            const end = max !== null && Number.isFinite(max) ? max : Date.now() / 1000;
            return [end - propsRef.current.windowSeconds, end];
          },
        },
        y: {
          range: (_chart, _min, max) => {
            const top = Math.max(max !== null && Number.isFinite(max) ? max : 0, propsRef.current.minimumMax?.() ?? 0);
            return [0, top > 0 ? top * 1.12 : 1];
          },
        },
      },
      axes: [
        {
          stroke: () => palette.axis,
          grid: { stroke: () => palette.grid, width: 1 },
          ticks: { show: false },
          font: '11px system-ui, sans-serif',
          space: 70,
          values: (_chart, ticks) => ticks.map((tick) => formatTick(tick, propsRef.current.windowSeconds)),
        },
        {
          stroke: () => palette.axis,
          grid: { stroke: () => palette.grid, width: 1 },
          ticks: { show: false },
          size: 64,
          space: 24,
          font: '11px system-ui, sans-serif',
          ...(yIncrements === undefined ? {} : { incrs: [...yIncrements] }),
          values: (_chart, ticks) => ticks.map((tick) => propsRef.current.formatValue(tick)),
        },
      ],
      series: [
        // The hover legend is the tooltip: the time under the cursor, then each value.
        { label: 'Time', value: (_chart: uPlot, value: number | null) => (value === null ? '–' : new Date(value * 1000).toLocaleTimeString()) },
        ...series.map((item) => ({
          label: item.label,
          stroke: () => palette.series[item.color % palette.series.length] ?? '#888',
          width: item.width ?? 1.5,
          ...(item.dash === undefined ? {} : { dash: [...item.dash] }),
          points: { show: false },
          value: (_chart: uPlot, value: number | null) => format(value),
        })),
      ],
      hooks: {
        draw: [
          (chart) => {
            propsRef.current.decorate?.(chart, palette);
            if (pendingSince !== null) {
              recordChartUpdate(performance.now() - pendingSince);
              pendingSince = null;
            }
          },
        ],
      },
    };

    const label = propsRef.current.label;
    const initial = propsRef.current.read(propsRef.current.windowSeconds);
    const chart = new uPlot(options, initial, container);
    recordChartPoints(label, initial[0]?.length ?? 0);

    const redraw = (): void => {
      pendingSince = performance.now();
      const data = propsRef.current.read(propsRef.current.windowSeconds);
      chart.setData(data);
      recordChartPoints(label, data[0]?.length ?? 0);
    };
    redrawRef.current = redraw;

    let frame: number | null = null;
    const unsubscribe = propsRef.current.subscribe(() => {
      if (frame === null) {
        frame = requestAnimationFrame(() => {
          frame = null;
          redraw();
        });
      }
    });

    const resizeObserver = typeof ResizeObserver === 'function' ? new ResizeObserver(() => chart.setSize({ width: Math.max(200, container.clientWidth), height })) : null;
    resizeObserver?.observe(container);

    const stopTheme = onThemeChange(() => {
      palette = readPalette(container);
      chart.redraw(false);
    });

    return () => {
      if (frame !== null) {
        cancelAnimationFrame(frame);
      }
      unsubscribe();
      resizeObserver?.disconnect();
      stopTheme();
      chart.destroy();
      forgetChart(label);
      redrawRef.current = () => undefined;
    };
    // Series, height and y steps are the chart's shape: a new one is a new instance (callers pass
    // module constants for the steps, so in practice only a new series list recreates it).
  }, [series, height, yIncrements]);

  // A new window is a new x range over the same instance.
  useEffect(() => {
    redrawRef.current();
  }, [props.windowSeconds]);

  return <div className="chart" ref={containerRef} role="img" aria-label={props.label} />;
}

/** "14:03:27", or "14:03" for the hour window. */
function formatTick(seconds: number, windowSeconds: number): string {
  const date = new Date(seconds * 1000);
  const parts = [date.getHours(), date.getMinutes()];
  if (windowSeconds < 3600) {
    parts.push(date.getSeconds());
  }
  return parts.map((part) => String(part).padStart(2, '0')).join(':');
}
