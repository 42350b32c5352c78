import type BetterSqlite3 from 'better-sqlite3';
import { gramPostings } from '../index/gram-postings';
import type { IndexSnapshot } from './index-snapshot';

type Database = BetterSqlite3.Database;

/** Grams looked up at most per query, spread over it; more rarely narrow what verification handles. */
const MAX_GRAMS = 16;

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
  const postings = gramPostings(db, segments, picked);
  if (postings === null) {
    return new Int32Array(0);
  }
  postings.sort((left, right) => left.total - right.total);
  // seen[unit] counts the grams found in the unit so far; a unit counts once per gram, however
  // many segments post it.
  const seen = new Uint8Array(snapshot.units.file.length);
  let found = 0;
  let ordinals = new Int32Array(1024);
  for (let gram = 0; gram < postings.length; gram += 1) {
    found = 0;
    for (const part of postings[gram]!.parts) {
      if (ordinals.length < part.count) {
        ordinals = new Int32Array(Math.max(part.count, ordinals.length * 2));
      }
      part.ordinals(ordinals);
      const units = part.units;
      for (let entry = 0; entry < part.count; entry += 1) {
        const unit = units[ordinals[entry] as number] as number;
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
