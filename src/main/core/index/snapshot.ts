import type BetterSqlite3 from 'better-sqlite3';
import { FileState } from './format';
import { readSegments as readStoredSegments } from './segment-store';
import { indexOfKey, keyFile, keyStart, unitKey } from './unit-keys';
import { pragmaValue } from '../base/pragma-value';

type Database = BetterSqlite3.Database;

export interface Segment {
  readonly id: number;
  readonly repoId: number;
  /** By posting ordinal: the unit's number in the snapshot, -1 when its file is no longer indexed. */
  readonly units: Int32Array;
}

/**
 * The posting units of indexed files, numbered in search order: by repository root, path,
 * then position in the file, so ascending unit numbers are the order results come in. A unit
 * cut by a batch is posted by two segments and has one number.
 */
export interface UnitTable {
  /** unitFile[unit] is the unit's file id. */
  readonly file: Int32Array;
  /** unitStart[unit] is the index of its first document in the file. */
  readonly start: Int32Array;
}

/**
 * What search needs to know about the index beyond postings, read once per database
 * version (PRAGMA data_version changes whenever the writer commits): repositories, the
 * order of indexed files by (root, path), and the segments' units.
 */
export interface IndexSnapshot {
  readonly version: number;
  readonly repositories: ReadonlyMap<number, string>;
  /** Indexed file ids sorted by repository root then path. */
  readonly ordered: Int32Array;
  /** rank[fileId] is its position in `ordered`, -1 when not an indexed file. */
  readonly rank: Int32Array;
  /** repoOf[fileId] */
  readonly repoOf: Int32Array;
  readonly segments: readonly Segment[];
  readonly units: UnitTable;
}

const snapshots = new WeakMap<Database, IndexSnapshot>();

/** The snapshot for the connection's current view of the database, rebuilt when it changed. */
export function indexSnapshot(db: Database): IndexSnapshot {
  const version = pragmaValue(db, 'data_version');
  const cached = snapshots.get(db);
  if (cached !== undefined && cached.version === version) {
    return cached;
  }
  const snapshot = db.transaction(() => buildSnapshot(db, version))();
  snapshots.set(db, snapshot);
  return snapshot;
}

/** Drops a connection's snapshot: a reader's part of a memory cleanup (query/reader-memory.ts); the next search rebuilds it. */
export function forgetSnapshot(db: Database): void {
  snapshots.delete(db);
}

function buildSnapshot(db: Database, version: number): IndexSnapshot {
  const repositories = new Map<number, string>();
  for (const row of db.prepare('SELECT id, root FROM repositories ORDER BY root').all() as { id: number; root: string }[]) {
    repositories.set(row.id, row.root);
  }
  const maxId = (db.prepare('SELECT max(id) FROM files').pluck().get() as number | null) ?? 0;
  const rank = new Int32Array(maxId + 1).fill(-1);
  const repoOf = new Int32Array(maxId + 1);
  const ordered = new Int32Array(maxId + 1);
  let count = 0;
  const byRepo = db.prepare(`SELECT id FROM files WHERE repo_id = ? AND state = ${FileState.indexed} ORDER BY path, path_bytes`).pluck();
  for (const repoId of repositories.keys()) {
    // all(), not iterate(): a third cheaper per row, and the ids are kept anyway (the one-shot CLI builds a snapshot per search).
    for (const id of byRepo.all(repoId) as number[]) {
      rank[id] = count;
      repoOf[id] = repoId;
      ordered[count++] = id;
    }
  }
  const { segments, units } = readSegments(db, rank, ordered);
  return { version, repositories, ordered: ordered.slice(0, count), rank, repoOf, segments, units };
}

/** Reads the segments' unit lists and numbers the live units in search order. */
function readSegments(db: Database, rank: Int32Array, ordered: Int32Array): { segments: Segment[]; units: UnitTable } {
  const stored = readStoredSegments(db);
  // Per segment, each ordinal's key by (rank, start); -1 for units of files no longer indexed.
  // Plain loops over typed arrays: this runs once per one-shot search.
  const segmentKeys = stored.map(({ fileIds, starts }) => {
    const keys = new Float64Array(fileIds.length);
    for (let ordinal = 0; ordinal < fileIds.length; ordinal += 1) {
      const id = fileIds[ordinal] as number;
      const position = id < rank.length ? (rank[id] as number) : -1;
      keys[ordinal] = position < 0 ? -1 : unitKey(position, starts[ordinal] as number);
    }
    return keys;
  });
  const all = new Float64Array(segmentKeys.reduce((sum, keys) => sum + keys.length, 0));
  let offset = 0;
  for (const keys of segmentKeys) {
    all.set(keys, offset);
    offset += keys.length;
  }
  all.sort();
  let distinctCount = 0;
  for (let index = 0; index < all.length; index += 1) {
    const key = all[index] as number;
    if (key >= 0 && (distinctCount === 0 || key !== all[distinctCount - 1])) {
      all[distinctCount++] = key;
    }
  }
  const sorted = all.subarray(0, distinctCount);
  const segments = stored.map((segment, index) => {
    const keys = segmentKeys[index] as Float64Array;
    const units = new Int32Array(keys.length);
    for (let ordinal = 0; ordinal < keys.length; ordinal += 1) {
      const key = keys[ordinal] as number;
      units[ordinal] = key < 0 ? -1 : indexOfKey(sorted, key);
    }
    return { id: segment.id, repoId: segment.repoId, units };
  });
  const units = { file: new Int32Array(distinctCount), start: new Int32Array(distinctCount) };
  for (let unit = 0; unit < distinctCount; unit += 1) {
    const key = sorted[unit] as number;
    units.file[unit] = ordered[keyFile(key)] as number;
    units.start[unit] = keyStart(key);
  }
  return { segments, units };
}
