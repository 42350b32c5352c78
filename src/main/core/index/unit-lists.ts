/**
 * A segment's unit lists (segments.file_ids and segments.unit_starts): Int32 values,
 * little-endian, 4 bytes per ordinal, the same count in both.
 */
import { endianness } from 'node:os';
import { CorruptIndexError } from './corrupt-index';
import { MAX_SEGMENT_UNITS } from './format';

// Int32Array is native order; the format is little-endian, so a big-endian machine would misread it.
if (endianness() !== 'LE') {
  throw new Error('The index format is little-endian; this machine is big-endian');
}

/** Per ordinal: the unit's file id, and the index of its first document in that file. */
export interface UnitLists {
  readonly fileIds: Int32Array;
  readonly starts: Int32Array;
}

/** The list's bytes, for a BLOB parameter, without a copy. */
export function int32Blob(values: Int32Array): Buffer {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
}

/** A BLOB's values, copied: the bytes SQLite hands over need not be 4-byte aligned. */
function int32sOf(bytes: Uint8Array): Int32Array {
  const values = new Int32Array(bytes.byteLength / 4);
  new Uint8Array(values.buffer).set(bytes);
  return values;
}

/** Decodes and checks the two columns of segment `segment`. */
export function readUnitLists(segment: number, fileIds: Uint8Array, starts: Uint8Array): UnitLists {
  const where = { segment };
  if (fileIds.byteLength % 4 !== 0 || starts.byteLength !== fileIds.byteLength) {
    throw new CorruptIndexError(where, `are ${fileIds.byteLength} and ${starts.byteLength} bytes long (two lists of 4-byte values of one length expected)`);
  }
  if (fileIds.byteLength / 4 > MAX_SEGMENT_UNITS) {
    throw new CorruptIndexError(where, `hold ${fileIds.byteLength / 4} units, more than a segment can (${MAX_SEGMENT_UNITS})`);
  }
  const lists = { fileIds: int32sOf(fileIds), starts: int32sOf(starts) };
  for (let ordinal = 0; ordinal < lists.fileIds.length; ordinal += 1) {
    if ((lists.fileIds[ordinal] as number) < 0 || (lists.starts[ordinal] as number) < 0) {
      throw new CorruptIndexError(where, `hold a negative value at ordinal ${ordinal}`);
    }
  }
  return lists;
}
