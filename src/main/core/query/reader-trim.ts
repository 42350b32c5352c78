/**
 * A reader's share of giving memory back between cleanups: while the process's RSS is over
 * the budget's threshold, glibc's malloc_trim (every arena, so every thread's) after each op
 * and every TRIM_EVERY_CHECKS documents of a long one. A search reads each document as a
 * Buffer while its SQLite page cache fills: the Buffers die, but the holes they leave between
 * cache pages stay resident. One page of `const ` on the large corpus left 25 MB so, and 200
 * paged searches kept glibc's main arena at 60 MB between the cleanups' trims.
 */
import { trimMalloc } from '../monitor/malloc-trim';
import type { SearchControl } from '../search/search-control';

/** Documents scanned between two trims inside an op (about 1 MB of document Buffers on real code); a trim costs 1-5 ms. */
export const TRIM_EVERY_CHECKS = 256;

export interface ReaderTrim {
  /** The op's control, trimming every TRIM_EVERY_CHECKS checks while over the threshold. */
  wrap(control: SearchControl): SearchControl;
  /** Trims once more at the op's end when over the threshold; returns the op's trims (counted from the last `wrap`). */
  finish(): number;
}

/** A trim policy for one reader thread; it never trims without a threshold (`undefined`). */
export function readerTrim(trimAboveBytes: number | undefined, trim: () => boolean = trimMalloc): ReaderTrim {
  let trims = 0;
  const trimIfOver = (): void => {
    if (trimAboveBytes !== undefined && process.memoryUsage.rss() > trimAboveBytes && trim()) {
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
