import type BetterSqlite3 from 'better-sqlite3';
import { candidateFiles } from './candidates';
import { literalGrams } from './grams';
import type { IndexSnapshot } from './index-snapshot';
import type { LiteralQuery } from './regex-literals';

type Database = BetterSqlite3.Database;

/**
 * The indexed files that may satisfy a literal query, sorted by (root, path): a string needs
 * all of its trigrams, `and` intersects, `or` unites. Null when the query cannot narrow
 * anything (strings shorter than a trigram, a required `all`): every file is a candidate.
 * With `ignoreCase` the index's case folding already covers other cases, except for
 * trigrams holding non-ASCII characters, which `literalGrams` leaves out.
 */
export function queryCandidates(db: Database, snapshot: IndexSnapshot, query: LiteralQuery, ignoreCase: boolean, repoId: number | null): Int32Array | null {
  const rank = snapshot.rank;
  const filesWithGrams = (grams: number[]): Int32Array | null => (grams.length === 0 ? null : candidateFiles(db, snapshot, grams, repoId));
  // Every set below is sorted by rank, so `and` and `or` are linear merges.
  const evaluate = (node: LiteralQuery): Int32Array | null => {
    switch (node.kind) {
      case 'all':
        return null;
      case 'string':
        return filesWithGrams(literalGrams(node.text, ignoreCase));
      case 'and': {
        // The trigrams of every string part are looked up together: one intersection.
        const grams = [...new Set(node.parts.flatMap((part) => (part.kind === 'string' ? literalGrams(part.text, ignoreCase) : [])))];
        let found = filesWithGrams(grams);
        for (const part of node.parts) {
          if (part.kind === 'string' || found?.length === 0) {
            continue;
          }
          const more = evaluate(part);
          if (more !== null) {
            found = found === null ? more : intersect(found, more, rank);
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
          union = unite(union, more, rank);
        }
        return union;
      }
    }
  };
  return evaluate(query);
}

function intersect(left: Int32Array, right: Int32Array, rank: Int32Array): Int32Array {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) {
    const a = rank[left[i] as number] as number;
    const b = rank[right[j] as number] as number;
    if (a === b) {
      out.push(left[i] as number);
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

function unite(left: Int32Array, right: Int32Array, rank: Int32Array): Int32Array {
  const out = new Int32Array(left.length + right.length);
  let count = 0;
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    const a = i < left.length ? (rank[left[i] as number] as number) : Number.POSITIVE_INFINITY;
    const b = j < right.length ? (rank[right[j] as number] as number) : Number.POSITIVE_INFINITY;
    if (a <= b) {
      out[count++] = left[i] as number;
      i += 1;
      if (a === b) {
        j += 1;
      }
    } else {
      out[count++] = right[j] as number;
      j += 1;
    }
  }
  return out.slice(0, count);
}
