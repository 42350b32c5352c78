import type BetterSqlite3 from 'better-sqlite3';
import type { SkipReason } from '../../../shared/types';
import { FileState } from '../index/format';
import type { PackedPostings } from '../index/posting-codec';
import { SegmentMerger, type MergeStats } from '../index/segment-merger';
import { SegmentStore } from '../index/segment-store';

type Database = BetterSqlite3.Database;

/** A file of the run whose row id is known once its first operation is written. */
export interface FileRef {
  readonly path: string;
  id: number | null;
}

/** What one transaction writes, in order. */
export type WriteOp =
  | { readonly type: 'begin'; readonly file: FileRef }
  /** `text` is UTF-8 (stored as TEXT). */
  | { readonly type: 'document'; readonly file: FileRef; readonly firstLine: number; readonly words: number; readonly text: Buffer }
  | { readonly type: 'end'; readonly file: FileRef; readonly size: number; readonly mtimeMs: number; readonly documents: number }
  | { readonly type: 'skip'; readonly path: string; readonly reason: SkipReason; readonly detail: string | null; readonly size: number; readonly mtimeMs: number }
  | { readonly type: 'seen'; readonly id: number };

/** A batch's trigram segment: per posting ordinal (a unit), its file and its first document's index in the file. */
export interface NewSegment {
  readonly files: readonly FileRef[];
  readonly starts: Int32Array;
  readonly postings: PackedPostings;
}

export interface ExistingFile {
  readonly id: number;
  readonly size: number;
  readonly mtimeMs: number;
  readonly state: number;
  readonly reason: SkipReason | null;
}

/**
 * The writer's statements, prepared once per connection. Only the indexer worker holds
 * one; every method that writes runs inside `commit`'s transaction.
 */
export class IndexWriter {
  private readonly statements;
  private readonly segments: SegmentStore;
  private readonly merger: SegmentMerger;

  constructor(private readonly db: Database) {
    this.segments = new SegmentStore(db);
    this.merger = new SegmentMerger(this.segments, (work) => db.transaction(work)());
    this.statements = {
      insertRepository: db.prepare('INSERT INTO repositories (root) VALUES (?) ON CONFLICT(root) DO NOTHING'),
      startRun: db.prepare('UPDATE repositories SET run = run + 1 WHERE root = ? RETURNING id, run'),
      lookup: db.prepare('SELECT id, size, mtime_ms AS mtimeMs, state, skip_reason AS reason FROM files WHERE repo_id = ? AND path = ?'),
      // A file (re)indexed gets a new id, so postings naming its old id are recognisably stale.
      deleteFile: db.prepare('DELETE FROM files WHERE repo_id = ? AND path = ? RETURNING id').pluck(),
      beginFile: db.prepare(`INSERT INTO files (repo_id, path, size, mtime_ms, state, seen_run) VALUES (?, ?, -1, -1, ${FileState.partial}, ?) RETURNING id`).pluck(),
      skipFile: db.prepare(
        `INSERT INTO files (repo_id, path, size, mtime_ms, state, skip_reason, detail, seen_run) VALUES (?, ?, ?, ?, ${FileState.skipped}, ?, ?, ?)
         ON CONFLICT(repo_id, path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms, state = ${FileState.skipped}, skip_reason = excluded.skip_reason,
           detail = excluded.detail, documents = 0, seen_run = excluded.seen_run
         RETURNING id`,
      ),
      deleteDocuments: db.prepare('DELETE FROM documents WHERE file_id = ?'),
      // The text arrives as UTF-8 bytes; the cast stores them as TEXT without a JS string.
      insertDocument: db.prepare('INSERT INTO documents (file_id, first_line, words, content) VALUES (?, ?, ?, CAST(? AS TEXT))'),
      endFile: db.prepare(`UPDATE files SET state = ${FileState.indexed}, size = ?, mtime_ms = ?, documents = ? WHERE id = ?`),
      seen: db.prepare('UPDATE files SET seen_run = ? WHERE id = ?'),
      removedDocuments: db.prepare('DELETE FROM documents WHERE file_id IN (SELECT id FROM files WHERE repo_id = ? AND seen_run < ?)'),
      removedFiles: db.prepare(`DELETE FROM files WHERE repo_id = ? AND seen_run < ? RETURNING state`),
      finishRun: db.prepare('UPDATE repositories SET last_indexed_at = ? WHERE id = ?'),
    };
  }

  /** Registers the repository if new and starts a run; the run number marks seen files. */
  startRun(root: string): { repoId: number; run: number } {
    return this.db.transaction(() => {
      this.statements.insertRepository.run(root);
      const row = this.statements.startRun.get(root) as { id: number; run: number };
      return { repoId: row.id, run: row.run };
    })();
  }

  lookup(repoId: number, path: string): ExistingFile | undefined {
    return this.statements.lookup.get(repoId, path) as ExistingFile | undefined;
  }

  /** Writes one batch and its trigram segment in one transaction. */
  commit(repoId: number, run: number, ops: readonly WriteOp[], segment: NewSegment | null): void {
    const s = this.statements;
    this.db.transaction(() => {
      for (const op of ops) {
        switch (op.type) {
          case 'begin': {
            const old = s.deleteFile.get(repoId, op.file.path) as number | undefined;
            if (old !== undefined) {
              s.deleteDocuments.run(old);
            }
            op.file.id = s.beginFile.get(repoId, op.file.path, run) as number;
            break;
          }
          case 'document':
            s.insertDocument.run(op.file.id, op.firstLine, op.words, op.text);
            break;
          case 'end':
            s.endFile.run(op.size, op.mtimeMs, op.documents, op.file.id);
            break;
          case 'skip': {
            const row = s.skipFile.get(repoId, op.path, op.size, op.mtimeMs, op.reason, op.detail, run) as { id: number };
            s.deleteDocuments.run(row.id);
            break;
          }
          case 'seen':
            s.seen.run(run, op.id);
            break;
        }
      }
      if (segment !== null && segment.files.length > 0 && segment.postings.buckets.length > 0) {
        const fileIds = Int32Array.from(segment.files, (file) => {
          if (file.id === null) {
            throw new Error(`A segment names ${file.path}, which no batch has begun`);
          }
          return file.id;
        });
        const segmentId = this.segments.insertSegment(repoId, 0, { fileIds, starts: segment.starts });
        this.segments.insertPackedPostings(segmentId, segment.postings);
      }
    })();
  }

  /** Merges the repository's segments as the merge policy asks; `final` at the end of a completed run. */
  mergeSegments(repoId: number, final: boolean, onStep?: (bucket: number) => void): MergeStats {
    return this.merger.maintain(repoId, final, onStep);
  }

  /** Removes the files this run did not see (deleted from disk); returns how many. */
  finishRun(repoId: number, run: number, now: number): number {
    return this.db.transaction(() => {
      this.statements.removedDocuments.run(repoId, run);
      const removed = this.statements.removedFiles.all(repoId, run) as { state: number }[];
      this.statements.finishRun.run(now, repoId);
      return removed.filter((row) => row.state !== FileState.skipped).length;
    })();
  }
}
