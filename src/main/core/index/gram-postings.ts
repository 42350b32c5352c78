/**
 * Reading one gram's postings for search: which units of each segment contain it. Search
 * intersects these; it never sees a posting row's bytes.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { IndexLocation } from './corrupt-index';
import { BUCKET_COUNT, BUCKET_MASK, BUCKET_SHIFT } from './format';
import { decodeOrdinals, findGram, verifyRow, type GramEntry } from './posting-codec';
import { readPostingRow } from './segment-store';
import type { Segment } from './snapshot';

type Database = BetterSqlite3.Database;

/** One gram's entry in one segment's row. */
export interface GramPart {
  /** The segment's ordinal → snapshot unit map (-1: file no longer indexed). */
  readonly units: Int32Array;
  readonly count: number;
  /** Decodes the entry's ordinals into `target` (at least `count` long), ascending. */
  ordinals(target: Int32Array): void;
}

/** One gram's postings in every segment, and how many ordinals they hold in all. */
export interface GramPostings {
  readonly gram: number;
  readonly total: number;
  readonly parts: readonly GramPart[];
}

/**
 * Each gram's postings over the segments, or null when some gram is in none of them. Rows are
 * read (and their checksums verified) once each, however many grams share them.
 */
export function gramPostings(db: Database, segments: readonly Segment[], grams: readonly number[]): GramPostings[] | null {
  const rows = new Map<number, Buffer | undefined>();
  const postings: GramPostings[] = [];
  for (const gram of grams) {
    const bucket = gram >>> BUCKET_SHIFT;
    const parts: GramPart[] = [];
    let total = 0;
    for (const segment of segments) {
      const key = segment.id * BUCKET_COUNT + bucket;
      const where: IndexLocation = { segment: segment.id, bucket };
      if (!rows.has(key)) {
        const row = readPostingRow(db, segment.id, bucket);
        if (row !== undefined) {
          verifyRow(row, where);
        }
        rows.set(key, row);
      }
      const data = rows.get(key);
      const entry = data === undefined ? null : findGram(data, gram & BUCKET_MASK, segment.units.length, where);
      if (data !== undefined && entry !== null) {
        parts.push(gramPart(data, entry, segment.units, where));
        total += entry.count;
      }
    }
    if (total === 0) {
      return null;
    }
    postings.push({ gram, total, parts });
  }
  return postings;
}

function gramPart(data: Buffer, entry: GramEntry, units: Int32Array, where: IndexLocation): GramPart {
  return { units, count: entry.count, ordinals: (target) => decodeOrdinals(data, entry, units.length, where, target) };
}
