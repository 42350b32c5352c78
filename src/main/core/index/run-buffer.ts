import { BUCKET_COUNT, MAX_SEGMENT_UNITS } from './format';
import { levelOf } from './merge-policy';
import { PostingRowWriter, RowMerge, type PackedPostings } from './posting-codec';
import type { SegmentStore } from './segment-store';
import { mergeUnits } from './unit-merge';

/** Bytes of encoded batch postings held before they are merged into one segment (about 7 segments for the large corpus). */
export const RUN_BUFFER_BYTES = 4 * 1024 * 1024;

/** A file as a batch names it: its row id is known once its first document is written. */
export interface BufferedFile {
  readonly path: string;
  readonly id: number | null;
}

interface BufferedBatch {
  readonly files: readonly BufferedFile[];
  readonly starts: Int32Array;
  readonly postings: PackedPostings;
}

/**
 * The batches' posting rows of a run, held in memory and merged into one segment when the
 * buffer fills or the run ends. Writing one segment per batch and merging them on disk cost
 * the writer an insert per row and a read and delete per row again (a third of its time);
 * merged in memory, each posting is written once. The caller keeps the buffered files
 * `partial` until `writeSegment` has run in the same transaction as their completion.
 */
export class RunBuffer {
  private batches: BufferedBatch[] = [];
  private bytes = 0;
  private units = 0;
  private readonly rows = new RowMerge();
  private readonly writer = new PostingRowWriter();

  private budgetBytes = RUN_BUFFER_BYTES;

  /** Empties the buffer for a new run that writes a segment per `budgetBytes` of postings. */
  start(budgetBytes: number): void {
    this.clear();
    this.budgetBytes = budgetBytes;
  }

  add(files: readonly BufferedFile[], starts: Int32Array, postings: PackedPostings): void {
    this.batches.push({ files, starts, postings });
    this.bytes += postings.bytes.byteLength;
    this.units += starts.length;
  }

  /** True when the next batch might not fit: time to write the segment. */
  get full(): boolean {
    return this.bytes >= this.budgetBytes || this.units >= MAX_SEGMENT_UNITS / 2;
  }

  get empty(): boolean {
    return this.batches.length === 0;
  }

  /** Bytes of encoded postings held (for the memory-pressure log). */
  get heldBytes(): number {
    return this.bytes;
  }

  private clear(): void {
    this.batches = [];
    this.bytes = 0;
    this.units = 0;
  }

  /**
   * Merges the buffered batches into one segment of `repoId` and empties the buffer; returns
   * the segment's id, or null when there was nothing to write. Call inside a transaction.
   */
  writeSegment(store: SegmentStore, repoId: number): number | null {
    const batches = this.batches;
    this.clear();
    const lists = batches.map((batch) => ({
      fileIds: Int32Array.from(batch.files, (file) => {
        if (file.id === null) {
          throw new Error(`A segment names ${file.path}, which no batch has begun`);
        }
        return file.id;
      }),
      starts: batch.starts,
    }));
    const { merged, remaps } = mergeUnits(lists, () => true);
    if (merged.fileIds.length === 0) {
      return null;
    }
    const segment = store.insertSegment(repoId, levelOf(merged.fileIds.length), merged);
    // Per batch, the next of its rows (they are in bucket order) and where its bytes start.
    const next = new Int32Array(batches.length);
    const rows = this.rows;
    const writer = this.writer;
    rows.reset();
    for (let bucket = 0; bucket < BUCKET_COUNT; bucket += 1) {
      rows.nextRow();
      batches.forEach((batch, index) => {
        const row = next[index] as number;
        const { buckets, ends, bytes } = batch.postings;
        if (row < buckets.length && buckets[row] === bucket) {
          rows.add(bytes.subarray(row === 0 ? 0 : ends[row - 1], ends[row]), remaps[index] as Int32Array, { segment, bucket });
          next[index] = row + 1;
        }
      });
      writer.reset();
      if (rows.writeTo(writer)) {
        store.insertPosting(segment, bucket, writer.view());
      }
    }
    return segment;
  }
}
