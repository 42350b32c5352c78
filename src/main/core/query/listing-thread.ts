import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { WorkerEntry } from '../base/workers';
import { rebuildError } from '../db/reader-connection';
import type { LaneChunk, LaneCounters } from '../search/listing-lanes';
import type { FromListingWorker, ListingWorkerData } from './listing-protocol';

/**
 * The writing thread's side of the listing worker: the chunks it posted, in the order it
 * listed them, until it ends or fails. How many may wait here is the worker's window
 * (LaneCounters), not this queue's.
 */
export class ListingThread {
  private readonly worker: Worker;
  private readonly queue: LaneChunk[] = [];
  private ended = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;

  constructor(
    entry: WorkerEntry,
    data: Omit<ListingWorkerData, 'counters'>,
    private readonly counters: LaneCounters,
    /** The worker's V8 limits (the budget's searchReaderLimits). */
    resourceLimits?: ResourceLimits,
  ) {
    this.worker = new Worker(entry.filename, {
      execArgv: [...entry.execArgv],
      workerData: { ...data, counters: counters.buffer } satisfies ListingWorkerData,
      ...(resourceLimits === undefined ? {} : { resourceLimits }),
    });
    let lastError: Error | undefined;
    this.worker.on('message', (message: FromListingWorker) => {
      if (message.type === 'chunk') {
        const { type: _chunk, ...chunk } = message;
        this.queue.push(chunk);
      } else if (message.type === 'end') {
        this.ended = true;
      } else {
        this.failure = rebuildError(message.error);
      }
      this.notify();
    });
    this.worker.on('error', (error) => {
      lastError = error;
    });
    this.worker.once('exit', (code) => {
      if (!this.ended && this.failure === undefined) {
        this.failure = new Error(`The listing thread stopped (exit code ${code})${lastError === undefined ? '' : `: ${lastError.message}`}`);
      }
      this.notify();
    });
  }

  /** The next chunk received: null once the worker listed all its blocks, undefined while none has come; throws what the worker failed with. */
  poll(): LaneChunk | null | undefined {
    const chunk = this.queue.shift();
    if (chunk !== undefined) {
      return chunk;
    }
    if (this.failure !== undefined) {
      throw this.failure;
    }
    return this.ended ? null : undefined;
  }

  /** Resolves once poll() has something to give: at once when it has, else at the worker's next message or exit. */
  arrival(): Promise<void> {
    if (this.queue.length > 0 || this.ended || this.failure !== undefined) {
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.wake = resolve;
    });
  }

  /** A chunk of the worker's, of `bytes`, was written: room for more. */
  written(bytes: number): void {
    this.counters.written(bytes);
  }

  /** Stops the worker wherever it is; its connection closes with the thread. */
  async close(): Promise<void> {
    this.counters.cancel();
    await this.worker.terminate();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
