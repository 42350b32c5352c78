/** The value at percentile `p` (0..100) of `values`, by nearest rank; 0 when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) {
    return 0;
  }
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] ?? 0;
}

/** The last `capacity` durations, so percentiles follow current load, not the whole run. */
export class DurationWindow {
  private readonly values: number[] = [];
  private next = 0;

  constructor(private readonly capacity = 1024) {}

  add(durationMs: number): void {
    if (this.values.length < this.capacity) {
      this.values.push(durationMs);
    } else {
      this.values[this.next] = durationMs;
    }
    this.next = (this.next + 1) % this.capacity;
  }

  percentile(p: number): number {
    return percentile(this.values, p);
  }
}

/** Counters since the pool was created; they only grow. */
export interface PoolCounters {
  created: number;
  recycled: number;
  prePingFailures: number;
  timeouts: number;
  /** Connections that failed to open, or did not open within the open timeout. */
  createFailures: number;
  /** Idle connections closed because work had ended (DATABASE_POOL_IDLE_TIMEOUT) or memory was short. */
  idleClosed: number;
}
