import { getHeapStatistics } from 'node:v8';
import type { Worker } from 'node:worker_threads';
import type { WorkerMemory } from '../../../shared/types';
import { toDisposable, type Disposable } from '../base/lifecycle';

/** A worker's own heap, in bytes. */
export interface HeapFigures {
  readonly heapUsed: number;
  readonly heapTotal: number;
  readonly external: number;
}

/** What the owner of a worker thread (the pool, the indexer) registers with the monitor. */
export interface WatchedWorker {
  readonly name: string;
  readonly worker: Worker;
  /**
   * Asks the worker for its heap. Needed on Node < 22.16, where Worker has no
   * getHeapStatistics(): the worker answers with `readOwnHeap()` over its own protocol.
   * Without it (and without getHeapStatistics) the worker still serves heap snapshots.
   */
  readonly readHeap?: () => Promise<HeapFigures>;
}

/** What a worker that answers heap requests over its own port receives, and replies. */
export interface HeapRequest {
  readonly type: 'heap';
}
export interface HeapReply {
  readonly type: 'heap';
  readonly heap: HeapFigures;
}

/** How long a worker gets to answer one heap request before the request is dropped. */
const ASK_TIMEOUT_MS = 2000;

/**
 * Reads a worker's heap by asking it (HeapRequest on the worker, HeapReply back): the
 * WatchedWorker.readHeap of threads whose event loop turns often enough to answer.
 */
export function askHeap(worker: Worker): Promise<HeapFigures> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: unknown): void => {
      if ((message as Partial<HeapReply> | null)?.type === 'heap') {
        done();
        resolve((message as HeapReply).heap);
      }
    };
    const onExit = (): void => {
      done();
      reject(new Error('The worker exited before it answered'));
    };
    // A busy worker answers late or never: the listeners must not pile up meanwhile.
    const timer = setTimeout(() => {
      done();
      reject(new Error('The worker did not answer the heap request in time'));
    }, ASK_TIMEOUT_MS);
    const done = (): void => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('exit', onExit);
    };
    worker.on('message', onMessage);
    worker.once('exit', onExit);
    worker.postMessage({ type: 'heap' } satisfies HeapRequest);
  });
}

/** Called inside a worker thread: its own isolate's heap, for the owner's heap request. */
export function readOwnHeap(): HeapFigures {
  const statistics = getHeapStatistics();
  return { heapUsed: statistics.used_heap_size, heapTotal: statistics.total_heap_size, external: statistics.external_memory };
}

type WorkerWithHeapStatistics = Worker & { getHeapStatistics?: () => Promise<{ used_heap_size: number; total_heap_size: number; external_memory: number }> };

/**
 * The worker threads the monitor reports and can snapshot. Owners register a worker when
 * they start it; the registration ends when the worker exits or the owner disposes it.
 */
export class WorkerRegistry {
  private readonly watched = new Set<WatchedWorker>();

  watch(entry: WatchedWorker): Disposable {
    this.watched.add(entry);
    const forget = (): void => {
      this.watched.delete(entry);
    };
    entry.worker.once('exit', forget);
    return toDisposable(() => {
      entry.worker.off('exit', forget);
      forget();
    });
  }

  list(): readonly WatchedWorker[] {
    return [...this.watched];
  }

  /** Reads every watched worker's heap; a worker that does not answer within `timeoutMs` is left out. */
  async readAll(timeoutMs: number): Promise<WorkerMemory[]> {
    const results = await Promise.all([...this.watched].map((entry) => readOne(entry, timeoutMs)));
    return results.filter((result): result is WorkerMemory => result !== null);
  }
}

async function readOne(entry: WatchedWorker, timeoutMs: number): Promise<WorkerMemory | null> {
  const native = (entry.worker as WorkerWithHeapStatistics).getHeapStatistics;
  const read: (() => Promise<HeapFigures>) | undefined =
    entry.readHeap ??
    (native === undefined
      ? undefined
      : async () => {
          const statistics = await native.call(entry.worker);
          return { heapUsed: statistics.used_heap_size, heapTotal: statistics.total_heap_size, external: statistics.external_memory };
        });
  if (read === undefined) return null;
  let timer: NodeJS.Timeout | undefined;
  try {
    const figures = await Promise.race([
      read(),
      new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), timeoutMs);
      }),
    ]);
    if (figures === null) return null;
    return { threadId: entry.worker.threadId, name: entry.name, heapUsed: figures.heapUsed, heapTotal: figures.heapTotal, external: figures.external };
  } catch {
    // A worker that is exiting cannot answer; it simply drops out of this sample.
    return null;
  } finally {
    clearTimeout(timer);
  }
}
