import type BetterSqlite3 from 'better-sqlite3';
import { FileState } from '../db/schema';

type Database = BetterSqlite3.Database;

export interface Segment {
  readonly id: number;
  readonly repoId: number;
  /** File ids by ordinal, as the postings name them. */
  readonly fileIds: Int32Array;
}

/**
 * What search needs to know about the index beyond postings, read once per database
 * version (PRAGMA data_version changes whenever the writer commits): repositories, the
 * order of indexed files by (root, path), and the segments' file lists.
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
}

const snapshots = new WeakMap<Database, IndexSnapshot>();

/** The snapshot for the connection's current view of the database, rebuilt when it changed. */
export function indexSnapshot(db: Database): IndexSnapshot {
  const version = db.pragma('data_version', { simple: true }) as number;
  const cached = snapshots.get(db);
  if (cached !== undefined && cached.version === version) {
    return cached;
  }
  const snapshot = db.transaction(() => buildSnapshot(db, version))();
  snapshots.set(db, snapshot);
  return snapshot;
}

/** Drops a connection's snapshot (tests, and the pool's cleanup under memory pressure). */
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
  const ids: number[] = [];
  const byRepo = db.prepare(`SELECT id FROM files WHERE repo_id = ? AND state = ${FileState.indexed} ORDER BY path`).pluck();
  for (const repoId of repositories.keys()) {
    for (const id of byRepo.iterate(repoId) as Iterable<number>) {
      rank[id] = ids.length;
      repoOf[id] = repoId;
      ids.push(id);
    }
  }
  const segments: Segment[] = [];
  for (const row of db.prepare('SELECT id, repo_id AS repoId, file_ids AS fileIds FROM segments ORDER BY id').all() as { id: number; repoId: number; fileIds: Buffer }[]) {
    const copy = new Int32Array(row.fileIds.byteLength / 4);
    new Uint8Array(copy.buffer).set(row.fileIds);
    segments.push({ id: row.id, repoId: row.repoId, fileIds: copy });
  }
  return { version, repositories, ordered: Int32Array.from(ids), rank, repoOf, segments };
}
