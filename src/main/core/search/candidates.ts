import type BetterSqlite3 from 'better-sqlite3';
import { BUCKET_MASK, BUCKET_SHIFT } from './grams';
import type { IndexSnapshot } from './index-snapshot';
import { PostingRowReader } from './posting-row';

type Database = BetterSqlite3.Database;

/** Grams looked up at most per query; more rarely narrow a set that verification handles. */
const MAX_GRAMS = 8;

const statements = new WeakMap<Database, BetterSqlite3.Statement>();

/**
 * The indexed files that may contain every gram, sorted by (root, path): the union over
 * segments of each gram's posting, intersected across grams. Files a posting names but that
 * are no longer indexed drop out through the snapshot's rank.
 */
export function candidateFiles(db: Database, snapshot: IndexSnapshot, grams: readonly number[], repoId: number | null): Int32Array {
  let statement = statements.get(db);
  if (statement === undefined) {
    statement = db.prepare('SELECT segment_id, data FROM postings WHERE segment_id = ? AND bucket = ?').raw();
    statements.set(db, statement);
  }
  const segments = snapshot.segments.filter((segment) => repoId === null || segment.repoId === repoId);
  const segmentById = new Map(segments.map((segment) => [segment.id, segment]));
  let candidates: Set<number> | null = null;
  for (const gram of pickGrams(grams)) {
    const found = new Set<number>();
    const bucket = gram >>> BUCKET_SHIFT;
    const low = gram & BUCKET_MASK;
    for (const segment of segmentById.values()) {
      const row = statement.get(segment.id, bucket) as [number, Buffer] | undefined;
      if (row === undefined) {
        continue;
      }
      decodeGram(row[1], low, (ordinal) => {
        const fileId = segment.fileIds[ordinal];
        if (fileId !== undefined && (candidates === null || candidates.has(fileId))) {
          found.add(fileId);
        }
      });
    }
    candidates = found;
    if (candidates.size === 0) {
      break;
    }
  }
  const ids: number[] = [];
  for (const id of candidates ?? []) {
    if (id < snapshot.rank.length && (snapshot.rank[id] as number) >= 0 && (repoId === null || snapshot.repoOf[id] === repoId)) {
      ids.push(id);
    }
  }
  const sorted = Int32Array.from(ids);
  sorted.sort((left, right) => (snapshot.rank[left] as number) - (snapshot.rank[right] as number));
  return sorted;
}

/** Up to MAX_GRAMS grams spread over the query, first and last included. */
function pickGrams(grams: readonly number[]): number[] {
  if (grams.length <= MAX_GRAMS) {
    return [...grams];
  }
  const picked: number[] = [];
  for (let index = 0; index < MAX_GRAMS; index += 1) {
    picked.push(grams[Math.round((index * (grams.length - 1)) / (MAX_GRAMS - 1))] as number);
  }
  return [...new Set(picked)];
}

/** Calls `onOrdinal` for each file ordinal posted under `low` in one bucket row. */
export function decodeGram(data: Uint8Array, low: number, onOrdinal: (ordinal: number) => void): void {
  const row = new PostingRowReader(data);
  let gram = 0;
  while (!row.done) {
    gram += row.varint();
    const count = row.varint();
    if (gram > low) {
      return;
    }
    if (gram < low) {
      row.skip(count);
      continue;
    }
    let ordinal = 0;
    for (let entry = 0; entry < count; entry += 1) {
      ordinal += row.varint();
      onOrdinal(ordinal);
    }
    return;
  }
}
