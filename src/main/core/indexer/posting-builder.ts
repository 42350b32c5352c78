import { BUCKET_COUNT, BUCKET_MASK, BUCKET_SHIFT, CHAR_BITS, GRAM_SPACE, ORDINAL_BITS } from '../index/format';
import { FOLD_TABLE } from '../index/grams';
import { PostingRowWriter, type PackedPostings } from '../index/posting-codec';

export type { PackedPostings } from '../index/posting-codec';

const NEWLINE = 10;

/** Streaming state of one unit's text, so grams continue across its documents. */
export interface GramCursor {
  ordinal: number;
  serial: number;
  previous: number;
  beforePrevious: number;
  run: number;
}

/**
 * Collects the distinct trigrams of each unit of one batch and encodes them as posting rows.
 * A unit is a run of a file's documents that starts at a line start and ends at a line end:
 * one document, or several when a line is longer than a document. Posting units rather than
 * whole files lets search skip the documents of a large file that cannot match. Memory is
 * fixed (a 2 MB mark table) plus 8 bytes per (unit, distinct gram) pair of the batch;
 * nothing depends on the size of the whole index.
 *
 * Rows are encoded by the index's codec (index/posting-codec.ts).
 */
export class PostingBuilder {
  /**
   * mark[gram] is the serial of the last unit that posted the gram. One byte per gram (an
   * Int32 table was 8 MB of every indexer thread's RSS): serials wrap after 255 units, and the
   * table is cleared then, when no earlier unit is still being added to.
   */
  private readonly mark = new Uint8Array(GRAM_SPACE);
  private serial = 0;
  private pairs = new Int32Array(256 * 1024);
  private pairCount = 0;
  private readonly writer = new PostingRowWriter();

  /** Starts a unit of the current batch; `ordinal` is its index in the segment's unit lists. */
  beginUnit(ordinal: number): GramCursor {
    this.serial += 1;
    if (this.serial > 0xff) {
      this.mark.fill(0);
      this.serial = 1;
    }
    return { ordinal, serial: this.serial, previous: 0, beforePrevious: 0, run: 0 };
  }

  /** Adds a piece of the unit's text. */
  addText(cursor: GramCursor, text: string): void {
    const mark = this.mark;
    const fold = FOLD_TABLE;
    const serial = cursor.serial;
    const ordinal = cursor.ordinal;
    let a = cursor.beforePrevious;
    let b = cursor.previous;
    let run = cursor.run;
    for (let index = 0; index < text.length; index += 1) {
      const code = text.charCodeAt(index);
      if (code === NEWLINE) {
        run = 0;
        continue;
      }
      const folded = fold[code] as number;
      if (run >= 2) {
        const gram = (a << (2 * CHAR_BITS)) | (b << CHAR_BITS) | folded;
        if (mark[gram] !== serial) {
          mark[gram] = serial;
          this.push(gram, ordinal);
        }
      }
      a = b;
      b = folded;
      run += 1;
    }
    cursor.beforePrevious = a;
    cursor.previous = b;
    cursor.run = run;
  }

  /** Encodes the batch's postings and starts an empty batch. */
  finish(): PackedPostings {
    const count = this.pairCount;
    const pairs = this.pairs;
    // Module constants copied to locals: the loops below run millions of times.
    const bucketCount = BUCKET_COUNT;
    const shift = BUCKET_SHIFT;
    const mask = BUCKET_MASK;
    const bucketStarts = new Int32Array(bucketCount + 1);
    for (let index = 0; index < count; index += 2) {
      bucketStarts[((pairs[index] as number) >>> shift) + 1]! += 1;
    }
    for (let bucket = 0; bucket < bucketCount; bucket += 1) {
      bucketStarts[bucket + 1]! += bucketStarts[bucket] as number;
    }
    // Two stable counting sorts (by low bits, then by bucket) leave each bucket's keys sorted
    // by gram then ordinal, since pairs arrive in ordinal order: linear, unlike a comparison sort.
    const lowStarts = new Int32Array(mask + 2);
    for (let index = 0; index < count; index += 2) {
      lowStarts[((pairs[index] as number) & mask) + 1]! += 1;
    }
    for (let low = 0; low <= mask; low += 1) {
      lowStarts[low + 1]! += lowStarts[low] as number;
    }
    const order = new Int32Array(count >>> 1);
    for (let index = 0; index < count; index += 2) {
      order[lowStarts[(pairs[index] as number) & mask]!++] = index;
    }
    const keys = new Int32Array(count >>> 1);
    const fill = bucketStarts.slice(0, bucketCount);
    for (let position = 0; position < order.length; position += 1) {
      const index = order[position] as number;
      const gram = pairs[index] as number;
      keys[fill[gram >>> shift]!++] = ((gram & mask) << ORDINAL_BITS) | (pairs[index + 1] as number);
    }
    const buckets: number[] = [];
    const ends: number[] = [];
    const writer = this.writer;
    writer.reset();
    for (let bucket = 0; bucket < bucketCount; bucket += 1) {
      const start = bucketStarts[bucket] as number;
      const end = bucketStarts[bucket + 1] as number;
      if (start === end) {
        continue;
      }
      writer.appendRow(keys.subarray(start, end));
      buckets.push(bucket);
      ends.push(writer.length);
    }
    this.pairCount = 0;
    if (this.pairs.length > 1024 * 1024) {
      // A huge batch grew the buffer; do not keep that memory for the next one.
      this.pairs = new Int32Array(256 * 1024);
    }
    return { buckets: Int32Array.from(buckets), ends: Int32Array.from(ends), bytes: writer.view(0).slice() };
  }

  private push(gram: number, ordinal: number): void {
    if (this.pairCount + 2 > this.pairs.length) {
      const grown = new Int32Array(this.pairs.length * 2);
      grown.set(this.pairs);
      this.pairs = grown;
    }
    this.pairs[this.pairCount] = gram;
    this.pairs[this.pairCount + 1] = ordinal;
    this.pairCount += 2;
  }
}
