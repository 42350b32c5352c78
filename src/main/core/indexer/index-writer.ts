import type { SkipReason } from '../../../shared/types';
import { FileState } from '../index/format';
import type { PackedPostings } from '../index/posting-codec';
import { SegmentMerger, type MergeStats } from '../index/segment-merger';
import { RUN_BUFFER_BYTES, RunBuffer } from '../index/run-buffer';
import { SegmentStore } from '../index/segment-store';
import type { WritableDatabase } from '../base/database-types';
import { FILL_WORDS_SQL } from '../index/words-index';

/** files.path_bytes of a path that is valid UTF-8: empty, the text says it all (docs/INDEX-FORMAT.md). */
const UTF8_PATH = Buffer.alloc(0);

/** A file of the run whose row id is known once its first operation is written. */
export interface FileRef {
  readonly path: string;
  /** The raw path when it is not UTF-8 (files.path_bytes), else null. */
  readonly pathBytes: Buffer | null;
  id: number | null;
}

/** What one transaction writes, in order. */
export type WriteOp =
  | { readonly type: 'begin'; readonly file: FileRef }
  /** `text` is UTF-8 (stored as TEXT). */
  | { readonly type: 'document'; readonly file: FileRef; readonly firstLine: number; readonly text: Buffer }
  | { readonly type: 'end'; readonly file: FileRef; readonly size: number; readonly mtimeMs: number; readonly documents: number }
  | { readonly type: 'skip'; readonly path: string; readonly pathBytes: Buffer | null; readonly reason: SkipReason; readonly detail: string | null; readonly size: number; readonly mtimeMs: number };

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
 * one; every method that writes runs inside `commit`'s transaction. A batch's postings go to
 * the run buffer, which becomes one segment when it fills or the run ends (`flush`); the
 * files it covers stay `partial` until then (their `end` is written with the segment), so a
 * run killed in between leaves them to be read again, never indexed without postings.
 */
export class IndexWriter {
  private readonly statements;
  private readonly segments: SegmentStore;
  private readonly merger: SegmentMerger;
  private readonly buffer = new RunBuffer();
  /** `end` operations of the files whose postings are in the buffer. */
  private pendingEnds: Extract<WriteOp, { type: 'end' }>[] = [];
  /**
   * Ids of the files this run found unchanged. Kept in memory, not written: an UPDATE per
   * unchanged file was most of the writing of a re-index that changes nothing.
   */
  private unchanged = new IdSet();

  constructor(private readonly db: WritableDatabase) {
    this.segments = new SegmentStore(db);
    this.merger = new SegmentMerger(this.segments, (work) => db.transaction(work)());
    this.statements = {
      insertRepository: db.prepare('INSERT INTO repositories (root) VALUES (?) ON CONFLICT(root) DO NOTHING'),
      startRun: db.prepare('UPDATE repositories SET run = run + 1 WHERE root = ? RETURNING id, run'),
      lookup: db.prepare('SELECT id, size, mtime_ms AS mtimeMs, state, skip_reason AS reason FROM files WHERE repo_id = ? AND path = ? AND path_bytes = ?'),
      // A file (re)indexed gets a new id, so postings naming its old id are recognisably stale.
      deleteFile: db.prepare('DELETE FROM files WHERE repo_id = ? AND path = ? AND path_bytes = ? RETURNING id').pluck(),
      beginFile: db.prepare(`INSERT INTO files (repo_id, path, path_bytes, size, mtime_ms, state, seen_run) VALUES (?, ?, ?, -1, -1, ${FileState.partial}, ?) RETURNING id`).pluck(),
      skipFile: db.prepare(
        `INSERT INTO files (repo_id, path, path_bytes, size, mtime_ms, state, skip_reason, detail, seen_run) VALUES (?, ?, ?, ?, ?, ${FileState.skipped}, ?, ?, ?)
         ON CONFLICT(repo_id, path, path_bytes) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms, state = ${FileState.skipped}, skip_reason = excluded.skip_reason,
           detail = excluded.detail, documents = 0, seen_run = excluded.seen_run
         RETURNING id`,
      ),
      deleteDocuments: db.prepare('DELETE FROM documents WHERE file_id = ?'),
      // The text arrives as UTF-8 bytes; the cast stores them as TEXT without a JS string.
      insertDocument: db.prepare('INSERT INTO documents (file_id, first_line, content) VALUES (?, ?, CAST(? AS TEXT))'),
      endFile: db.prepare(`UPDATE files SET state = ${FileState.indexed}, size = ?, mtime_ms = ?, documents = ? WHERE id = ?`),
      notWritten: db.prepare('SELECT id FROM files WHERE repo_id = ? AND seen_run < ?').pluck(),
      removeFile: db.prepare('DELETE FROM files WHERE id = ? RETURNING state').pluck(),
      finishRun: db.prepare('UPDATE repositories SET last_indexed_at = ? WHERE id = ?'),
      fillWords: db.prepare(FILL_WORDS_SQL),
    };
  }

  /**
   * Registers the repository if new and starts a run; the run number marks seen files. A
   * segment is written per `bufferBytes` of encoded postings.
   */
  startRun(root: string, bufferBytes = RUN_BUFFER_BYTES): { repoId: number; run: number } {
    // Whatever a failed run left buffered is dropped: its files are still partial.
    this.buffer.start(bufferBytes);
    this.pendingEnds = [];
    this.unchanged = new IdSet();
    return this.db.transaction(() => {
      this.statements.insertRepository.run(root);
      const row = this.statements.startRun.get(root) as { id: number; run: number };
      return { repoId: row.id, run: row.run };
    })();
  }

  lookup(repoId: number, path: string, pathBytes: Buffer | null): ExistingFile | undefined {
    return this.statements.lookup.get(repoId, path, pathBytes ?? UTF8_PATH) as ExistingFile | undefined;
  }

  /** Records that this run saw the file `id` unchanged, so `finishRun` keeps it. */
  markUnchanged(id: number): void {
    this.unchanged.add(id);
  }

  /**
   * Writes one batch in one transaction; its postings join the run buffer, written as a
   * segment (with the buffered files' completion) when the buffer is full.
   */
  commit(repoId: number, run: number, ops: readonly WriteOp[], segment: NewSegment | null): void {
    const s = this.statements;
    this.db.transaction(() => {
      // Document ids grow (AUTOINCREMENT): this transaction's documents are one id range.
      let firstDocument = 0;
      let lastDocument = -1;
      for (const op of ops) {
        switch (op.type) {
          case 'begin': {
            const old = s.deleteFile.get(repoId, op.file.path, op.file.pathBytes ?? UTF8_PATH) as number | undefined;
            if (old !== undefined) {
              s.deleteDocuments.run(old);
            }
            op.file.id = s.beginFile.get(repoId, op.file.path, op.file.pathBytes ?? UTF8_PATH, run) as number;
            break;
          }
          case 'document':
            lastDocument = Number(s.insertDocument.run(op.file.id, op.firstLine, op.text).lastInsertRowid);
            firstDocument ||= lastDocument;
            break;
          case 'end':
            this.pendingEnds.push(op);
            break;
          case 'skip': {
            const row = s.skipFile.get(repoId, op.path, op.pathBytes ?? UTF8_PATH, op.size, op.mtimeMs, op.reason, op.detail, run) as { id: number };
            s.deleteDocuments.run(row.id);
            break;
          }
        }
      }
      if (lastDocument >= firstDocument) {
        s.fillWords.run(firstDocument, lastDocument);
      }
      if (segment !== null && segment.files.length > 0 && segment.postings.buckets.length > 0) {
        this.buffer.add(segment.files, segment.starts, segment.postings);
      }
      if (this.buffer.full) {
        this.writeBuffer(repoId);
      }
    })();
  }

  /** Writes the run buffer as a segment and completes its files, in one transaction. */
  flush(repoId: number): void {
    if (this.pendingEnds.length > 0 || !this.buffer.empty) {
      this.db.transaction(() => this.writeBuffer(repoId))();
    }
  }

  private writeBuffer(repoId: number): void {
    this.buffer.writeSegment(this.segments, repoId);
    for (const op of this.pendingEnds) {
      this.statements.endFile.run(op.size, op.mtimeMs, op.documents, op.file.id);
    }
    this.pendingEnds = [];
  }

  /** Merges the repository's segments as the merge policy asks; `final` at the end of a completed run. */
  mergeSegments(repoId: number, final: boolean, onStep?: (bucket: number) => void): MergeStats {
    return this.merger.maintain(repoId, final, onStep);
  }

  /**
   * Removes the files this run did not see (deleted from disk): those it neither wrote
   * (seen_run) nor found unchanged; returns how many were indexed.
   */
  finishRun(repoId: number, run: number, now: number): number {
    const s = this.statements;
    return this.db.transaction(() => {
      // Collected first: the connection cannot delete while it iterates.
      const gone: number[] = [];
      for (const id of s.notWritten.iterate(repoId, run) as IterableIterator<number>) {
        if (!this.unchanged.has(id)) {
          gone.push(id);
        }
      }
      let removed = 0;
      for (const id of gone) {
        s.deleteDocuments.run(id);
        removed += s.removeFile.get(id) === FileState.skipped ? 0 : 1;
      }
      s.finishRun.run(now, repoId);
      return removed;
    })();
  }
}

/** A set of row ids as a bitmap: 1 bit per id up to the largest, 5 KB for 40,000 files. */
class IdSet {
  private bits = new Uint8Array(1024);

  add(id: number): void {
    const byte = id >>> 3;
    if (byte >= this.bits.length) {
      const grown = new Uint8Array(Math.max(byte + 1, this.bits.length * 2));
      grown.set(this.bits);
      this.bits = grown;
    }
    this.bits[byte]! |= 1 << (id & 7);
  }

  has(id: number): boolean {
    const byte = id >>> 3;
    return byte < this.bits.length && ((this.bits[byte] as number) & (1 << (id & 7))) !== 0;
  }
}
