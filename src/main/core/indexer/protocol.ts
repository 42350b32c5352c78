import type { MessagePort } from 'node:worker_threads';
import type { IndexProgress, IndexSummary } from '../../../shared/types';
import type { HeapFigures, HeapReply, HeapRequest } from '../monitor/worker-heaps';
import type { MergeStats } from '../index/segment-merger';

/**
 * Characters of text one batch (one transaction) carries at most, whatever the document
 * count. Each batch exists up to three times at once (reader strings, its UTF-8 bytes in the
 * message, SQLite's pages), so this bounds peak memory: 4 Mi characters cost about 60 MB of
 * peak RSS on the large corpus for no speed. Since postings are buffered per run (a batch no
 * longer writes a segment), 512 Ki instead of 1 Mi costs no measurable speed and brought the
 * large corpus from 141-144 to 122 MB.
 */
export const MAX_BATCH_CHARACTERS = 512 * 1024;

// The settings and figures the messages carry are defined here, so this file imports
// nothing else of indexer/: every side of the protocol depends on it, never the reverse.
export interface BatchSettings {
  readonly maxContentLength: number;
  readonly chunkSize: number;
}

/** How full the pipeline got during a run: the backpressure figures. */
export interface PipelineStats {
  readonly readers: number;
  /** Most chunks any one reader held at once (never above MAX_CHUNKS_IN_FLIGHT). */
  readonly maxChunksInFlight: number;
  /** Most batches read but not yet committed, over all readers. */
  readonly maxBatchesWaiting: number;
  /** Milliseconds the writer waited for a batch. */
  readonly writerWaitMs: number;
}

export interface RunSettings {
  readonly maxFileSize: number;
  readonly maxContentLength: number;
  readonly maxDocumentsPerBatch: number;
  /** Memory pressure halves batches down to this size, not below (the memory budget's floor); 1 when absent. */
  readonly minDocumentsPerBatch?: number;
  readonly chunkSize: number;
  /** Encoded postings buffered before they become a segment (tests make it tiny); RUN_BUFFER_BYTES when absent. */
  readonly runBufferBytes?: number;
  /** IGNORE_FILE_MAX_BYTES: an ignore file larger than this is skipped with a warning. */
  readonly ignoreFileMaxBytes?: number;
}

/** What the indexer worker is started with. */
export interface IndexerWorkerData {
  readonly dbPath: string;
}

/** What a reader thread is started with: its port to the writer, the wake-up counter and its reading slot (reading-slot.ts). */
export interface ReaderWorkerData {
  readonly port: MessagePort;
  readonly signal: SharedArrayBuffer;
  readonly reading: SharedArrayBuffer;
  readonly settings: BatchSettings;
}

export type ToIndexer =
  | {
      readonly type: 'run';
      readonly runId: number;
      readonly root: string;
      readonly settings: RunSettings;
      /** Absolute paths the walk never reports (the database files). */
      readonly excluded: readonly string[];
      /** Int32 flag: set to 1 to cancel the run after its current batch. */
      readonly cancel: SharedArrayBuffer;
      /** Heap bytes of the writer or a reader above which batches shrink (the memory budget's indexThreadHeapBytes; MEMORY_THRESHOLD_MB without a budget). */
      readonly memoryThresholdBytes: number;
      /** PressureFlag: set by a memory cleanup until the process's RSS is back under MEMORY_THRESHOLD_MB; batches shrink meanwhile. */
      readonly pressure: SharedArrayBuffer;
      /** The writer's ends of the reader threads' ports; none means the writer reads itself. */
      readonly readers: readonly MessagePort[];
      /** Int32 counter the readers bump and notify after each message. */
      readonly signal: SharedArrayBuffer;
    }
  /** Drops a repository (by its root key) and all it indexed, in one transaction. */
  | { readonly type: 'remove'; readonly requestId: number; readonly root: string }
  | { readonly type: 'close' }
  /** A memory cleanup: collect the heap and shrink SQLite's memory once the current run has ended. */
  | { readonly type: 'release' }
  | HeapRequest;

export type FromIndexer =
  | { readonly type: 'ready' }
  | { readonly type: 'open_failed'; readonly message: string }
  /** `heap` is the writer's: during a run its event loop does not turn to answer a HeapRequest. */
  | { readonly type: 'progress'; readonly runId: number; readonly progress: Omit<IndexProgress, 'taskId' | 'repo'>; readonly heap: HeapFigures }
  | { readonly type: 'done'; readonly runId: number; readonly status: 'completed' | 'cancelled'; readonly summary: IndexSummary; readonly pipeline: PipelineStats; readonly merges: MergeStats }
  /** `code` is SQLite's result code when a statement failed (SQLITE_CORRUPT tells damage), else null. */
  | { readonly type: 'failed'; readonly runId: number; readonly message: string; readonly code: string | null }
  | { readonly type: 'log'; readonly level: 'info' | 'warn'; readonly message: string }
  | { readonly type: 'removed'; readonly requestId: number; readonly removed: boolean; readonly error: string | null }
  | { readonly type: 'closed' }
  | HeapReply;
