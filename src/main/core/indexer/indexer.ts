import { Worker } from 'node:worker_threads';
import { resolve } from 'node:path';
import type { IndexDone, IndexSummary } from '../../../shared/types';
import type { Config } from '../config/definitions';
import type { EventHub } from '../events';
import type { Disposable } from '../lifecycle';
import type { Logger } from '../log/logger';
import type { TaskManager } from '../tasks/task-manager';
import type { WorkerLocator } from '../workers';
import type { RunSettings } from './index-run';
import type { FromIndexer, IndexerWorkerData, ToIndexer } from './protocol';
import { validateRoot } from './validate-root';

export interface IndexerOptions {
  readonly dbPath: string;
  readonly config: Pick<Config, 'MAX_FILE_SIZE' | 'MAX_CONTENT_LENGTH' | 'MAX_DOCUMENTS_PER_BATCH' | 'CHUNK_SIZE' | 'MEMORY_THRESHOLD_MB'>;
  readonly tasks: TaskManager;
  readonly events: EventHub;
  readonly logger: Logger;
  readonly workers: WorkerLocator;
}

interface ActiveRun {
  readonly runId: number;
  readonly cancel: Int32Array;
  onMessage(message: FromIndexer): void;
  onCrash(error: Error): void;
}

/**
 * Coordinates indexing from the main thread. Each start is a task of type 'indexing'; runs
 * execute one at a time, in the order they were asked for (a later start waits in the
 * queue as a pending-then-running task), in the single long-lived writer worker, which is
 * started on the first run and closed by dispose. The main thread never writes.
 */
export class Indexer implements Disposable {
  private worker: Worker | null = null;
  private ready: Promise<Worker> | null = null;
  private active: ActiveRun | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private nextRunId = 1;
  private disposed = false;

  constructor(private readonly options: IndexerOptions) {}

  /** Validates the folder and queues a run; throws an AppError for bad input. */
  start(path: string): { taskId: string; repo: string } {
    const repo = validateRoot(path, this.options.dbPath);
    const previous = this.queue;
    const handle = this.options.tasks.run('indexing', { repo }, async (context) => {
      await previous.catch(() => undefined);
      context.signal.throwIfAborted();
      return this.execute(context.id, repo, context.signal, (progress) => context.setProgress(progress));
    });
    this.queue = handle.done.catch(() => undefined);
    return { taskId: handle.id, repo };
  }

  /** Cancels an indexing task; false when no such task is active. */
  cancel(taskId: string): boolean {
    return this.options.tasks.cancel(taskId, 'Indexing cancelled by request');
  }

  async dispose(): Promise<void> {
    if (this.disposed) {
      return;
    }
    this.disposed = true;
    if (this.active !== null) {
      Atomics.store(this.active.cancel, 0, 1);
    }
    await this.queue;
    const worker = this.worker;
    this.worker = null;
    this.ready = null;
    if (worker === null) {
      return;
    }
    await new Promise<void>((resolveClosed) => {
      const timer = setTimeout(() => void worker.terminate().then(() => resolveClosed()), 5000);
      worker.once('exit', () => {
        clearTimeout(timer);
        resolveClosed();
      });
      worker.postMessage({ type: 'close' } satisfies ToIndexer);
    });
  }

  private async execute(taskId: string, repo: string, signal: AbortSignal, setProgress: (value: number) => void): Promise<IndexSummary> {
    const worker = await this.startWorker();
    const { config, events } = this.options;
    const runId = this.nextRunId++;
    const cancel = new Int32Array(new SharedArrayBuffer(4));
    const settings: RunSettings = {
      maxFileSize: config.MAX_FILE_SIZE,
      maxContentLength: config.MAX_CONTENT_LENGTH,
      maxDocumentsPerBatch: config.MAX_DOCUMENTS_PER_BATCH,
      chunkSize: config.CHUNK_SIZE,
    };
    const database = resolve(this.options.dbPath);
    const excluded = [database, `${database}-wal`, `${database}-shm`, `${database}-journal`];
    const onAbort = (): void => {
      Atomics.store(cancel, 0, 1);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    const finished = new Promise<IndexSummary>((resolveRun, rejectRun) => {
      const fail = (message: string, summary: IndexSummary): void => {
        const done: IndexDone = { taskId, repo, status: 'failed', summary, error: message };
        events.emit('indexDone', done);
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
            events.emit('indexDone', { taskId, repo, status: message.status, summary: message.summary, error: null });
            if (message.status === 'cancelled') {
              rejectRun(signal.reason ?? new DOMException('Indexing cancelled', 'AbortError'));
            } else {
              resolveRun(message.summary);
            }
          } else if (message.type === 'failed' && message.runId === runId) {
            fail(message.message, emptySummary(repo));
          }
        },
        onCrash: (error) => fail(`The indexer stopped: ${error.message}`, emptySummary(repo)),
      };
    });
    worker.postMessage({ type: 'run', runId, root: repo, settings, excluded, cancel: cancel.buffer as SharedArrayBuffer, memoryThresholdBytes: config.MEMORY_THRESHOLD_MB * 1024 * 1024 } satisfies ToIndexer);
    try {
      return await finished;
    } finally {
      signal.removeEventListener('abort', onAbort);
      this.active = null;
    }
  }

  private startWorker(): Promise<Worker> {
    if (this.disposed) {
      return Promise.reject(new Error('The indexer is shut down'));
    }
    this.ready ??= new Promise<Worker>((resolveReady, rejectReady) => {
      const entry = this.options.workers('indexer-worker');
      const worker = new Worker(entry.filename, { execArgv: [...entry.execArgv], workerData: { dbPath: this.options.dbPath } satisfies IndexerWorkerData });
      this.worker = worker;
      worker.on('message', (message: FromIndexer) => {
        if (message.type === 'ready') {
          resolveReady(worker);
        } else if (message.type === 'open_failed') {
          rejectReady(new Error(`Cannot open the database ${this.options.dbPath}: ${message.message}`));
        } else if (message.type === 'log') {
          this.options.logger[message.level](message.message);
        } else {
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
      };
      worker.on('error', lost);
      worker.on('exit', (code) => {
        if (code !== 0 || this.worker === worker) {
          lost(new Error(`indexer worker exited with code ${code}`));
        }
      });
    });
    return this.ready;
  }
}

function emptySummary(repo: string): IndexSummary {
  return { repo, files_indexed: 0, files_unchanged: 0, files_removed: 0, files_skipped: {}, bytes_indexed: 0, documents: 0, seconds: 0 };
}
