/**
 * Judges whether the heap measured right after each major GC keeps climbing. Live objects
 * survive a major GC, so a steady rise of that floor over a whole window is what a leak
 * looks like, while the saw-tooth of ordinary allocation is not.
 */
export interface LeakDetectorOptions {
  /** LEAK_WINDOW_SECONDS in ms: how long the rise must last. */
  readonly windowMs: number;
  /** Fewest post-GC points in the window before any verdict. Default 5. */
  readonly minSamples?: number;
  /** Least growth over the window, in bytes, worth an alert. Default 8 MiB. */
  readonly minGrowthBytes?: number;
  /** Least r² of the linear fit: how much of the variation the upward trend explains. Default 0.6. */
  readonly minFit?: number;
}

export interface LeakVerdict {
  /** Least-squares slope of the post-GC heap, in bytes per minute. */
  readonly slopeBytesPerMinute: number;
  /** Slope times the window: the growth the trend amounts to. */
  readonly growthBytes: number;
  readonly samples: number;
  /** Coefficient of determination of the fit, 0..1. */
  readonly fit: number;
}

interface Point {
  readonly time: number;
  readonly heap: number;
}

/** At most this many points per window, so a GC storm cannot grow the detector itself. */
const maxPointsPerWindow = 200;

export class LeakDetector {
  private points: Point[] = [];
  private observingSince: number | undefined;
  private readonly minSamples: number;
  private readonly minGrowthBytes: number;
  private readonly minFit: number;
  private readonly minSpacingMs: number;

  constructor(private readonly options: LeakDetectorOptions) {
    this.minSamples = options.minSamples ?? 5;
    this.minGrowthBytes = options.minGrowthBytes ?? 8 * 1024 * 1024;
    this.minFit = options.minFit ?? 0.6;
    this.minSpacingMs = options.windowMs / maxPointsPerWindow;
  }

  /** Records the heap right after a major GC; returns a verdict when the window shows a sustained rise. */
  record(time: number, heapUsed: number): LeakVerdict | null {
    this.observingSince ??= time;
    const last = this.points.at(-1);
    if (last !== undefined && time - last.time < this.minSpacingMs) return null;
    this.points.push({ time, heap: heapUsed });
    const since = time - this.options.windowMs;
    while ((this.points[0]?.time ?? Infinity) < since) this.points.shift();
    if (time - this.observingSince < this.options.windowMs || this.points.length < this.minSamples) return null;
    const { slope, fit } = linearFit(this.points);
    const growthBytes = slope * this.options.windowMs;
    if (slope <= 0 || fit < this.minFit || growthBytes < this.minGrowthBytes) return null;
    const verdict = { slopeBytesPerMinute: slope * 60_000, growthBytes, samples: this.points.length, fit };
    // The next alert needs a whole new window of evidence.
    this.reset(time);
    return verdict;
  }

  /** Points currently in the window. */
  get size(): number {
    return this.points.length;
  }

  reset(time?: number): void {
    this.points = [];
    this.observingSince = time;
  }
}

/** Least-squares slope (heap per ms) and r² of points. */
export function linearFit(points: readonly Point[]): { slope: number; fit: number } {
  const n = points.length;
  if (n < 2) return { slope: 0, fit: 0 };
  const t0 = points[0]?.time ?? 0;
  let sumX = 0;
  let sumY = 0;
  for (const point of points) {
    sumX += point.time - t0;
    sumY += point.heap;
  }
  const meanX = sumX / n;
  const meanY = sumY / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const point of points) {
    const dx = point.time - t0 - meanX;
    const dy = point.heap - meanY;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (sxx === 0) return { slope: 0, fit: 0 };
  const slope = sxy / sxx;
  const fit = syy === 0 ? 0 : (sxy * sxy) / (sxx * syy);
  return { slope, fit };
}
