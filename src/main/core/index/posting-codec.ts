/**
 * The one codec of posting rows (docs/INDEX-FORMAT.md, "Posting rows"). A row holds, for one
 * bucket of one segment, every gram of the bucket that the segment's units contain, each with
 * the ordinals of those units:
 *
 *   row   = entry+ crc32
 *   entry = varint(gram low bits, as a delta from the previous entry's) varint(count)
 *           varint(ordinal, as a delta from the previous ordinal){count}
 *
 * Varints are LEB128; every stored value is below 2^21, so a varint has at most 3 bytes. Low
 * bits ascend strictly, ordinals ascend strictly within an entry, and the row ends in the
 * CRC-32 of the bytes before it, little-endian. Readers check all of it: a damaged row is a
 * CorruptIndexError, never a crash or a wrong answer.
 */
import { crc32 } from 'node:zlib';
import { CorruptIndexError, type IndexLocation } from './corrupt-index';
import { BUCKET_LOWS, ORDINAL_BITS, ORDINAL_MASK, ROW_CHECKSUM_BYTES } from './format';

/** Bytes of a varint at most: every value is below 2^21. */
const MAX_VARINT_BYTES = 3;
/** Bytes one entry key can take at most: a low delta, a count and an ordinal delta. */
const MAX_KEY_BYTES = 3 * MAX_VARINT_BYTES;
/** Below this many keys a row's keys are sorted directly: the counting sort's table costs more. */
const COUNTING_SORT_MIN = 4096;

/** Writes posting rows one after the other into one growable buffer. */
export class PostingRowWriter {
  private bytes = new Uint8Array(64 * 1024);
  length = 0;

  reset(): void {
    this.length = 0;
  }

  /**
   * Appends one row holding `keys` (entry keys, see format.ts: sorted ascending, at least one;
   * duplicates are written once) and its checksum; returns the row's end offset.
   */
  appendRow(keys: Int32Array): number {
    if (keys.length === 0) {
      throw new Error('A posting row needs at least one entry');
    }
    this.reserve(keys.length * MAX_KEY_BYTES + ROW_CHECKSUM_BYTES);
    const start = this.length;
    let index = 0;
    let previousLow = 0;
    while (index < keys.length) {
      const low = (keys[index] as number) >>> ORDINAL_BITS;
      let last = index;
      let distinct = 0;
      let previousKey = -1;
      while (last < keys.length && (keys[last] as number) >>> ORDINAL_BITS === low) {
        if (keys[last] !== previousKey) {
          distinct += 1;
          previousKey = keys[last] as number;
        }
        last += 1;
      }
      this.varint(low - previousLow);
      this.varint(distinct);
      let previousOrdinal = 0;
      previousKey = -1;
      for (let entry = index; entry < last; entry += 1) {
        const key = keys[entry] as number;
        if (key !== previousKey) {
          previousKey = key;
          const ordinal = key & ORDINAL_MASK;
          this.varint(ordinal - previousOrdinal);
          previousOrdinal = ordinal;
        }
      }
      previousLow = low;
      index = last;
    }
    const checksum = crc32(this.bytes.subarray(start, this.length));
    new DataView(this.bytes.buffer, this.bytes.byteOffset).setUint32(this.length, checksum, true);
    this.length += ROW_CHECKSUM_BYTES;
    return this.length;
  }

  /** The bytes written since `start`, as a view (valid until the next write). */
  view(start = 0): Uint8Array {
    return this.bytes.subarray(start, this.length);
  }

  private reserve(more: number): void {
    if (this.length + more <= this.bytes.length) {
      return;
    }
    const grown = new Uint8Array(Math.max(this.length + more, this.bytes.length * 2));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  private varint(value: number): void {
    const bytes = this.bytes;
    let rest = value;
    while (rest >= 0x80) {
      bytes[this.length++] = (rest & 0x7f) | 0x80;
      rest >>>= 7;
    }
    bytes[this.length++] = rest;
  }
}

/** Throws unless `data` is a whole row: long enough and its checksum right. */
export function verifyRow(data: Uint8Array, where: IndexLocation): void {
  if (data.length < 2 + 1 + ROW_CHECKSUM_BYTES) {
    throw new CorruptIndexError(where, `is ${data.length} bytes long, shorter than one entry and its checksum`);
  }
  const body = data.length - ROW_CHECKSUM_BYTES;
  const stored = new DataView(data.buffer, data.byteOffset, data.byteLength).getUint32(body, true);
  if (crc32(data.subarray(0, body)) !== stored) {
    throw new CorruptIndexError(where, 'fails its checksum');
  }
}

/** A bounds-checked cursor over a verified row's entries. */
class RowCursor {
  offset = 0;
  private readonly end: number;

  constructor(
    private readonly data: Uint8Array,
    private readonly where: IndexLocation,
  ) {
    this.end = data.length - ROW_CHECKSUM_BYTES;
  }

  get done(): boolean {
    return this.offset >= this.end;
  }

  varint(): number {
    const data = this.data;
    let value = 0;
    for (let shift = 0; shift < 7 * MAX_VARINT_BYTES; shift += 7) {
      if (this.offset >= this.end) {
        throw this.corrupt('ends inside a value');
      }
      const byte = data[this.offset++] as number;
      value |= (byte & 0x7f) << shift;
      if (byte < 0x80) {
        return value;
      }
    }
    throw this.corrupt(`holds a value longer than ${MAX_VARINT_BYTES} bytes`);
  }

  /** Skips `count` varints: only their last bytes need counting. */
  skip(count: number): void {
    const data = this.data;
    for (let left = count; left > 0;) {
      if (this.offset >= this.end) {
        throw this.corrupt('ends inside an entry');
      }
      if ((data[this.offset++] as number) < 0x80) {
        left -= 1;
      }
    }
  }

  /** The next entry's gram low bits and count, checked against the previous low (-1 at the start). */
  entry(previousLow: number, unitCount: number): { low: number; count: number } {
    const delta = this.varint();
    const low = previousLow < 0 ? delta : previousLow + delta;
    if (previousLow >= 0 && delta === 0) {
      throw this.corrupt(`repeats gram ${low}`);
    }
    if (low >= BUCKET_LOWS) {
      throw this.corrupt(`has gram ${low}, past the bucket's ${BUCKET_LOWS}`);
    }
    const count = this.varint();
    if (count === 0 || count > unitCount) {
      throw this.corrupt(`gives gram ${low} ${count} units (the segment has ${unitCount})`);
    }
    return { low, count };
  }

  corrupt(reason: string): CorruptIndexError {
    return new CorruptIndexError(this.where, reason);
  }
}

/** Where one gram's ordinals start in a verified row. */
export interface GramEntry {
  readonly offset: number;
  readonly count: number;
}

/** The entry of gram `low` in a verified row of a segment of `unitCount` units, or null when absent. */
export function findGram(data: Uint8Array, low: number, unitCount: number, where: IndexLocation): GramEntry | null {
  const row = new RowCursor(data, where);
  let previous = -1;
  while (!row.done) {
    const entry = row.entry(previous, unitCount);
    if (entry.low === low) {
      return { offset: row.offset, count: entry.count };
    }
    if (entry.low > low) {
      return null;
    }
    row.skip(entry.count);
    previous = entry.low;
  }
  return null;
}

/**
 * Decodes the ordinals of an entry `findGram` returned into `target` (at least `entry.count`
 * long): ascending, each below `unitCount`.
 */
export function decodeOrdinals(data: Uint8Array, entry: GramEntry, unitCount: number, where: IndexLocation, target: Int32Array): void {
  const row = new RowCursor(data, where);
  row.offset = entry.offset;
  let ordinal = -1;
  for (let index = 0; index < entry.count; index += 1) {
    const delta = row.varint();
    ordinal = index === 0 ? delta : ordinal + delta;
    if ((index > 0 && delta === 0) || ordinal >= unitCount) {
      throw row.corrupt(`names unit ${ordinal} out of order or past the segment's ${unitCount} units`);
    }
    target[index] = ordinal;
  }
}

/**
 * Merges posting rows of several segments into one row: each row's ordinals are mapped to the
 * merged segment's (a mapping of -1 drops the posting), then the keys are sorted and encoded.
 * One instance is reused for every bucket of every merge.
 */
export class RowMerge {
  private keys = new Int32Array(64 * 1024);
  private sorted = new Int32Array(64 * 1024);
  private readonly lowStarts = new Int32Array(BUCKET_LOWS + 1);
  private count = 0;
  /** Postings dropped since the last `reset`. */
  dropped = 0;

  /** Starts a merge. */
  reset(): void {
    this.count = 0;
    this.dropped = 0;
  }

  /** Starts the next bucket of the same merge. */
  nextRow(): void {
    this.count = 0;
  }

  /** Decodes and checks a row (verifying its checksum) whose ordinals `remap` maps. */
  add(data: Uint8Array, remap: Int32Array, where: IndexLocation): void {
    verifyRow(data, where);
    const row = new RowCursor(data, where);
    let previous = -1;
    while (!row.done) {
      const { low, count } = row.entry(previous, remap.length);
      this.reserve(count);
      const keys = this.keys;
      let ordinal = -1;
      for (let index = 0; index < count; index += 1) {
        const delta = row.varint();
        ordinal = index === 0 ? delta : ordinal + delta;
        if ((index > 0 && delta === 0) || ordinal >= remap.length) {
          throw row.corrupt(`names unit ${ordinal} out of order or past the segment's ${remap.length} units`);
        }
        const mapped = remap[ordinal] as number;
        if (mapped < 0) {
          this.dropped += 1;
        } else {
          keys[this.count++] = (low << ORDINAL_BITS) | mapped;
        }
      }
      previous = low;
    }
  }

  /** Appends the merged row to `writer`; false (nothing written) when every posting was dropped. */
  writeTo(writer: PostingRowWriter): boolean {
    if (this.count === 0) {
      return false;
    }
    writer.appendRow(this.sortKeys());
    return true;
  }

  private reserve(more: number): void {
    if (this.count + more > this.keys.length) {
      const grown = new Int32Array(Math.max(this.count + more, this.keys.length * 2));
      grown.set(this.keys.subarray(0, this.count));
      this.keys = grown;
    }
  }

  /**
   * Sorts the keys: a stable counting sort by gram (rows arrive in file order, so ordinals
   * mostly ascend already), then a comparison sort only for grams still out of order.
   */
  private sortKeys(): Int32Array {
    const count = this.count;
    const source = this.keys;
    if (count < COUNTING_SORT_MIN) {
      return source.subarray(0, count).sort();
    }
    const starts = this.lowStarts;
    starts.fill(0);
    for (let index = 0; index < count; index += 1) {
      starts[((source[index] as number) >>> ORDINAL_BITS) + 1]! += 1;
    }
    for (let low = 0; low < BUCKET_LOWS; low += 1) {
      starts[low + 1]! += starts[low] as number;
    }
    if (this.sorted.length < count) {
      this.sorted = new Int32Array(Math.max(count, this.sorted.length * 2));
    }
    const target = this.sorted;
    for (let index = 0; index < count; index += 1) {
      const key = source[index] as number;
      target[starts[key >>> ORDINAL_BITS]!++] = key;
    }
    // Each starts[low] is now the end of that gram's run.
    let start = 0;
    for (let low = 0; low < BUCKET_LOWS; low += 1) {
      const end = starts[low] as number;
      for (let index = start + 1; index < end; index += 1) {
        if ((target[index] as number) < (target[index - 1] as number)) {
          target.subarray(start, end).sort();
          break;
        }
      }
      start = end;
    }
    return target.subarray(0, count);
  }
}

/**
 * A segment's posting rows packed into three typed arrays, so they cross threads as a single
 * transfer: row `i` is bucket `buckets[i]`, bytes `[ends[i - 1] ?? 0, ends[i])` of `bytes`.
 */
export interface PackedPostings {
  readonly buckets: Int32Array;
  readonly ends: Int32Array;
  readonly bytes: Uint8Array;
}
