import type { ResourceLimits, Worker } from 'node:worker_threads';
import type { MemoryBudget } from '../config/memory-budget';
import type { Disposable } from '../base/lifecycle';
import type { WorkerEntry } from '../base/workers';
import { ReaderConnection } from './reader-connection';
import type { CreateRequest, ResourceFactory } from './resource-pool';

export interface ReaderFactoryOptions {
  readonly dbPath: string;
  /** The thread each reader runs: the production reader worker, or a test's entry. */
  readonly entry: WorkerEntry;
  readonly busyTimeoutMs: number;
  readonly now: () => number;
  /** The memory budget's share of each reader thread: V8 caps and SQLite page cache. */
  readonly resourceLimits?: ResourceLimits;
  readonly cacheKib?: number;
  /** The bytes one search may hold in the thread, so a reader keeps to the configured threshold's share. */
  readonly searchHold?: Pick<MemoryBudget, 'searchHoldBytes' | 'searchPageBytes'>;
  /** When a reader trims the C allocator: over this process RSS, once it grew by the step since the last trim. */
  readonly trimAboveBytes?: number;
  readonly trimStepBytes?: number;
  readonly onWorker?: (name: string, worker: Worker) => Disposable;
  /** A reader thread stopped without being asked to (a crash, a kill). */
  readonly onUnexpectedExit: (connection: ReaderConnection, code: number) => void;
}

/** How long a reader may take to close its connection and exit before its thread is terminated. */
const closeGraceMs = 1000;

/**
 * The reader pool's factory: each resource is a worker thread holding one read-only
 * connection. Create resolves once the thread answered "ready"; an abort (create timeout,
 * shutdown) terminates the thread at once. Validate is the pre-ping, a trivial query.
 */
export function readerFactory(options: ReaderFactoryOptions): ResourceFactory<ReaderConnection> {
  return {
    async create(request: CreateRequest): Promise<ReaderConnection> {
      const connection = new ReaderConnection({
        id: request.id,
        overflow: request.overflow,
        entry: options.entry,
        data: {
          dbPath: options.dbPath,
          busyTimeoutMs: options.busyTimeoutMs,
          ...(options.cacheKib === undefined ? {} : { cacheKib: options.cacheKib }),
          ...(options.searchHold === undefined ? {} : { searchHold: { searchHoldBytes: options.searchHold.searchHoldBytes, searchPageBytes: options.searchHold.searchPageBytes } }),
          ...(options.trimAboveBytes === undefined || options.trimStepBytes === undefined ? {} : { trimAboveBytes: options.trimAboveBytes, trimStepBytes: options.trimStepBytes }),
        },
        ...(options.resourceLimits === undefined ? {} : { resourceLimits: options.resourceLimits }),
        createdAt: options.now(),
        onUnexpectedExit: options.onUnexpectedExit,
        ...(options.onWorker === undefined ? {} : { onWorker: options.onWorker }),
      });
      const abort = (): void => void connection.close(request.signal.reason instanceof Error ? request.signal.reason : new Error('Create aborted'), 0);
      request.signal.addEventListener('abort', abort, { once: true });
      try {
        await connection.ready;
      } finally {
        request.signal.removeEventListener('abort', abort);
      }
      return connection;
    },
    destroy: (connection, reason, graceMs) => connection.close(reason, graceMs ?? closeGraceMs),
    validate: async (connection) => {
      await connection.call('ping', undefined);
      return true;
    },
  };
}
