import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { BatchBuilder, type Batch, type BatchSettings, type Chunk } from './batch-builder';
import type { PipelineStats } from './protocol';

export type { PipelineStats };

/** Chunks one reader may hold at once (being read, or read and waiting for the writer). */
export const MAX_CHUNKS_IN_FLIGHT = 2;

/**
 * Where the writer gets its batches from. It submits chunks of files while `canSubmit`,
 * then takes the finished batches, one reader's in the order it built them.
 */
export interface BatchSource {
  canSubmit(): boolean;
  submit(chunk: Chunk): void;
  /** Chunks submitted whose last batch has not been taken yet. */
  pending(): number;
  /** The next finished batch; with `wait`, blocks until one arrives or `stop()` is true. */
  take(wait: boolean, stop: () => boolean): Batch | null;
  stats(): PipelineStats;
}

/** No reader threads: the writer reads each chunk itself when it submits it. */
export class LocalSource implements BatchSource {
  private readonly ready: Batch[] = [];
  private readonly builder: BatchBuilder;
  private chunks = 0;
  private maxWaiting = 0;

  constructor(settings: BatchSettings) {
    this.builder = new BatchBuilder(settings, (batch) => {
      this.ready.push(batch);
      this.maxWaiting = Math.max(this.maxWaiting, this.ready.length);
    });
  }

  canSubmit(): boolean {
    return this.chunks === 0;
  }

  submit(chunk: Chunk): void {
    this.chunks += 1;
    this.builder.addChunk(chunk);
  }

  pending(): number {
    return this.chunks;
  }

  take(): Batch | null {
    const batch = this.ready.shift() ?? null;
    if (batch?.last === true) {
      this.chunks -= 1;
    }
    return batch;
  }

  stats(): PipelineStats {
    return { readers: 0, maxChunksInFlight: 1, maxBatchesWaiting: this.maxWaiting, writerWaitMs: 0 };
  }
}

/** Messages on a reader's port. */
export type ToReader = { readonly type: 'chunk'; readonly chunk: Chunk };
export type FromReader = { readonly type: 'batch'; readonly batch: Batch } | { readonly type: 'failed'; readonly message: string };

interface Lane {
  readonly port: MessagePort;
  inFlight: number;
}

/**
 * Reader threads, one port each. The writer stays synchronous: it polls the ports with
 * receiveMessageOnPort and sleeps on a shared counter the readers bump after each post.
 * Each reader holds at most MAX_CHUNKS_IN_FLIGHT chunks, so the batches waiting for the
 * writer, and the memory they hold, stay bounded whatever the speed of either side.
 */
export class ThreadSource implements BatchSource {
  private readonly lanes: Lane[];
  private next = 0;
  private maxInFlight = 0;
  private taken = 0;
  private maxWaiting = 0;
  private waitedMs = 0;

  constructor(
    ports: readonly MessagePort[],
    private readonly signal: Int32Array,
  ) {
    this.lanes = ports.map((port) => ({ port, inFlight: 0 }));
  }

  canSubmit(): boolean {
    return this.lanes.some((lane) => lane.inFlight < MAX_CHUNKS_IN_FLIGHT);
  }

  submit(chunk: Chunk): void {
    let best: Lane | undefined;
    for (const lane of this.lanes) {
      if (lane.inFlight < MAX_CHUNKS_IN_FLIGHT && (best === undefined || lane.inFlight < best.inFlight)) {
        best = lane;
      }
    }
    if (best === undefined) {
      throw new Error('every reader is full');
    }
    best.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, best.inFlight);
    best.port.postMessage({ type: 'chunk', chunk } satisfies ToReader);
  }

  pending(): number {
    return this.lanes.reduce((sum, lane) => sum + lane.inFlight, 0);
  }

  take(wait: boolean, stop: () => boolean): Batch | null {
    for (;;) {
      const seen = Atomics.load(this.signal, 0);
      const batch = this.poll();
      if (batch !== null || !wait || stop() || this.pending() === 0) {
        return batch;
      }
      const started = performance.now();
      // Timed, so a cancel is noticed even if no reader ever posts again.
      Atomics.wait(this.signal, 0, seen, 50);
      this.waitedMs += performance.now() - started;
    }
  }

  stats(): PipelineStats {
    return { readers: this.lanes.length, maxChunksInFlight: this.maxInFlight, maxBatchesWaiting: this.maxWaiting, writerWaitMs: Math.round(this.waitedMs) };
  }

  private poll(): Batch | null {
    for (let tried = 0; tried < this.lanes.length; tried += 1) {
      const lane = this.lanes[this.next] as Lane;
      this.next = (this.next + 1) % this.lanes.length;
      const received = receiveMessageOnPort(lane.port);
      if (received === undefined) {
        continue;
      }
      const message = received.message as FromReader;
      if (message.type === 'failed') {
        throw new Error(`A reader thread failed: ${message.message}`);
      }
      // Readers bump the counter once per batch posted: posted minus taken is the queue.
      this.taken += 1;
      this.maxWaiting = Math.max(this.maxWaiting, Atomics.load(this.signal, 0) - this.taken + 1);
      if (message.batch.last) {
        lane.inFlight -= 1;
      }
      return message.batch;
    }
    return null;
  }
}
