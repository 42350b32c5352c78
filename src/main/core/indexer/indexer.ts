import { availableParallelism } from 'node:os';
import { relative } from 'node:path';
import { MessageChannel, Worker, type MessagePort, type ResourceLimits } from 'node:worker_threads';
import type { IndexDone, IndexSummary } from '../../../shared/types';
import type { Config } from '../config/definitions';
import type { EventHub } from '../base/events';
import type { Disposable, ShutdownDeadline } from '../base/lifecycle';
import type { Logger } from '../log/logger';
import { DatabaseIntegrity } from '../db/integrity-check';
import type { PressureFlag } from '../monitor/pressure-flag';
import { askHeap, type HeapFigures } from '../monitor/worker-heaps';
import type { TaskManager } from '../tasks/task-manager';
import type { WorkerLocator } from '../base/workers';
import type { RunSettings } from './index-run';
import { MAX_BATCH_CHARACTERS, type FromIndexer, type IndexerWorkerData, type ReaderWorkerData, type ToIndexer } from './protocol';
import { isActive } from '../tasks/task-manager';
import { createReadingSlot, readingNow } from './reading-slot';
import { repositoryKey, validateRoot } from './validate-root';
import { walkExclusions } from './walk-exclusions';

export interface IndexerOptions {
  readonly dbPath: string;
  /** GITBOT_INDEX_WORKERS: reader threads per run; 0 or absent means cores − 1, at least 1. */
  readonly config: Pick<Config, 'MAX_FILE_SIZE' | 'MAX_CONTENT_LENGTH' | 'MAX_DOCUMENTS_PER_BATCH' | 'CHUNK_SIZE' | 'MEMORY_THRESHOLD_MB'> &
    Partial<Pick<Config, 'GITBOT_INDEX_WORKERS' | 'IGNORE_FILE_MAX_BYTES'>>;
  readonly tasks: TaskManager;
  readonly events: EventHub;
  readonly logger: Logger;
  readonly workers: WorkerLocator;
  /**
   * Called for each worker thread the indexer starts (the writer, and each run's readers),
   * e.g. to let the memory monitor watch it; the result is disposed when the thread exits.
   * `readHeap` reads the thread's heap even where Worker has no getHeapStatistics().
   */
  readonly onWorker?: (name: string, worker: Worker, readHeap: () => Promise<HeapFigures>) => Disposable;
  /** Folders of the app's own files (logs, snapshots) the walk skips when they lie inside a repository. */
  readonly excludedPaths?: readonly string[];
  /** How long dispose waits for a run to stop before terminating the writer (default DISPOSE_GRACE_MS). */
  readonly disposeGraceMs?: number;
  /**
   * The memory budget's part in indexing: batches shrink while `flag` is set or an index thread's
   * heap is over `heapBytes`. Without it (some tests) only a thread heap over the whole MEMORY_THRESHOLD_MB shrinks them.
   */
  readonly pressure?: { readonly flag: PressureFlag; readonly heapBytes: number; readonly minDocumentsPerBatch: number };
  /** Whether the database may be written; runs and removals are refused when it may not (default: a sound database). */
  readonly integrity?: DatabaseIntegrity;
}

/**
 * A small young generation for the indexer's threads: they allocate short-lived strings fast,
 * and V8's default (16 MB semi-spaces per thread) cost about 25 MB of peak RSS for no speed.
 */
const INDEXER_THREAD_LIMITS = { maxYoungGenerationSizeMb: 4 } as const;

/**
 * A reader's heap limits. Its live data is bounded by the settings alone (a batch of at most
 * MAX_BATCH_CHARACTERS, a document being cut, a chunk), never by the repository; without a
 * cap V8 let the reader's old generation grow to 30-40 MB of promoted, dead text on the large
 * benchmark corpus. The cap is several times that live bound, so it only makes V8 collect sooner.
 */
export function readerLimits(settings: Pick<RunSettings, 'maxContentLength' | 'chunkSize'>): ResourceLimits {
  const liveBytes = 2 * (MAX_BATCH_CHARACTERS + 2 * settings.maxContentLength) + 2 * settings.chunkSize;
  return { ...INDEXER_THREAD_LIMITS, maxOldGenerationSizeMb: READER_HEAP_BASE_MB + Math.ceil((4 * liveBytes) / (1024 * 1024)) };
}

/** Old generation a reader gets besides four times its live bound (code, tables, slack). */
const READER_HEAP_BASE_MB = 8;

/**
 * The writer's heap limits. Its live JS data is bounded by the settings, not the repository: the
 * walk's lookahead (2,000 entries) and open folder listings (at most SORTED_FOLDER_MAX entries
 * each), at most 5,000 pending operations, the batches in flight (their text and postings are
 * transferred buffers, outside the heap) and one merge's bucket range: 6 to 8 MB after a full GC
 * on the large benchmark corpus. Without a cap V8 let the old generation grow to about 20 MB of
 * garbage there, and the posting rows merges read (external memory, freed only by a full GC)
 * piled up with it; the cap cut the whole process's peak RSS by about 10 MB.
 */
export const WRITER_LIMITS: ResourceLimits = { ...INDEXER_THREAD_LIMITS, maxOldGenerationSizeMb: 16 };

/** Reader threads one run uses. */
export function readerCount(setting: number | undefined): number {
  return setting !== undefined && setting > 0 ? setting : Math.max(1, availableParallelism() - 1);
}

interface ActiveRun {
  readonly runId: number;
  readonly cancel: Int32Array;
  onMessage(message: FromIndexer): void;
  onCrash(error: Error): void;
}

/**
 * Coordinates indexing from the main thread. Each start is a task of type 'indexing'; runs
 * execute one at a time, in the order they were asked for (a later start's task is `pending`
 * while it waits behind the run in progress), in the single long-lived writer worker, which
 * is started on the first run and closed by dispose. The main thread never writes.
 */
export class Indexer implements Disposable {
  private worker: Worker | null = null;
  private ready: Promise<Worker> | null = null;
  private active: ActiveRun | null = null;
  /** The writer's heap from its latest progress message, while a run keeps it busy. */
  private writerHeap: HeapFigures | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private nextRunId = 1;
  private disposed = false;
  /** Removals waiting for the writer's answer, by request id. */
  private readonly removals = new Map<number, (reply: Extract<FromIndexer, { type: 'removed' }> | Error) => void>();
  /** Set when the writer is terminated on purpose, so its exit reads as forced, not a crash. */
  private terminating = false;
  /** The latest progress of the active run: where the writer was if it dies. */
  private lastProgress: { phase: string; currentFile: string | null } | null = null;

  private readonly integrity: DatabaseIntegrity;

  constructor(private readonly options: IndexerOptions) {
    this.integrity = options.integrity ?? new DatabaseIntegrity(options.dbPath);
  }

  /** Validates the folder and queues a run; throws an AppError for bad input. */
  start(path: string): { taskId: string; repo: string } {
    this.integrity.assertWritable();
    const repo = validateRoot(path);
    const previous = this.queue;
    // Pending while the run before it goes on: a cancel then ends it without touching that run's writer.
    const handle = this.options.tasks.run(
      'indexing',
      { repo },
      async (context) => {
        // A run that does not stop on its flag (a blocking read, a loop) is ended with its threads.
        context.onForce(() => this.terminateWriter());
        // A run queued behind one that found damage must not write either.
        this.integrity.assertWritable();
        return this.execute(context.id, repo, context.signal, (progress) => context.setProgress(progress));
      },
      { after: previous },
    );
    // The next waits for this one and for what this one waits for: a cancelled pending run ends early.
    this.queue = Promise.allSettled([previous, handle.done]);
    return { taskId: handle.id, repo };
  }

  /**
   * Removes a repository and everything indexed from it, through the writer thread. Runs of
   * that repository are cancelled first; the removal waits behind the run in progress, as a
   * task of type 'remove_repository'. Resolves `removed: false` when it was not indexed.
   */
  remove(path: string): Promise<{ removed: boolean }> {
    this.integrity.assertWritable();
    const root = repositoryKey(path);
    for (const task of this.options.tasks.list()) {
      if (task.type === 'indexing' && isActive(task.status) && task.metadata['repo'] === root) {
        this.options.tasks.cancel(task.id, 'Indexing cancelled: the repository is being removed');
      }
    }
    const previous = this.queue;
    const handle = this.options.tasks.run('remove_repository', { repo: root }, async (context) => {
      await previous.catch(() => undefined);
      context.signal.throwIfAborted();
      const worker = await this.startWorker();
      const removed = await new Promise<boolean>((resolveRemoval, rejectRemoval) => {
        const requestId = this.nextRunId++;
        this.removals.set(requestId, (reply) => {
          this.removals.delete(requestId);
          if (reply instanceof Error) {
            rejectRemoval(reply);
          } else if (reply.error !== null) {
            rejectRemoval(new Error(`Cannot remove ${root} from the index: ${reply.error}`));
          } else {
            resolveRemoval(reply.removed);
          }
        });
        worker.postMessage({ type: 'remove', requestId, root } satisfies ToIndexer);
      });
      this.options.logger.info(removed ? `Removed ${root} from the index` : `Not removed: ${root} is not in the index`);
      return { removed };
    });
    this.queue = handle.done.catch(() => undefined);
    return handle.done;
  }

  /** A memory cleanup: the writer collects its heap and shrinks SQLite's memory when its current run ends (a message it reads between runs). */
  releaseMemory(): void {
    this.worker?.postMessage({ type: 'release' } satisfies ToIndexer);
  }

  /** Cancels an indexing task; false when no such task is active. */
  cancel(taskId: string): boolean {
    return this.options.tasks.cancel(taskId, 'Indexing cancelled by request');
  }

  /** Stops the run and closes the writer; with a shutdown deadline, no wait outlasts it. */
  async dispose(deadline?: ShutdownDeadline): Promise<void> {
    if (this.disposed) {
      return;
    }
    this.disposed = true;
    if (this.active !== null) {
      Atomics.store(this.active.cancel, 0, 1);
    }
    // Bounded: a run that ignores its flag is ended with its thread, then settles as crashed.
    const graceMs = Math.min(this.options.disposeGraceMs ?? DISPOSE_GRACE_MS, deadline?.untilSoft() ?? Infinity);
    if (!(await settlesWithin(this.queue, graceMs))) {
      this.options.logger.error(`The indexing run did not stop within ${graceMs} ms; terminating the writer thread`);
      await this.terminateWriter();
      await settlesWithin(this.queue, Math.min(DISPOSE_GRACE_MS, deadline?.untilHard() ?? Infinity));
    }
    const worker = this.worker;
    this.worker = null;
    this.ready = null;
    if (worker === null) {
      return;
    }
    await new Promise<void>((resolveClosed) => {
      // A clean close gets 5 s, or what the deadline leaves (past its soft end, a second at most).
      const closeMs = deadline === undefined ? 5000 : Math.min(5000, Math.max(deadline.untilSoft(), Math.min(1000, deadline.untilHard() / 2)));
      const timer = setTimeout(() => void worker.terminate().then(() => resolveClosed()), closeMs);
      worker.once('exit', () => {
        clearTimeout(timer);
        resolveClosed();
      });
      worker.postMessage({ type: 'close' } satisfies ToIndexer);
    });
  }

  /** Ends the writer thread now (its open transaction rolls back; SQLite stays consistent). */
  private async terminateWriter(): Promise<void> {
    const worker = this.worker;
    if (worker !== null) {
      this.terminating = true;
      await worker.terminate();
    }
  }

  private async execute(taskId: string, repo: string, abort: AbortSignal, setProgress: (value: number) => void): Promise<IndexSummary> {
    const worker = await this.startWorker();
    const { config, events } = this.options;
    const runId = this.nextRunId++;
    const cancel = new Int32Array(new SharedArrayBuffer(4));
    const settings: RunSettings = {
      maxFileSize: config.MAX_FILE_SIZE,
      maxContentLength: config.MAX_CONTENT_LENGTH,
      maxDocumentsPerBatch: config.MAX_DOCUMENTS_PER_BATCH,
      ...(this.options.pressure === undefined ? {} : { minDocumentsPerBatch: this.options.pressure.minDocumentsPerBatch }),
      chunkSize: config.CHUNK_SIZE,
      ...(config.IGNORE_FILE_MAX_BYTES === undefined ? {} : { ignoreFileMaxBytes: config.IGNORE_FILE_MAX_BYTES }),
    };
    const excluded = walkExclusions(this.options.dbPath, this.options.excludedPaths);
    const signal = new SharedArrayBuffer(4);
    // The first reader death, told in its own words: which reader, the file it was reading, why.
    let readerError: string | null = null;
    const readers = this.startReaders(readerCount(config.GITBOT_INDEX_WORKERS), settings, signal, (error, number, reading) => {
      // Stops the writer (it commits nothing more) and wakes it if it sleeps on the readers.
      const where = reading === null ? 'between files' : `while reading ${relative(repo, reading)}`;
      readerError ??= crashMessage(`The indexer's reader thread ${number}`, error, where, readerLimits(settings).maxOldGenerationSizeMb ?? 0);
      Atomics.store(cancel, 0, 2);
      Atomics.notify(new Int32Array(signal), 0);
    });
    const onAbort = (): void => {
      Atomics.store(cancel, 0, 1);
    };
    abort.addEventListener('abort', onAbort, { once: true });
    let finalEvent: IndexDone | null = null;
    const finished = new Promise<IndexSummary>((resolveRun, rejectRun) => {
      const fail = (message: string, summary: IndexSummary): void => {
        const done: IndexDone = { taskId, repo, status: 'failed', summary, error: message };
        finalEvent = done;
        rejectRun(new Error(message));
      };
      this.active = {
        runId,
        cancel,
        onMessage: (message) => {
          if (message.type === 'progress' && message.runId === runId) {
            events.emit('indexProgress', { taskId, repo, ...message.progress });
            if (message.progress.walkDone && message.progress.filesDiscovered > 0) {
              setProgress(message.progress.filesDone / message.progress.filesDiscovered);
            }
          } else if (message.type === 'done' && message.runId === runId) {
            if (readerError !== null) {
              this.options.logger.error(readerError, { repo });
              fail(readerError, message.summary);
              return;
            }
            this.options.logger.info(
              `Indexed ${repo}: ${message.pipeline.readers} reader thread(s), at most ${message.pipeline.maxChunksInFlight} chunk(s) per reader and ${message.pipeline.maxBatchesWaiting} batch(es) waiting, ` +
                `writer idle ${message.pipeline.writerWaitMs} ms; ${message.merges.merges} segment merge(s) in ${message.merges.milliseconds} ms`,
            );
            finalEvent = { taskId, repo, status: message.status, summary: message.summary, error: null };
            if (message.status === 'cancelled') {
              rejectRun(cancelReason(abort));
            } else {
              resolveRun(message.summary);
            }
          } else if (message.type === 'failed' && message.runId === runId) {
            fail(this.integrity.describeWriteFailure(message.message, message.code), emptySummary(repo));
          }
        },
        onCrash: (error) => {
          // An out-of-memory thread reports an error, then exits: the first says why.
          if (finalEvent !== null) {
            return;
          }
          if (abort.aborted) {
            // Ended by force after a cancel or at shutdown: a cancellation, not a failure.
            finalEvent = { taskId, repo, status: 'cancelled', summary: emptySummary(repo), error: 'Stopped by force: the run did not stop when asked' };
            rejectRun(cancelReason(abort));
            return;
          }
          const message = crashMessage("The indexer's writer thread", error, writerWhere(this.lastProgress), WRITER_LIMITS.maxOldGenerationSizeMb ?? 0);
          this.options.logger.error(message, { repo });
          fail(message, emptySummary(repo));
        },
      };
    });
    const ports = readers.map((reader) => reader.port);
    worker.postMessage(
      {
        type: 'run',
        runId,
        root: repo,
        settings,
        excluded,
        cancel: cancel.buffer,
        memoryThresholdBytes: this.options.pressure?.heapBytes ?? config.MEMORY_THRESHOLD_MB * 1024 * 1024,
        pressure: this.options.pressure?.flag.buffer ?? new SharedArrayBuffer(4),
        readers: ports,
        signal,
      } satisfies ToIndexer,
      ports,
    );
    try {
      return await finished;
    } finally {
      abort.removeEventListener('abort', onAbort);
      this.active = null;
      this.writerHeap = null;
      this.lastProgress = null;
      await Promise.all(readers.map((reader) => reader.stop()));
      // Sent once the run's threads are gone, so a listener sees the task settled with it.
      if (finalEvent !== null) {
        events.emit('indexDone', finalEvent);
      }
    }
  }

  /**
   * Starts a run's reader threads; each comes with the writer's end of its port. `onError`
   * hears of a reader's death with its number (from 1) and the file it was reading, if any.
   */
  private startReaders(
    count: number,
    settings: RunSettings,
    signal: SharedArrayBuffer,
    onError: (error: Error, number: number, reading: string | null) => void,
  ): { port: MessagePort; stop: () => Promise<void> }[] {
    const entry = this.options.workers('index-reader-worker');
    return Array.from({ length: count }, (_, index) => {
      const channel = new MessageChannel();
      const reading = createReadingSlot();
      const died = (error: Error): void => onError(error, index + 1, readingNow(reading));
      const workerData: ReaderWorkerData = { port: channel.port2, signal, reading, settings: { maxContentLength: settings.maxContentLength, chunkSize: settings.chunkSize } };
      const worker = new Worker(entry.filename, { execArgv: [...entry.execArgv], workerData, transferList: [channel.port2], resourceLimits: readerLimits(settings) });
      const watch = this.options.onWorker?.(`indexer-reader-${index + 1}`, worker, () => askHeap(worker));
      let stopping = false;
      const exited = new Promise<void>((resolveExit) => {
        worker.once('exit', (code) => {
          void watch?.dispose();
          if (code !== 0 && !stopping) {
            died(new Error(`exited with code ${code}`));
          }
          resolveExit();
        });
      });
      worker.on('error', died);
      return {
        port: channel.port1,
        stop: async () => {
          stopping = true;
          await worker.terminate();
          await exited;
        },
      };
    });
  }

  private startWorker(): Promise<Worker> {
    if (this.disposed) {
      return Promise.reject(new Error('The indexer is shut down'));
    }
    this.ready ??= new Promise<Worker>((resolveReady, rejectReady) => {
      const entry = this.options.workers('indexer-worker');
      const worker = new Worker(entry.filename, { execArgv: [...entry.execArgv], workerData: { dbPath: this.options.dbPath } satisfies IndexerWorkerData, resourceLimits: WRITER_LIMITS });
      this.worker = worker;
      // During a run the writer never returns to its event loop: its progress messages carry its heap.
      const watch = this.options.onWorker?.('indexer-writer', worker, () => (this.writerHeap === null ? askHeap(worker) : Promise.resolve(this.writerHeap)));
      worker.once('exit', () => void watch?.dispose());
      worker.on('message', (message: FromIndexer) => {
        if (message.type === 'ready') {
          resolveReady(worker);
        } else if (message.type === 'open_failed') {
          rejectReady(new Error(`Cannot open the database ${this.options.dbPath}: ${message.message}`));
        } else if (message.type === 'log') {
          this.options.logger[message.level](message.message);
        } else if (message.type === 'progress') {
          this.writerHeap = message.heap;
          this.lastProgress = { phase: message.progress.phase, currentFile: message.progress.currentFile };
          this.active?.onMessage(message);
        } else if (message.type === 'removed') {
          this.removals.get(message.requestId)?.(message);
        } else if (message.type !== 'heap') {
          this.active?.onMessage(message);
        }
      });
      const lost = (error: Error): void => {
        // The next run starts a fresh worker; the database is consistent whatever happened.
        if (this.worker === worker) {
          this.worker = null;
          this.ready = null;
        }
        rejectReady(error);
        this.active?.onCrash(error);
        for (const answer of [...this.removals.values()]) {
          answer(error);
        }
      };
      worker.on('error', lost);
      worker.on('exit', (code) => {
        if (code !== 0 || this.worker === worker) {
          const forced = this.terminating;
          this.terminating = false;
          lost(new Error(forced ? 'the writer thread was terminated' : `the writer thread exited with code ${code}`));
        }
      });
    });
    return this.ready;
  }
}

/** How long dispose waits for a run to stop on its flag before terminating the writer. */
export const DISPOSE_GRACE_MS = 5000;

/** Resolves true when `promise` settles within `ms`, false otherwise. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const settled = await Promise.race([
    promise.then(
      () => true,
      () => true,
    ),
    new Promise<false>((resolveLate) => {
      timer = setTimeout(() => resolveLate(false), ms);
    }),
  ]);
  clearTimeout(timer);
  return settled;
}

/** What the user reads when an indexer thread dies: which thread, where (`where`) and why (out of memory or a crash). */
export function crashMessage(thread: string, error: Error, where: string, heapLimitMb: number): string {
  const outOfMemory = (error as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY';
  const why = outOfMemory ? `it ran out of memory (heap limit ${heapLimitMb} MB)` : `it crashed (${error.message})`;
  return `${thread} stopped ${where}: ${why}`;
}

/** Where the writer was: the phase and the file of its last progress message. */
function writerWhere(last: { phase: string; currentFile: string | null } | null): string {
  return last === null ? 'before its first progress report' : `while ${last.phase}${last.currentFile === null ? '' : ` ${last.currentFile}`}`;
}

function emptySummary(repo: string): IndexSummary {
  return { repo, files_indexed: 0, files_unchanged: 0, files_removed: 0, files_skipped: {}, bytes_indexed: 0, documents: 0, seconds: 0 };
}

/** Why a run was cancelled, as the Error its promise rejects with. */
function cancelReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DOMException('Indexing cancelled', 'AbortError');
}
