import type { MessagePort } from 'node:worker_threads';
import type { IndexProgress, IndexSummary } from '../../../shared/types';
import type { BatchSettings } from './batch-builder';
import type { PipelineStats } from './batch-source';
import type { RunSettings } from './index-run';
import type { HeapFigures, HeapReply, HeapRequest } from '../monitor/worker-heaps';
import type { MergeStats } from './segment-merger';

/**
 * Characters of text one batch (one transaction) carries at most, whatever the document
 * count. Each batch exists up to three times at once (reader strings, its UTF-8 bytes in the
 * message, SQLite's pages), so this bounds peak memory: 4 Mi characters cost about 60 MB of
 * peak RSS on the large corpus for no speed.
 */
export const MAX_BATCH_CHARACTERS = 1024 * 1024;

/** What the indexer worker is started with. */
export interface IndexerWorkerData {
  readonly dbPath: string;
}

/** What a reader thread is started with: its port to the writer and the wake-up counter. */
export interface ReaderWorkerData {
  readonly port: MessagePort;
  readonly signal: SharedArrayBuffer;
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
      /** Heap bytes of the writer or a reader above which batches shrink. */
      readonly memoryThresholdBytes: number;
      /** The writer's ends of the reader threads' ports; none means the writer reads itself. */
      readonly readers: readonly MessagePort[];
      /** Int32 counter the readers bump and notify after each message. */
      readonly signal: SharedArrayBuffer;
    }
  /** Drops a repository (by its root key) and all it indexed, in one transaction. */
  | { readonly type: 'remove'; readonly requestId: number; readonly root: string }
  | { readonly type: 'close' }
  | HeapRequest;

export type FromIndexer =
  | { readonly type: 'ready' }
  | { readonly type: 'open_failed'; readonly message: string }
  /** `heap` is the writer's: during a run its event loop does not turn to answer a HeapRequest. */
  | { readonly type: 'progress'; readonly runId: number; readonly progress: Omit<IndexProgress, 'taskId' | 'repo'>; readonly heap: HeapFigures }
  | { readonly type: 'done'; readonly runId: number; readonly status: 'completed' | 'cancelled'; readonly summary: IndexSummary; readonly pipeline: PipelineStats; readonly merges: MergeStats }
  | { readonly type: 'failed'; readonly runId: number; readonly message: string }
  | { readonly type: 'log'; readonly level: 'info' | 'warn'; readonly message: string }
  | { readonly type: 'removed'; readonly requestId: number; readonly removed: boolean; readonly error: string | null }
  | { readonly type: 'closed' }
  | HeapReply;
