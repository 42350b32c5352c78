/**
 * The memory policy of the core, in one place (issue 11). The seed's MEMORY_THRESHOLD_MB is
 * "memory usage", which its health report shows as `rss_mb`: it is compared with the RSS of
 * the whole core process (every thread: main, index writer and readers, search readers), and
 * every thread's share below is derived from it here, so the whole story reads from one file.
 *
 * With the default 100 MB:
 * - cleanup runs when the process's RSS is over 100 MB (at most every 30 s);
 * - a search reader thread's V8 old generation is capped at 50 MB, its young generation at
 *   4 MB, and its SQLite page cache at 16 MB (4 MB after a cleanup);
 * - a search holds at most 12.5 MB of candidate text at once, and one page of results at most
 *   about 3 MB of heap (its lines' text and match ranges), whatever the page's match count;
 * - index batches halve, down to 25 documents (a quarter of MAX_DOCUMENTS_PER_BATCH), from a
 *   cleanup until the RSS is back under the threshold, or while an index thread's heap is over 12.5 MB;
 * - an idle reader connection beyond the first is closed after DATABASE_POOL_IDLE_TIMEOUT, and
 *   at once by a cleanup (a thread that ends returns its whole heap);
 * - a cleanup ends with glibc's malloc_trim, which returns the pages the other levers freed;
 *   while the RSS is over the threshold a search reader also trims, after an op or inside a
 *   long one, each time the RSS grew by 6.25 MB since its last trim (query/reader-trim.ts:
 *   freed document Buffers between SQLite cache pages stay resident otherwise);
 * - `unhealthy` at ALERT_PERCENT of MEMORY_LIMIT_MB (or of system memory when it is 0).
 */
import { totalmem } from 'node:os';
import type { ResourceLimits } from 'node:worker_threads';
import type { Config } from './definitions';

const MIB = 1024 * 1024;

export type BudgetSettings = Pick<Config, 'MEMORY_THRESHOLD_MB' | 'MEMORY_LIMIT_MB' | 'ALERT_PERCENT' | 'MAX_DOCUMENTS_PER_BATCH'>;

/** Every memory figure the core enforces, derived from the settings by `memoryBudget`. */
export interface MemoryBudget {
  /** MEMORY_THRESHOLD_MB in bytes: process RSS above which cleanup runs. */
  readonly thresholdBytes: number;
  /** ALERT_PERCENT of MEMORY_LIMIT_MB (or of system memory) in bytes: RSS at which health is unhealthy and `memory_alert` fires. */
  readonly alertBytes: number;
  /** V8 limits of each search reader thread (a pooled connection). */
  readonly searchReaderLimits: ResourceLimits;
  /** SQLite page cache of each reader connection, in KiB. */
  readonly readerCacheKib: number;
  /** The same while memory is short (set by a cleanup, kept until the connection is replaced). */
  readonly readerCacheUnderPressureKib: number;
  /** Bytes of candidate text one search may hold at once (the stream of candidate units). */
  readonly searchHoldBytes: number;
  /** Estimated heap bytes of one page of results (its lines and ranges); a fuller page ends early and its cursor goes on. */
  readonly searchPageBytes: number;
  /** Bytes of output each lane of a full listing may have listed ahead of the writer (search/listing-lanes.ts). */
  readonly listingWindowBytes: number;
  /** RSS growth since a reader's last trim after which it trims again, while over the threshold. */
  readonly readerTrimStepBytes: number;
  /** Heap of an index thread (writer or file reader) above which index batches shrink. */
  readonly indexThreadHeapBytes: number;
  /**
   * Smallest index batch pressure shrinks to: a quarter of MAX_DOCUMENTS_PER_BATCH. A batch's
   * text is capped by MAX_BATCH_CHARACTERS whatever its document count, so smaller batches save
   * little memory and every halving below this only multiplies transactions and segments.
   */
  readonly minDocumentsPerBatch: number;
}

/** Share of the threshold each figure gets; one table so a change is one line. */
const SHARES = {
  /** A search reader's old generation: half the threshold, so one runaway query cannot take the process past it alone. */
  searchReaderOldGeneration: 1 / 2,
  /** Candidate text a search holds: an eighth, several times a page's worth. */
  searchHold: 1 / 8,
  /** One page of results: a quarter of what a search holds, so a page and the text it came from fit together. */
  searchPage: 1 / 4,
  /**
   * Output a listing lane has listed ahead: half of what a search holds (6 MB at 100 MB), a few
   * blocks of a dense listing. On the large benchmark corpus 2 MB cost a fifth of the speed of
   * `\w+`'s listing, and 8 MB was no faster than this.
   */
  listingWindow: 1 / 2,
  /** A reader trims again once the RSS grew by a sixteenth: one page's transient holes (25 MB on `const `) are cut short. */
  readerTrimStep: 1 / 16,
  /** An index thread's heap: an eighth; their live data is bounded by the batch settings (see indexer.ts). */
  indexThreadHeap: 1 / 8,
  /**
   * SQLite page cache per reader: 16%. It holds a common query's postings and the b-tree pages
   * its document lookups walk; on the large benchmark corpus 15 paged searches took 4.2 s with
   * 16 MB, 6.6 s with 12 MB, 7.2 s with 8 MB and 11.3 s with 2 MB (SQLite's own default).
   */
  readerCache: 16 / 100,
  /** The same after a cleanup: a quarter of it, until the connection is replaced. */
  readerCacheUnderPressure: 1 / 4,
} as const;

/** Floors, so a tiny threshold (tests use 1 MB) still leaves each thread room to run. */
const FLOORS = { readerOldGenerationMb: 16, youngGenerationMb: 2, readerCacheKib: 512, searchHoldBytes: 1 * MIB, indexThreadHeapBytes: 4 * MIB } as const;

/**
 * A small young generation for search readers, as for the index threads: they allocate
 * short-lived strings fast, and V8's default (16 MB semi-spaces) cost each thread up to
 * 48 MB of RSS for no speed.
 */
const SEARCH_READER_YOUNG_MB = 4;

/** Derives every thread's budget from the settings. */
export function memoryBudget(settings: BudgetSettings, systemBytes: number = totalmem()): MemoryBudget {
  const thresholdBytes = settings.MEMORY_THRESHOLD_MB * MIB;
  const thresholdMb = settings.MEMORY_THRESHOLD_MB;
  const readerCacheKib = Math.max(FLOORS.readerCacheKib, Math.round((thresholdBytes * SHARES.readerCache) / 1024));
  const hold = searchHold(thresholdMb);
  return {
    thresholdBytes,
    alertBytes: alertLevelBytes(settings.MEMORY_LIMIT_MB, settings.ALERT_PERCENT, systemBytes),
    searchReaderLimits: {
      maxOldGenerationSizeMb: Math.max(FLOORS.readerOldGenerationMb, Math.round(thresholdMb * SHARES.searchReaderOldGeneration)),
      maxYoungGenerationSizeMb: Math.max(FLOORS.youngGenerationMb, SEARCH_READER_YOUNG_MB),
    },
    readerCacheKib,
    readerCacheUnderPressureKib: Math.max(FLOORS.readerCacheKib, Math.round(readerCacheKib * SHARES.readerCacheUnderPressure)),
    ...hold,
    listingWindowBytes: Math.round(hold.searchHoldBytes * SHARES.listingWindow),
    readerTrimStepBytes: Math.round(thresholdBytes * SHARES.readerTrimStep),
    indexThreadHeapBytes: Math.max(FLOORS.indexThreadHeapBytes, Math.round(thresholdBytes * SHARES.indexThreadHeap)),
    minDocumentsPerBatch: Math.max(1, Math.ceil(settings.MAX_DOCUMENTS_PER_BATCH / 4)),
  };
}

/** What one search may hold with this threshold (the part of the budget a search thread needs). */
export function searchHold(thresholdMb: number): Pick<MemoryBudget, 'searchHoldBytes' | 'searchPageBytes'> {
  const searchHoldBytes = Math.max(FLOORS.searchHoldBytes, Math.round(thresholdMb * MIB * SHARES.searchHold));
  return { searchHoldBytes, searchPageBytes: Math.round(searchHoldBytes * SHARES.searchPage) };
}

/** The RSS at which `memory_alert` fires: ALERT_PERCENT of MEMORY_LIMIT_MB, or of system memory when the limit is 0. */
export function alertLevelBytes(limitMb: number, alertPercent: number, systemBytes: number = totalmem()): number {
  const limitBytes = limitMb === 0 ? systemBytes : limitMb * MIB;
  return Math.round((limitBytes * alertPercent) / 100);
}
