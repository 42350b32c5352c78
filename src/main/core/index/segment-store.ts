/**
 * All SQL on segments and postings (docs/INDEX-FORMAT.md). The writer's statements are a
 * class prepared once per connection; readers use the functions at the end.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { FileState } from './format';
import { int32Blob, readUnitLists, type UnitLists } from './unit-lists';
import type { WritableDatabase } from '../base/database-types';

type Database = BetterSqlite3.Database;

/** A segment as the merge policy sees it. */
export interface SegmentInfo {
  readonly id: number;
  readonly level: number;
  readonly units: number;
}

/** One posting row read for a merge: segment id, bucket, bytes. */
export type PostingRow = [segment: number, bucket: number, data: Buffer];

/** The writer's segment statements. */
export class SegmentStore {
  private readonly statements;
  /** Range reads over a group of segments, by group size (the IN list has one parameter per segment). */
  private readonly rangeReads = new Map<number, BetterSqlite3.Statement>();

  constructor(private readonly db: WritableDatabase) {
    this.statements = {
      // Checked after every batch: the unit lists are read only for the segments a merge needs.
      segments: db.prepare('SELECT id, level, length(file_ids) / 4 AS units FROM segments WHERE repo_id = ? ORDER BY id'),
      units: db.prepare('SELECT file_ids AS fileIds, unit_starts AS starts FROM segments WHERE id = ?'),
      insertSegment: db.prepare('INSERT INTO segments (repo_id, level, file_ids, unit_starts) VALUES (?, ?, ?, ?)'),
      insertPosting: db.prepare('INSERT INTO postings (segment_id, bucket, data) VALUES (?, ?, ?)'),
      deletePostings: db.prepare('DELETE FROM postings WHERE segment_id = ?'),
      deleteSegment: db.prepare('DELETE FROM segments WHERE id = ?'),
      liveFiles: db.prepare(`SELECT id FROM files WHERE repo_id = ? AND state <> ${FileState.skipped}`).pluck(),
      // The highest id ever given (AUTOINCREMENT), not max(id): once the last files are deleted,
      // max(id) falls below their ids, which then read as live to mergedUnits and as stale to
      // pickGroup, and the final merge rewrote the same segment forever.
      maxFileId: db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'files'").pluck(),
    };
  }

  /** The repository's segments, oldest first. */
  segments(repoId: number): SegmentInfo[] {
    return this.statements.segments.all(repoId) as SegmentInfo[];
  }

  unitLists(segment: number): UnitLists {
    const row = this.statements.units.get(segment) as { fileIds: Buffer; starts: Buffer };
    return readUnitLists(segment, row.fileIds, row.starts);
  }

  /** Inserts a segment row (its postings follow with insertPosting); returns its id. */
  insertSegment(repoId: number, level: number, lists: UnitLists): number {
    return Number(this.statements.insertSegment.run(repoId, level, int32Blob(lists.fileIds), int32Blob(lists.starts)).lastInsertRowid);
  }

  insertPosting(segment: number, bucket: number, row: Uint8Array): void {
    this.statements.insertPosting.run(segment, bucket, Buffer.from(row.buffer, row.byteOffset, row.byteLength));
  }

  /** The rows of buckets [first, end) of the segments, in no particular order. */
  rowsInRange(segments: readonly number[], first: number, end: number): PostingRow[] {
    let statement = this.rangeReads.get(segments.length);
    if (statement === undefined) {
      const placeholders = segments.map(() => '?').join(', ');
      statement = this.db.prepare(`SELECT segment_id, bucket, data FROM postings WHERE segment_id IN (${placeholders}) AND bucket >= ? AND bucket < ?`).raw();
      this.rangeReads.set(segments.length, statement);
    }
    return statement.all(...segments, first, end) as PostingRow[];
  }

  deleteSegment(segment: number): void {
    this.statements.deletePostings.run(segment);
    this.statements.deleteSegment.run(segment);
  }

  /** live[fileId] is 1 for files of the repository that are not skipped; the array ends at the highest file id. */
  liveFiles(repoId: number): Uint8Array {
    const maxId = (this.statements.maxFileId.get() as number | null) ?? 0;
    const live = new Uint8Array(maxId + 1);
    for (const id of this.statements.liveFiles.iterate(repoId) as Iterable<number>) {
      live[id] = 1;
    }
    return live;
  }
}

/** A segment as a reader loads it. */
export interface StoredSegment extends UnitLists {
  readonly id: number;
  readonly repoId: number;
}

/** Every segment with its unit lists, oldest first (read inside the snapshot's transaction). */
export function readSegments(db: Database): StoredSegment[] {
  const rows = db.prepare('SELECT id, repo_id AS repoId, file_ids AS fileIds, unit_starts AS starts FROM segments ORDER BY id').all() as {
    id: number;
    repoId: number;
    fileIds: Buffer;
    starts: Buffer;
  }[];
  return rows.map((row) => ({ id: row.id, repoId: row.repoId, ...readUnitLists(row.id, row.fileIds, row.starts) }));
}

const rowStatements = new WeakMap<Database, BetterSqlite3.Statement>();

/** One posting row's bytes, or undefined when the segment has no gram in the bucket. */
export function readPostingRow(db: Database, segment: number, bucket: number): Buffer | undefined {
  let statement = rowStatements.get(db);
  if (statement === undefined) {
    statement = db.prepare('SELECT data FROM postings WHERE segment_id = ? AND bucket = ?').pluck();
    rowStatements.set(db, statement);
  }
  return statement.get(segment, bucket) as Buffer | undefined;
}

/** Deletes every segment of a repository and its posting rows (inside the caller's transaction). */
export function deleteRepositorySegments(db: WritableDatabase, repoId: number): void {
  db.prepare('DELETE FROM postings WHERE segment_id IN (SELECT id FROM segments WHERE repo_id = ?)').run(repoId);
  db.prepare('DELETE FROM segments WHERE repo_id = ?').run(repoId);
}
