import { constants, PerformanceObserver, performance, type PerformanceEntry } from 'node:perf_hooks';
import type { GcEvent } from '../../../shared/types';
import type { Disposable } from '../base/lifecycle';

const kinds: Readonly<Record<number, GcEvent['kind']>> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};

/** Most GC events kept between two samples; a GC storm must not grow the buffer without bound. */
const maxPending = 1000;

/**
 * Watches garbage collections through a PerformanceObserver on `gc`. Events are buffered
 * until the next sample takes them; each major GC is also reported at once so the leak
 * detector sees the heap as close to the collection as Node allows.
 */
export class GcObserver implements Disposable {
  private pending: GcEvent[] = [];
  private dropped = 0;
  private readonly observer: PerformanceObserver;

  constructor(onMajor: (event: GcEvent) => void) {
    this.observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const event = toGcEvent(entry);
        if (this.pending.length < maxPending) this.pending.push(event);
        else this.dropped += 1;
        if (event.kind === 'major') onMajor(event);
      }
    });
    this.observer.observe({ entryTypes: ['gc'] });
  }

  /** GC events since the previous call, oldest first, and how many did not fit the buffer. */
  take(): { events: GcEvent[]; dropped: number } {
    const taken = { events: this.pending, dropped: this.dropped };
    this.pending = [];
    this.dropped = 0;
    return taken;
  }

  dispose(): void {
    this.observer.disconnect();
    this.pending = [];
  }
}

function toGcEvent(entry: PerformanceEntry): GcEvent {
  const detail = (entry as PerformanceEntry & { detail?: { kind?: number } | null }).detail;
  return {
    time: Math.round(performance.timeOrigin + entry.startTime),
    kind: kinds[detail?.kind ?? -1] ?? 'unknown',
    durationMs: Math.round(entry.duration * 1000) / 1000,
  };
}
