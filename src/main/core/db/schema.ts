/**
 * The index's tables, created and migrated by the writer only. The version lives in
 * PRAGMA user_version; each migration runs in one transaction, so a crash mid-migration
 * leaves the previous version intact.
 *
 * Layout, in short:
 * - repositories: one row per indexed root (several repositories share one database).
 * - files: every file the walk met, indexed or skipped (with the reason), keyed by
 *   (repo, relative path); size + mtime decide what a re-index touches. `state` is
 *   0 partial (documents still being written), 1 indexed, 2 skipped.
 * - documents: the file's decoded text cut at line boundaries into pieces of at most
 *   MAX_CONTENT_LENGTH characters; their concatenation in id order is the file's text.
 *   Small columns come before `content` so reading them never touches overflow pages.
 * - segments + postings: a trigram index written one segment per transaction. A posting
 *   row holds, for one bucket of trigrams, the units of that segment that contain each
 *   trigram, as ordinals into the segment's unit lists: file_ids (Int32 per ordinal) and
 *   unit_starts (Int32 per ordinal, the index of the unit's first document in its file). A
 *   unit is a run of documents from a line start to a line end (one document unless a line
 *   is longer than a document). unit_starts is NULL in segments written before units: their
 *   ordinals name whole files. A file gets a new id each time it is re-read, so postings of
 *   its old text name a dead id: they only add candidates the snapshot drops, and merges
 *   (segments.level) remove them.
 */
import type BetterSqlite3 from 'better-sqlite3';

type Database = BetterSqlite3.Database;

const migrations: readonly string[] = [
  `
  CREATE TABLE repositories (
    id INTEGER PRIMARY KEY,
    root TEXT NOT NULL UNIQUE,
    last_indexed_at INTEGER,
    run INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE files (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    repo_id INTEGER NOT NULL,
    path TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ms INTEGER NOT NULL,
    state INTEGER NOT NULL,
    skip_reason TEXT,
    detail TEXT,
    documents INTEGER NOT NULL DEFAULT 0,
    seen_run INTEGER NOT NULL
  );
  CREATE UNIQUE INDEX files_by_path ON files(repo_id, path);
  CREATE INDEX files_by_run ON files(repo_id, seen_run);
  CREATE TABLE documents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    file_id INTEGER NOT NULL,
    first_line INTEGER NOT NULL,
    words INTEGER NOT NULL,
    content TEXT NOT NULL
  );
  CREATE INDEX documents_by_file ON documents(file_id, id);
  CREATE TABLE segments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    repo_id INTEGER NOT NULL,
    file_ids BLOB NOT NULL
  );
  CREATE INDEX segments_by_repo ON segments(repo_id, id);
  CREATE TABLE postings (
    segment_id INTEGER NOT NULL,
    bucket INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (segment_id, bucket)
  ) WITHOUT ROWID;
  `,
  // Segment levels for merging: 0 for a batch's segment, higher for merged ones.
  `
  ALTER TABLE segments ADD COLUMN level INTEGER NOT NULL DEFAULT 0;
  `,
  // Postings per unit (a line-aligned run of documents) instead of per file; older segments keep NULL.
  `
  ALTER TABLE segments ADD COLUMN unit_starts BLOB;
  `,
];

/** The schema version this build writes; readers refuse nothing, they just see tables. */
export const schemaVersion = migrations.length;

/** Brings a writer connection's database to the current schema version. */
export function migrate(db: Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > schemaVersion) {
    throw new Error(`The database was written by a newer Gitbot (schema ${current}, this build knows ${schemaVersion})`);
  }
  for (let version = current; version < schemaVersion; version += 1) {
    const sql = migrations[version] as string;
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}

/** File states stored in files.state. */
export const FileState = { partial: 0, indexed: 1, skipped: 2 } as const;
