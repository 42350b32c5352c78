/**
 * A reader's share of giving memory back between cleanups: while the process's RSS is over
 * the budget's threshold, glibc's malloc_trim (every arena, so every thread's) after each op
 * and every TRIM_EVERY_CHECKS documents of a long one. A search reads each document as a
 * Buffer while its SQLite page cache fills: the Buffers die, but the holes they leave between
 * cache pages stay resident. One page of `const ` on the large corpus left 25 MB so, and 200
 * paged searches kept glibc's main arena at 60 MB between the cleanups' trims. A trim costs
 * 1-5 ms when there is something to return, so trims are TRIM_INTERVAL_MS apart at least: a
 * full listing is thousands of chunk ops, and a trim after each one slowed it by a third.
 */
import { trimMalloc } from '../monitor/malloc-trim';
import type { SearchControl } from '../search/search-control';

/** Documents scanned between two looks at the RSS inside an op (about 1 MB of document Buffers on real code). */
export const TRIM_EVERY_CHECKS = 256;

/** Least time between two trims: at most about 2% of a reader's time. */
export const TRIM_INTERVAL_MS = 250;

export interface ReaderTrimOptions {
  readonly trim?: () => boolean;
  /** Milliseconds (injected in tests). */
  readonly now?: () => number;
  /** The process's RSS in bytes (injected in tests). */
  readonly rss?: () => number;
}

export interface ReaderTrim {
  /** The op's control, trimming every TRIM_EVERY_CHECKS checks while over the threshold (TRIM_INTERVAL_MS apart). */
  wrap(control: SearchControl): SearchControl;
  /** Trims once more at the op's end when over the threshold; returns the op's trims (counted from the last `wrap`). */
  finish(): number;
}

/** A trim policy for one reader thread; it never trims without a threshold (`undefined`). */
export function readerTrim(trimAboveBytes: number | undefined, options: ReaderTrimOptions = {}): ReaderTrim {
  const { trim = trimMalloc, now = () => performance.now(), rss = () => process.memoryUsage.rss() } = options;
  let trims = 0;
  let lastTrimAt = Number.NEGATIVE_INFINITY;
  const trimIfOver = (): void => {
    if (trimAboveBytes === undefined || now() - lastTrimAt < TRIM_INTERVAL_MS || rss() <= trimAboveBytes) {
      return;
    }
    lastTrimAt = now();
    if (trim()) {
      trims += 1;
    }
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
          if (checks % TRIM_EVERY_CHECKS === 0) {
            trimIfOver();
          }
        },
      };
    },
    finish() {
      trimIfOver();
      return trims;
    },
  };
}
