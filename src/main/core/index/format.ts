/**
 * The constants of the on-disk index format (docs/INDEX-FORMAT.md describes every table and
 * byte). Everything that reads or writes the index takes its widths and limits from here.
 */

/**
 * The format this build reads and writes, stored in PRAGMA user_version. A database of any
 * other version is emptied and rebuilt when the writer opens it: the index is derived data.
 * Version 4: posting rows end in a CRC-32, unit_starts is NOT NULL. Version 5: the FTS5 table
 * `word_index` of words mode (index/words-index.ts). Version 6: files.path_bytes, the raw
 * path of a name that is not UTF-8, part of the unique key. Version 7: `word_index` filled by
 * the writer per transaction, no insert trigger. Version 8: no documents.words (word counts
 * for a BM25 that FTS5 now computes itself).
 */
export const INDEX_FORMAT_VERSION = 8;

/** File states stored in files.state. */
export const FileState = { partial: 0, indexed: 1, skipped: 2 } as const;

/** Bits per folded character of a trigram; a gram is three of them. */
export const CHAR_BITS = 7;
/** Distinct grams: 2^21. */
export const GRAM_SPACE = 1 << (3 * CHAR_BITS);
/** Low bits of a gram kept inside a posting row; the rest picks the row's bucket. */
export const BUCKET_SHIFT = 10;
/** Posting rows per segment at most: one per bucket. */
export const BUCKET_COUNT = GRAM_SPACE >>> BUCKET_SHIFT;
export const BUCKET_MASK = (1 << BUCKET_SHIFT) - 1;
/** Distinct low bits in one bucket. */
export const BUCKET_LOWS = BUCKET_MASK + 1;

/** Bits of a unit ordinal within its segment. */
export const ORDINAL_BITS = 20;
export const ORDINAL_MASK = (1 << ORDINAL_BITS) - 1;
/** Most units one segment can hold: ordinals are below 2^20. */
export const MAX_SEGMENT_UNITS = 1 << ORDINAL_BITS;

/** Bytes of the CRC-32 that ends every posting row (little-endian). */
export const ROW_CHECKSUM_BYTES = 4;

/**
 * A posting entry in memory: a gram's low bits and a unit ordinal packed in 30 bits, so that
 * sorting entries sorts by gram, then by ordinal.
 */
export function entryKey(low: number, ordinal: number): number {
  return (low << ORDINAL_BITS) | ordinal;
}

export function entryLow(key: number): number {
  return key >>> ORDINAL_BITS;
}

export function entryOrdinal(key: number): number {
  return key & ORDINAL_MASK;
}
