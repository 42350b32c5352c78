/**
 * Messages between the pool (main thread) and a reader worker. Requests and replies are
 * discriminated unions matched by sequence number, as in Signal-Desktop's ts/sql. The pool
 * knows ops only by name and these shapes; the ops themselves live in the query layer.
 */
import type { ReadonlyDatabase } from '../base/database-types';
import type { MemoryBudget } from '../config/memory-budget';

/** What an op is given: a reader's connection, which no writing function accepts. */
type Database = ReadonlyDatabase;

/**
 * A named read operation as the pool sees it: synchronous, runs inside a reader worker on
 * its own connection. What the worker passes as the third argument is the query layer's.
 */
export type ReadOp = (db: Database, args: never, context: never) => unknown;

export type OpTable = Readonly<Record<string, ReadOp>>;

/** The argument type of an op; `unknown` for ops that take none (pass `undefined`). */
export type OpArgs<F> = F extends (db: Database, args: infer A) => unknown ? A : never;

export type OpResult<F> = F extends (db: Database, args: never) => infer R ? R : never;

export interface ReleaseMemoryArgs {
  /** SQLite page cache to keep from now on, in KiB (the budget's figure while memory is short). */
  readonly cacheKib: number;
}

/** What a reader's part of the memory cleanup (the `releaseMemory` op) returns. */
export interface ReleasedMemory {
  readonly heapBefore: number;
  readonly heapAfter: number;
}

/** What a reader worker is started with. */
export interface ReaderWorkerData {
  readonly dbPath: string;
  readonly busyTimeoutMs: number;
  /** SQLite page cache in KiB, from the memory budget. */
  readonly cacheKib?: number;
  /** The bytes one search may hold (candidate text, one page), from the memory budget; the default threshold's when absent. */
  readonly searchHold?: Pick<MemoryBudget, 'searchHoldBytes' | 'searchPageBytes'>;
  /** When the worker returns the C allocator's free pages (query/reader-trim.ts): over this RSS (the budget's threshold)... */
  readonly trimAboveBytes?: number;
  /** ...once the RSS grew by this much since the last trim. */
  readonly trimStepBytes?: number;
  /**
   * One Int32 the main thread sets to the sequence number of a call it cancels. The worker is
   * busy in a synchronous scan when that matters, so a message would wait behind it; shared
   * memory is read at once.
   */
  readonly cancelFlag: SharedArrayBuffer;
}

export type ToReader =
  | {
      readonly type: 'call';
      readonly seq: number;
      readonly op: string;
      readonly args: unknown;
      /** Milliseconds the op may run, counted by the worker from when it starts the op; 0 means no budget. */
      readonly budgetMs: number;
    }
  | { readonly type: 'close' };

/** Heap of the reader's isolate, sent with every reply so the stats event is never stale. */
export interface ReaderHeap {
  readonly heapUsed: number;
  readonly heapTotal: number;
  readonly external: number;
}

/** An error that crossed the thread boundary as data, so its name and code survive. */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  /** AppError's code or SqliteError's code (SQLITE_BUSY...). */
  readonly code: string | null;
}

export type FromReader =
  | { readonly type: 'ready'; readonly heap: ReaderHeap }
  | { readonly type: 'open_failed'; readonly error: SerializedError }
  | { readonly type: 'result'; readonly seq: number; readonly ok: true; readonly value: unknown; readonly durationMs: number; readonly heap: ReaderHeap; readonly trims?: number }
  | { readonly type: 'result'; readonly seq: number; readonly ok: false; readonly error: SerializedError; readonly durationMs: number; readonly heap: ReaderHeap; readonly trims?: number }
  | { readonly type: 'closed' };

export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { name: error.name, message: error.message, code: typeof code === 'string' ? code : null };
  }
  return { name: 'Error', message: String(error), code: null };
}
