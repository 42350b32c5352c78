import type { IndexProgress, IndexSummary } from '../../../shared/types';
import type { RunSettings } from './index-run';

/** What the indexer worker is started with. */
export interface IndexerWorkerData {
  readonly dbPath: string;
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
      /** Heap bytes of the worker above which batches shrink. */
      readonly memoryThresholdBytes: number;
    }
  | { readonly type: 'close' };

export type FromIndexer =
  | { readonly type: 'ready' }
  | { readonly type: 'open_failed'; readonly message: string }
  | { readonly type: 'progress'; readonly runId: number; readonly progress: Omit<IndexProgress, 'taskId' | 'repo'> }
  | { readonly type: 'done'; readonly runId: number; readonly status: 'completed' | 'cancelled'; readonly summary: IndexSummary }
  | { readonly type: 'failed'; readonly runId: number; readonly message: string }
  | { readonly type: 'log'; readonly level: 'info' | 'warn'; readonly message: string }
  | { readonly type: 'closed' };
