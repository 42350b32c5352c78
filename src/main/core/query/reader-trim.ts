/**
 * A reader's share of giving memory back between cleanups: while the process's RSS is over
 * the budget's threshold, glibc's malloc_trim (every arena, so every thread's) after an op
 * and inside a long one, each time the RSS has grown by the budget's step since the last
 * trim. A search reads each document as a Buffer while its SQLite page cache fills: the
 * Buffers die, but the holes they leave between cache pages stay resident. One page of
 * `const ` on the large corpus left 25 MB so, and 200 paged searches kept glibc's main arena
 * at 60 MB between the cleanups' trims. A trim costs 1-5 ms when there is something to return;
 * the step keeps it from running after each of a listing's thousands of chunk ops when
 * nothing grew (a trim after every op held a full listing back, and a 250 ms interval let
 * fast paged searches pile up 30 MB between trims).
 */
import { trimMalloc } from '../monitor/malloc-trim';
import type { SearchControl } from '../search/search-control';

/** Documents scanned between two looks at the RSS inside an op (about 1 MB of document Buffers on real code). */
export const TRIM_EVERY_CHECKS = 256;

/** When a reader trims: over `aboveBytes` of process RSS, once it grew by `stepBytes` since the last trim (memory-budget.ts). */
export interface TrimLevels {
  readonly aboveBytes: number;
  readonly stepBytes: number;
}

export interface ReaderTrimOptions {
  readonly trim?: () => boolean;
  /** The process's RSS in bytes (injected in tests). */
  readonly rss?: () => number;
}

export interface ReaderTrim {
  /** The op's control, looking at the RSS every TRIM_EVERY_CHECKS checks. */
  wrap(control: SearchControl): SearchControl;
  /** Looks once more at the op's end; returns the op's trims (counted from the last `wrap`). */
  finish(): number;
}

/** A trim policy for one reader thread; it never trims without levels. */
export function readerTrim(levels: TrimLevels | undefined, options: ReaderTrimOptions = {}): ReaderTrim {
  const { trim = trimMalloc, rss = () => process.memoryUsage.rss() } = options;
  let trims = 0;
  // The RSS after the last trim, lowered whenever a look finds less: growth is counted from it.
  let base = Number.NEGATIVE_INFINITY;
  const trimIfGrown = (): void => {
    if (levels === undefined) return;
    const now = rss();
    base = Math.min(base, now);
    if (now <= levels.aboveBytes || now - base < levels.stepBytes) return;
    if (trim()) trims += 1;
    base = rss();
  };
  return {
    wrap(control) {
      trims = 0;
      let checks = 0;
      return {
        now: control.now,
        deadline: control.deadline,
        check() {
          control.check();
          checks += 1;
          if (checks % TRIM_EVERY_CHECKS === 0) trimIfGrown();
        },
      };
    },
    finish() {
      trimIfGrown();
      return trims;
    },
  };
}
