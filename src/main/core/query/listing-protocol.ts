/**
 * Messages from the listing worker (listing-worker.ts) to the thread that writes the listing
 * (listing-thread.ts). There are no requests: the worker is given its whole task at start and
 * takes its blocks from the shared counters (search/listing-lanes.ts).
 */
import type { SerializedError } from '../db/reader-protocol';
import type { MemoryBudget } from '../config/memory-budget';
import type { ListingArgs } from '../search/listing-chunk';
import type { LaneChunk } from '../search/listing-lanes';

export interface ListingWorkerData {
  readonly dbPath: string;
  /** openConnection's default when absent, as the writing thread's connection has. */
  readonly busyTimeoutMs?: number;
  /** SQLite page cache of the worker's connection, in KiB (the budget's readerCacheKib). */
  readonly cacheKib?: number;
  /** The bytes one chunk may hold, from the memory budget (search-budget.ts). */
  readonly searchHold?: Pick<MemoryBudget, 'searchHoldBytes' | 'searchPageBytes'>;
  /** Each chunk's time budget (SEARCH_TIMEOUT_MS), as the writing thread's own chunks have. */
  readonly budgetMs: number;
  /** The listing, without a cursor or a span. */
  readonly args: ListingArgs;
  readonly blockFiles: number;
  readonly windowBytes: number;
  /** LaneCounters' buffer. */
  readonly counters: SharedArrayBuffer;
}

export type FromListingWorker = ({ readonly type: 'chunk' } & LaneChunk) | { readonly type: 'end' } | { readonly type: 'failed'; readonly error: SerializedError };
