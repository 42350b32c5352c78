/**
 * The body of a reader worker: one thread, one read-only connection, serving a table of ops.
 * better-sqlite3 is synchronous, so the only way to run reads in parallel (with each other
 * and with the indexing writer) is to give each connection its own thread. The pool in the
 * main thread hands these out. The entry files choose the table: `reader-worker.ts` the
 * app's, a test's entry its own; no module is ever loaded by a path sent at run time.
 */
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { openConnection } from '../db/open-connection';
import type { ReadonlyDatabase } from '../base/database-types';
import { searchControl } from '../search/search-control';
import { useSearchHold } from '../search/search-budget';
import type { QueryOpTable } from './reader-ops';
import { readerTrim } from './reader-trim';
import { serializeError, type FromReader, type ReaderHeap, type ReaderWorkerData, type ToReader } from '../db/reader-protocol';

function heap(): ReaderHeap {
  const statistics = getHeapStatistics();
  return { heapUsed: statistics.used_heap_size, heapTotal: statistics.total_heap_size, external: statistics.external_memory };
}

/** Opens the connection named in `workerData` and answers the pool's calls with `ops` until told to close. */
export function serveReader(ops: QueryOpTable): void {
  const port = parentPort;
  if (port === null) {
    throw new Error('reader-worker must run in a worker thread');
  }
  const data = workerData as ReaderWorkerData;
  const cancelFlag = new Int32Array(data.cancelFlag);
  const send = (message: FromReader): void => port.postMessage(message);
  const trim = readerTrim(data.trimAboveBytes === undefined || data.trimStepBytes === undefined ? undefined : { aboveBytes: data.trimAboveBytes, stepBytes: data.trimStepBytes });
  if (data.searchHold !== undefined) {
    useSearchHold(data.searchHold);
  }
  let db: ReadonlyDatabase;
  try {
    db = openConnection(data.dbPath, { mode: 'reader', busyTimeoutMs: data.busyTimeoutMs, ...(data.cacheKib === undefined ? {} : { cacheKib: data.cacheKib }) });
  } catch (error) {
    send({ type: 'open_failed', error: serializeError(error) });
    port.close();
    return;
  }

  port.on('message', (message: ToReader) => {
    if (message.type === 'close') {
      if (db.open) {
        db.close();
      }
      send({ type: 'closed' });
      port.close();
      return;
    }
    const started = performance.now();
    const op = Object.hasOwn(ops, message.op) ? ops[message.op] : undefined;
    try {
      if (op === undefined) {
        throw new Error(`Unknown read op: ${message.op}`);
      }
      const seq = message.seq;
      const control = trim.wrap(searchControl({ budgetMs: message.budgetMs, cancelled: () => Atomics.load(cancelFlag, 0) === seq }));
      const value = op(db, message.args as never, { control });
      send({ type: 'result', seq: message.seq, ok: true, value, durationMs: performance.now() - started, heap: heap(), trims: trim.finish() });
    } catch (error) {
      send({ type: 'result', seq: message.seq, ok: false, error: serializeError(error), durationMs: performance.now() - started, heap: heap(), trims: trim.finish() });
    }
  });
  send({ type: 'ready', heap: heap() });
}
