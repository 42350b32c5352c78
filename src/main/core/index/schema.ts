/**
 * The index's tables (docs/INDEX-FORMAT.md describes every column), created by the writer.
 * The format version lives in PRAGMA user_version. There are no migrations: the index is
 * derived from the files on disk, so a database of another version is emptied (its
 * repository roots kept) and the next index run of each repository rebuilds it.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { AppError } from '../base/errors';
import { INDEX_FORMAT_VERSION } from './format';
import { WORDS_INDEX_SCHEMA } from './words-index';
import type { WritableDatabase } from '../base/database-types';
import { pragmaValue } from '../base/pragma-value';

type Database = BetterSqlite3.Database;

const CREATE = `
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
    path_bytes BLOB NOT NULL DEFAULT x'',
    size INTEGER NOT NULL,
    mtime_ms INTEGER NOT NULL,
    state INTEGER NOT NULL,
    skip_reason TEXT,
    detail TEXT,
    documents INTEGER NOT NULL DEFAULT 0,
    seen_run INTEGER NOT NULL
  );
  CREATE UNIQUE INDEX files_by_path ON files(repo_id, path, path_bytes);
  CREATE INDEX files_by_run ON files(repo_id, seen_run);
  CREATE TABLE documents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    file_id INTEGER NOT NULL,
    first_line INTEGER NOT NULL,
    content TEXT NOT NULL
  );
  CREATE INDEX documents_by_file ON documents(file_id, id);
  CREATE TABLE segments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    repo_id INTEGER NOT NULL,
    level INTEGER NOT NULL,
    file_ids BLOB NOT NULL,
    unit_starts BLOB NOT NULL
  );
  CREATE INDEX segments_by_repo ON segments(repo_id, id);
  CREATE TABLE postings (
    segment_id INTEGER NOT NULL,
    bucket INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (segment_id, bucket)
  ) WITHOUT ROWID;
  ${WORDS_INDEX_SCHEMA}
`;

/** What opening the index found. */
export type FormatOutcome =
  | { readonly kind: 'current' | 'created' }
  /** The database held format `from`: emptied, its repository roots kept (to be re-indexed). */
  | { readonly kind: 'rebuilt'; readonly from: number; readonly repositories: number };

/** The format version of a database (0: no tables yet). */
export function formatVersion(db: Database): number {
  return pragmaValue(db, 'user_version');
}

/**
 * Brings a writer connection's database to this build's format: creates the tables, or
 * empties a database of another version. One transaction: a crash leaves the old database.
 */
export function ensureIndexFormat(db: WritableDatabase): FormatOutcome {
  const version = formatVersion(db);
  if (version === INDEX_FORMAT_VERSION) {
    return { kind: 'current' };
  }
  return db.transaction((): FormatOutcome => {
    const roots = version === 0 ? [] : oldRoots(db);
    dropEverything(db);
    db.exec(CREATE);
    const insert = db.prepare('INSERT INTO repositories (root) VALUES (?)');
    for (const root of roots) {
      insert.run(root);
    }
    db.pragma(`user_version = ${INDEX_FORMAT_VERSION}`);
    return version === 0 ? { kind: 'created' } : { kind: 'rebuilt', from: version, repositories: roots.length };
  })();
}

/** The sentence the log and the user see after a rebuild, or null. */
export function describeFormatOutcome(dbPath: string, outcome: FormatOutcome): string | null {
  if (outcome.kind !== 'rebuilt') {
    return null;
  }
  return (
    `The index ${dbPath} was written in format ${outcome.from}; this build uses format ${INDEX_FORMAT_VERSION}. ` +
    `The index is derived from your files, so it was emptied: index its ${outcome.repositories} ${outcome.repositories === 1 ? 'repository' : 'repositories'} again to rebuild it.`
  );
}

/**
 * For readers, which never write: refuses a database of another format with the reason
 * (the writer rebuilds it when it next opens it); false when it has no tables yet.
 */
export function hasCurrentFormat(db: Database): boolean {
  const version = formatVersion(db);
  if (version === 0) {
    return false;
  }
  if (version !== INDEX_FORMAT_VERSION) {
    throw new AppError('database_error', `The index was written in format ${version}; this build reads format ${INDEX_FORMAT_VERSION}. Index the repository again to rebuild it.`);
  }
  return true;
}

/** The repository roots of a database of another version, when it has a readable list. */
function oldRoots(db: Database): string[] {
  try {
    return db.prepare('SELECT root FROM repositories ORDER BY id').pluck().all() as string[];
  } catch {
    return [];
  }
}

/** Drops every table, view and trigger, whatever the old format held (virtual tables first: they own shadow tables). */
function dropEverything(db: Database): void {
  const objects = (): { type: string; name: string; sql: string | null }[] =>
    db.prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND type IN ('table', 'view', 'trigger')").all() as {
      type: string;
      name: string;
      sql: string | null;
    }[];
  const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;
  for (const object of objects().filter((entry) => entry.sql?.startsWith('CREATE VIRTUAL') === true)) {
    db.exec(`DROP TABLE IF EXISTS ${quote(object.name)}`);
  }
  for (const object of objects()) {
    db.exec(`DROP ${object.type.toUpperCase()} IF EXISTS ${quote(object.name)}`);
  }
}
