import type BetterSqlite3 from 'better-sqlite3';
import { candidateUnits } from './candidates';
import { literalGrams } from './grams';
import type { IndexSnapshot } from './index-snapshot';
import type { LiteralQuery } from './regex-literals';

type Database = BetterSqlite3.Database;

/**
 * The units (see IndexSnapshot.units) that may hold a line satisfying a literal query,
 * ascending: a string needs all of its trigrams, `and` intersects, `or` unites. Units end at
 * line ends, so every part of an `and` must hold in the same unit as the line. Null when the
 * query cannot narrow anything (strings shorter than a trigram, a required `all`): every
 * file is a candidate. With `ignoreCase` the index's case folding already covers other
 * cases, except for trigrams holding non-ASCII characters, which `literalGrams` leaves out.
 */
export function queryCandidates(db: Database, snapshot: IndexSnapshot, query: LiteralQuery, ignoreCase: boolean, repoId: number | null): Int32Array | null {
  const unitsWithGrams = (grams: number[]): Int32Array | null => (grams.length === 0 ? null : candidateUnits(db, snapshot, grams, repoId));
  const evaluate = (node: LiteralQuery): Int32Array | null => {
    switch (node.kind) {
      case 'all':
        return null;
      case 'string':
        return unitsWithGrams(literalGrams(node.text, ignoreCase));
      case 'and': {
        // The trigrams of every string part are looked up together: one intersection.
        const grams = [...new Set(node.parts.flatMap((part) => (part.kind === 'string' ? literalGrams(part.text, ignoreCase) : [])))];
        let found = unitsWithGrams(grams);
        for (const part of node.parts) {
          if (part.kind === 'string' || found?.length === 0) {
            continue;
          }
          const more = evaluate(part);
          if (more !== null) {
            found = found === null ? more : intersect(found, more);
          }
        }
        return found;
      }
      case 'or': {
        let union: Int32Array = new Int32Array(0);
        for (const part of node.parts) {
          const more = evaluate(part);
          if (more === null) {
            return null;
          }
          union = unite(union, more);
        }
        return union;
      }
    }
  };
  return evaluate(query);
}

function intersect(left: Int32Array, right: Int32Array): Int32Array {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) {
    const a = left[i] as number;
    const b = right[j] as number;
    if (a === b) {
      out.push(a);
      i += 1;
      j += 1;
    } else if (a < b) {
      i += 1;
    } else {
      j += 1;
    }
  }
  return Int32Array.from(out);
}

/** The union of two ascending lists of units. */
export function unite(left: Int32Array, right: Int32Array): Int32Array {
  const out = new Int32Array(left.length + right.length);
  let count = 0;
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    const a = i < left.length ? (left[i] as number) : Number.POSITIVE_INFINITY;
    const b = j < right.length ? (right[j] as number) : Number.POSITIVE_INFINITY;
    if (a <= b) {
      out[count++] = a;
      i += 1;
      if (a === b) {
        j += 1;
      }
    } else {
      out[count++] = b;
      j += 1;
    }
  }
  return out.slice(0, count);
}
