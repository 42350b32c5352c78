import type { ResourceLimits, Worker } from 'node:worker_threads';
import type { Disposable } from '../lifecycle';
import type { WorkerLocator } from '../workers';
import { ReaderConnection } from './reader-connection';

export interface OpenerOptions {
  readonly dbPath: string;
  readonly workers: WorkerLocator;
  readonly busyTimeoutMs: number;
  readonly extraOpsModules: readonly string[];
  /** How long a thread may take to open its connection before it is given up. */
  readonly openTimeoutMs: number;
  readonly now: () => number;
  /** The memory budget's share of each reader thread: V8 caps and SQLite page cache. */
  readonly resourceLimits?: ResourceLimits;
  readonly cacheKib?: number;
  readonly onWorker?: (name: string, worker: Worker) => Disposable;
}

/** How an opening ended; exactly one of `opened`, `failed` and `timedOut` is called. */
export interface OpenListener {
  opened(connection: ReaderConnection): void;
  failed(connection: ReaderConnection, error: Error): void;
  /** The thread did not answer within the open timeout (it hangs, or the machine is starved). */
  timedOut(connection: ReaderConnection): void;
  /** The thread stopped later without being asked to. */
  exitedUnexpectedly(connection: ReaderConnection, code: number): void;
}

/**
 * Starts a reader thread and reports how its opening ends. The open has a deadline of its
 * own: a thread that never answers would otherwise count as "opening" forever and hold a
 * place in the pool.
 */
export function openReader(id: number, overflow: boolean, options: OpenerOptions, listener: OpenListener): ReaderConnection {
  const connection = new ReaderConnection({
    id,
    overflow,
    entry: options.workers('reader-worker'),
    data: { dbPath: options.dbPath, busyTimeoutMs: options.busyTimeoutMs, extraOpsModules: options.extraOpsModules, ...(options.cacheKib === undefined ? {} : { cacheKib: options.cacheKib }) },
    ...(options.resourceLimits === undefined ? {} : { resourceLimits: options.resourceLimits }),
    createdAt: options.now(),
    onUnexpectedExit: (stopped, code) => listener.exitedUnexpectedly(stopped, code),
    ...(options.onWorker === undefined ? {} : { onWorker: options.onWorker }),
  });
  let settled = false;
  const timer = setTimeout(() => {
    settled = true;
    listener.timedOut(connection);
  }, options.openTimeoutMs);
  connection.ready.then(
    () => {
      clearTimeout(timer);
      if (!settled) {
        settled = true;
        listener.opened(connection);
      }
    },
    (error: Error) => {
      clearTimeout(timer);
      if (!settled) {
        settled = true;
        listener.failed(connection, error);
      }
    },
  );
  return connection;
}
