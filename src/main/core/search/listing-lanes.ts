/**
 * A full listing on two threads: the plan's files are cut into blocks, and each lane (the
 * CLI's own thread and one listing worker, query/listing-worker.ts) takes the next block
 * from a counter both share, lists it chunk by chunk and hands its chunks to the writer,
 * which puts them back in plan order (core/lane-listing.ts). A lane only ever holds one
 * chunk; what waits to be written is bounded by a window of bytes (the memory budget's
 * listingWindowBytes), which LaneCounters keep for the worker and the writer for its own thread.
 */
import type { ListingArgs, ListingChunk, PlanShape } from './listing-chunk';

/** Files of the plan in one block: a multiple of the 64 files a grouped read takes at once (read-plan.ts). */
export const LANE_BLOCK_FILES = 256;

/** The Int32 slots the lanes share: the next block to take, the worker's bytes not yet written, a cancel flag. */
const NEXT_BLOCK = 0;
const WAITING_BYTES = 1;
const CANCELLED = 2;

/** Counters both lanes see at once (a SharedArrayBuffer), so neither waits for a message to learn them. */
export class LaneCounters {
  readonly buffer: SharedArrayBuffer;
  private readonly slots: Int32Array;

  constructor(buffer: SharedArrayBuffer = new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT)) {
    this.buffer = buffer;
    this.slots = new Int32Array(buffer);
  }

  /** Takes the next block: each block is taken by exactly one lane. */
  takeBlock(): number {
    return Atomics.add(this.slots, NEXT_BLOCK, 1);
  }

  /** The worker's chunk of `bytes` is on its way to the writer. */
  sent(bytes: number): void {
    Atomics.add(this.slots, WAITING_BYTES, bytes);
  }

  /** The writer wrote a chunk of the worker's `bytes`; wakes the worker if it waits for room. */
  written(bytes: number): void {
    Atomics.sub(this.slots, WAITING_BYTES, bytes);
    Atomics.notify(this.slots, WAITING_BYTES);
  }

  /**
   * Waits (in the worker: Atomics.wait blocks the thread) until fewer than `windowBytes` wait to
   * be written or the listing is cancelled; each wait is at most `pollMs`, so a cancel is seen
   * even if its wake-up is missed. Returns false when cancelled.
   */
  waitForRoom(windowBytes: number, pollMs: number): boolean {
    for (;;) {
      if (this.cancelled) {
        return false;
      }
      const waiting = Atomics.load(this.slots, WAITING_BYTES);
      if (waiting < windowBytes) {
        return true;
      }
      Atomics.wait(this.slots, WAITING_BYTES, waiting, pollMs);
    }
  }

  cancel(): void {
    Atomics.store(this.slots, CANCELLED, 1);
    Atomics.notify(this.slots, WAITING_BYTES);
  }

  get cancelled(): boolean {
    return Atomics.load(this.slots, CANCELLED) === 1;
  }
}

/** One chunk of a lane: its block, whether it is the block's last, its output lines and the plan's shape. */
export interface LaneChunk {
  readonly block: number;
  readonly lastOfBlock: boolean;
  readonly output: string | Uint8Array;
  readonly lines: number;
  readonly plan: PlanShape | undefined;
}

/** What a lane lists with: one chunk of a listing (listingChunk on the lane's own connection). */
export type RunChunk = (args: ListingArgs) => ListingChunk;

/**
 * One lane: lists the blocks it takes, one chunk per call. `args` is the listing without a
 * cursor; `blockFiles` the block size both lanes use.
 */
export class Lane {
  private block = -1;
  private cursor: string | undefined;
  private finished = false;

  constructor(
    private readonly args: ListingArgs,
    private readonly counters: LaneCounters,
    private readonly run: RunChunk,
    private readonly blockFiles: number = LANE_BLOCK_FILES,
  ) {}

  /** The lane's next chunk; null once the blocks it takes lie past the plan's end. */
  next(): LaneChunk | null {
    if (this.finished) {
      return null;
    }
    if (this.cursor === undefined) {
      this.block = this.counters.takeBlock();
    }
    const from = this.block * this.blockFiles;
    const { cursor: _none, ...listing } = this.args;
    const chunk = this.run({ ...listing, ...(this.cursor === undefined ? {} : { cursor: this.cursor }), files: { from, until: from + this.blockFiles } });
    // No plan at all: an index without tables yet (read-ops.ts) lists nothing.
    const planFiles = chunk.plan?.files ?? 0;
    // Block 0 is always listed, even of an empty plan, so the writer learns the plan's shape.
    if (from >= planFiles && this.block > 0) {
      this.finished = true;
      return null;
    }
    this.cursor = chunk.nextCursor;
    return { block: this.block, lastOfBlock: this.cursor === undefined, output: chunk.output, lines: chunk.lines, plan: chunk.plan };
  }
}

/** What a chunk weighs against the window: bytes, or a string's heap (two bytes a character). */
export function outputBytes(output: string | Uint8Array): number {
  return typeof output === 'string' ? output.length * 2 : output.byteLength;
}

/** Blocks of a plan of `files` files (at least one, so an empty plan still has its block 0). */
export function blockCount(files: number, blockFiles: number = LANE_BLOCK_FILES): number {
  return Math.max(1, Math.ceil(files / blockFiles));
}
