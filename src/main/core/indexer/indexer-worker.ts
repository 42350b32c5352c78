/**
 * The indexer worker: the one thread that writes the database. It holds the only writer
 * connection, created lazily by the coordinator and reused across runs; runs are
 * synchronous (file reads and SQLite alike), and cancellation arrives through a shared
 * flag so it is seen between files without waiting for the event loop.
 */
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { openConnection } from '../db/open-connection';
import type { WritableDatabase } from '../base/database-types';
import { describeFormatOutcome, ensureIndexFormat } from '../index/schema';
import { collectWorkerGarbage } from '../monitor/gc';
import { PressureFlag } from '../monitor/pressure-flag';
import { readOwnHeap } from '../monitor/worker-heaps';
import { ThreadSource } from './batch-source';
import { IndexRun } from './index-run';
import { IndexWriter } from './index-writer';
import { removeRepository } from './remove-repository';
import type { FromIndexer, IndexerWorkerData, ToIndexer } from './protocol';

const port = parentPort;
if (port === null) {
  throw new Error('indexer-worker must run in a worker thread');
}
const data = workerData as IndexerWorkerData;
/** SQLite page cache of the writer connection, in KiB. */
const WRITER_CACHE_KIB = 4096;

function send(message: FromIndexer): void {
  port?.postMessage(message);
}

let db: WritableDatabase;
let writer: IndexWriter;
try {
  db = openConnection(data.dbPath, { mode: 'writer' });
  const notice = describeFormatOutcome(data.dbPath, ensureIndexFormat(db));
  // Fewer, larger checkpoints: each one syncs the disk, which dominated indexing time.
  db.pragma('wal_autocheckpoint = 8192');
  // The writer mostly appends: better-sqlite3's 16 MB page cache cost about 20 MB of peak RSS
  // (a full index of the large benchmark corpus) and bought no speed over 4 MB.
  db.pragma(`cache_size = -${WRITER_CACHE_KIB}`);
  writer = new IndexWriter(db);
  send({ type: 'ready' });
  if (notice !== null) {
    send({ type: 'log', level: 'warn', message: notice });
  }
} catch (error) {
  send({ type: 'open_failed', message: error instanceof Error ? error.message : String(error) });
  port.close();
  throw error;
}

port.on('message', (message: ToIndexer) => {
  if (message.type === 'heap') {
    send({ type: 'heap', heap: readOwnHeap() });
    return;
  }
  if (message.type === 'remove') {
    try {
      send({ type: 'removed', requestId: message.requestId, removed: removeRepository(db, message.root), error: null });
    } catch (error) {
      send({ type: 'removed', requestId: message.requestId, removed: false, error: error instanceof Error ? error.message : String(error) });
    }
    return;
  }
  if (message.type === 'release') {
    db.pragma('shrink_memory');
    collectWorkerGarbage();
    return;
  }
  if (message.type === 'close') {
    if (db.open) {
      db.close();
    }
    send({ type: 'closed' });
    port.close();
    return;
  }
  const flag = new Int32Array(message.cancel);
  // With reader threads the writer walks, decides and commits, and never reads: it is the busier
  // thread since words mode's FTS5 fill (docs/PERFORMANCE.md); without them, it reads everything.
  const source = message.readers.length > 0 ? new ThreadSource(message.readers, new Int32Array(message.signal)) : undefined;
  try {
    const run = new IndexRun(
      writer,
      message.root,
      message.settings,
      new Set(message.excluded),
      {
        cancelled: () => Atomics.load(flag, 0) !== 0,
        // getHeapStatistics, not process.memoryUsage: the latter reads the RSS from /proc, 0.5 s of a large build.
        memoryPressure: (readerHeapUsed) => PressureFlag.read(message.pressure) || Math.max(getHeapStatistics().used_heap_size, readerHeapUsed) > message.memoryThresholdBytes,
        onProgress: (progress) => send({ type: 'progress', runId: message.runId, progress, heap: readOwnHeap() }),
        onBatchSize: (size, reason) =>
          send({ type: 'log', level: reason === 'pressure' ? 'warn' : 'info', message: `Indexing batch size ${reason === 'pressure' ? 'shrunk' : 'grew'} to ${size} documents` }),
        onWarning: (warning) => send({ type: 'log', level: 'warn', message: warning }),
      },
      source,
    );
    const result = run.run();
    send({ type: 'done', runId: message.runId, status: result.status, summary: result.summary, pipeline: result.pipeline, merges: result.merges });
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    send({ type: 'failed', runId: message.runId, message: error instanceof Error ? error.message : String(error), code: typeof code === 'string' ? code : null });
  } finally {
    for (const port of message.readers) {
      port.close();
    }
  }
});
