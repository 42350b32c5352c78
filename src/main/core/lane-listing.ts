import { AppError } from './base/errors';
import type { ListingOutcome } from './search-listing';
import { blockCount, outputBytes, type Lane, type LaneChunk, LANE_BLOCK_FILES } from './search/listing-lanes';
import type { PlanShape } from './search/listing-chunk';
import type { ResultError } from '../../shared/result';
import type { StreamWriter } from './stream-writer';

/** The other lane as the writer sees it (query/listing-thread.ts). */
export interface RemoteLane {
  poll(): LaneChunk | null | undefined;
  arrival(): Promise<void>;
  written(bytes: number): void;
}

export interface LaneListingOptions {
  /** This thread's lane. */
  readonly local: Lane;
  readonly remote: RemoteLane;
  readonly writer: StreamWriter;
  /** How an error of either lane reaches the user. */
  readonly describe: (error: unknown) => ResultError;
  /** The block size both lanes use (LANE_BLOCK_FILES by default). */
  readonly blockFiles?: number;
  /** Most bytes of this thread's chunks held while an earlier block is still being listed. */
  readonly windowBytes: number;
}

/** The chunks of one block, in order, until its last came. */
interface HeldBlock {
  readonly chunks: { readonly chunk: LaneChunk; readonly remote: boolean }[];
  complete: boolean;
}

/**
 * Writes a full listing listed by two lanes, in plan order: the chunks of the block the
 * listing has reached are written as they come, a later block's are held until then. This
 * thread lists its own blocks between writes, and waits for the other lane only when the
 * block reached is the other lane's or its own held chunks fill the window.
 */
export async function writeLaneListing(options: LaneListingOptions): Promise<ListingOutcome> {
  const { local, remote, writer } = options;
  const blockFiles = options.blockFiles ?? LANE_BLOCK_FILES;
  const { windowBytes } = options;
  const held = new Map<number, HeldBlock>();
  let shape: PlanShape | undefined;
  let blocks = Number.POSITIVE_INFINITY;
  let reached = 0;
  let written = 0;
  let localHeld = 0;
  let localDone = false;
  let remoteDone = false;

  const hold = (chunk: LaneChunk, remoteChunk: boolean): void => {
    if (chunk.plan !== undefined) {
      if (shape === undefined) {
        shape = chunk.plan;
        blocks = blockCount(shape.files, blockFiles);
      } else if (shape.files !== chunk.plan.files || shape.fingerprint !== chunk.plan.fingerprint) {
        throw new AppError('bad_request', 'The index changed during the listing; run the search again');
      }
    }
    const block = held.get(chunk.block) ?? { chunks: [], complete: false };
    block.chunks.push({ chunk, remote: remoteChunk });
    block.complete = chunk.lastOfBlock;
    held.set(chunk.block, block);
    if (!remoteChunk) {
      localHeld += outputBytes(chunk.output);
    }
  };

  // Writes what the listing has reached, block after block, while it is there.
  const writeReached = async (): Promise<void> => {
    for (let block = held.get(reached); block !== undefined && !writer.closed; block = held.get(reached)) {
      for (const { chunk, remote: remoteChunk } of block.chunks.splice(0)) {
        writer.push(chunk.output);
        await writer.flush();
        written += chunk.lines;
        const bytes = outputBytes(chunk.output);
        if (remoteChunk) {
          remote.written(bytes);
        } else {
          localHeld -= bytes;
        }
      }
      if (!block.complete) {
        return;
      }
      held.delete(reached);
      reached += 1;
    }
  };

  const takeArrived = (): void => {
    for (let chunk = remote.poll(); chunk !== undefined; chunk = remote.poll()) {
      if (chunk === null) {
        remoteDone = true;
        return;
      }
      hold(chunk, true);
    }
  };

  try {
    while (reached < blocks && !writer.closed) {
      takeArrived();
      await writeReached();
      if (reached >= blocks || writer.closed) {
        break;
      }
      if (!localDone && localHeld < windowBytes) {
        const chunk = local.next();
        if (chunk === null) {
          localDone = true;
        } else {
          hold(chunk, false);
        }
        // Lets the other lane's chunks in (worker messages come in the poll phase).
        await new Promise((resolve) => setImmediate(resolve));
      } else if (!remoteDone) {
        await remote.arrival();
      } else {
        // Both lanes are done, so every block was listed and written.
        throw new Error(`The listing ended at block ${reached} of ${blocks}`);
      }
    }
    await writer.flush();
    return { ok: true, written, last: undefined, more: false };
  } catch (error) {
    await writer.flush();
    return { ok: false, written, error: options.describe(error) };
  }
}
