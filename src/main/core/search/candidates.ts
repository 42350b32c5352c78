import type BetterSqlite3 from 'better-sqlite3';
import { BUCKET_COUNT, BUCKET_MASK, BUCKET_SHIFT } from './grams';
import type { IndexSnapshot, Segment } from './index-snapshot';
import { PostingRowReader } from './posting-row';

type Database = BetterSqlite3.Database;

/** Grams looked up at most per query, spread over it; more rarely narrow what verification handles. */
const MAX_GRAMS = 16;

const statements = new WeakMap<Database, BetterSqlite3.Statement>();

/** Where one gram's ordinals are in one segment's bucket row. */
interface GramPosting {
  readonly units: Int32Array;
  readonly data: Buffer;
  readonly offset: number;
  readonly count: number;
}

/** One gram's postings in every segment, and how many ordinals they hold in all. */
interface GramPostings {
  readonly total: number;
  readonly parts: readonly GramPosting[];
}

/**
 * The units (see IndexSnapshot.units) that may contain every gram, ascending, so in search
 * order: the union over segments of each gram's posting, intersected across grams, the
 * rarest gram first (its posting counts are read before any ordinal is decoded). Units of
 * files no longer indexed drop out through the snapshot's numbering.
 */
export function candidateUnits(db: Database, snapshot: IndexSnapshot, grams: readonly number[], repoId: number | null): Int32Array {
  const picked = pickGrams(grams);
  if (picked.length === 0) {
    throw new Error('candidateUnits needs at least one gram');
  }
  const segments = snapshot.segments.filter((segment) => repoId === null || segment.repoId === repoId);
  const postings = lookUp(db, segments, picked);
  if (postings === null) {
    return new Int32Array(0);
  }
  postings.sort((left, right) => left.total - right.total);
  // seen[unit] counts the grams found in the unit so far; a unit counts once per gram, however
  // many segments post it.
  const seen = new Uint8Array(snapshot.units.file.length);
  let found = 0;
  for (let gram = 0; gram < postings.length; gram += 1) {
    found = 0;
    for (const part of (postings[gram] as GramPostings).parts) {
      const row = new PostingRowReader(part.data);
      row.offset = part.offset;
      const units = part.units;
      let ordinal = 0;
      for (let entry = 0; entry < part.count; entry += 1) {
        ordinal += row.varint();
        const unit = units[ordinal] as number;
        if (unit >= 0 && seen[unit] === gram) {
          seen[unit] = gram + 1;
          found += 1;
        }
      }
    }
    if (found === 0) {
      return new Int32Array(0);
    }
  }
  const result = new Int32Array(found);
  let count = 0;
  for (let unit = 0; unit < seen.length; unit += 1) {
    if (seen[unit] === postings.length) {
      result[count++] = unit;
    }
  }
  return result;
}

/** Each gram's postings over the segments, or null when some gram is in none of them. */
function lookUp(db: Database, segments: readonly Segment[], grams: readonly number[]): GramPostings[] | null {
  let statement = statements.get(db);
  if (statement === undefined) {
    statement = db.prepare('SELECT data FROM postings WHERE segment_id = ? AND bucket = ?').pluck();
    statements.set(db, statement);
  }
  // Grams of a bucket share its row: read each row once.
  const rows = new Map<number, Buffer | undefined>();
  const postings: GramPostings[] = [];
  for (const gram of grams) {
    const parts: GramPosting[] = [];
    let total = 0;
    for (const segment of segments) {
      const key = segment.id * BUCKET_COUNT + (gram >>> BUCKET_SHIFT);
      if (!rows.has(key)) {
        rows.set(key, statement.get(segment.id, gram >>> BUCKET_SHIFT) as Buffer | undefined);
      }
      const data = rows.get(key);
      const found = data === undefined ? null : findGram(data, gram & BUCKET_MASK);
      if (found !== null) {
        parts.push({ units: segment.units, data: data as Buffer, ...found });
        total += found.count;
      }
    }
    if (total === 0) {
      return null;
    }
    postings.push({ total, parts });
  }
  return postings;
}

/** Up to MAX_GRAMS grams spread over the query, first and last included. */
function pickGrams(grams: readonly number[]): number[] {
  if (grams.length <= MAX_GRAMS) {
    return [...new Set(grams)];
  }
  const picked: number[] = [];
  for (let index = 0; index < MAX_GRAMS; index += 1) {
    picked.push(grams[Math.round((index * (grams.length - 1)) / (MAX_GRAMS - 1))] as number);
  }
  return [...new Set(picked)];
}

/** Where the ordinals of gram `low` start in one bucket row, and how many there are; null when absent. */
export function findGram(data: Uint8Array, low: number): { offset: number; count: number } | null {
  const row = new PostingRowReader(data);
  let gram = 0;
  while (!row.done) {
    gram += row.varint();
    const count = row.varint();
    if (gram === low) {
      return { offset: row.offset, count };
    }
    if (gram > low) {
      return null;
    }
    row.skip(count);
  }
  return null;
}
