import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { indexInProcess, openWriter } from '../../../../test/helpers/index-in-process';
import { makeTempDir, writeRepo } from '../../../../test/helpers/make-repo';
import { ripgrep } from '../../../../test/helpers/ripgrep';
import { openConnection } from '../db/open-connection';
import { readOps } from '../query/read-ops';
import { AppError } from '../base/errors';
import { INDEX_FORMAT_VERSION } from './format';
import { describeFormatOutcome, ensureIndexFormat } from './schema';

let temp: ReturnType<typeof makeTempDir>;
let root: string;
let dbPath: string;

beforeEach(() => {
  temp = makeTempDir();
  root = join(temp.path, 'repo');
  dbPath = join(temp.path, 'index.sqlite');
  writeRepo(root, {
    'a.ts': 'export const needle = 1;\nconst hay = 2;\n',
    'b/c.ts': 'function findNeedle() {\n  return needle;\n}\n',
  });
  root = realpathSync(root);
  const writer = openWriter(dbPath);
  indexInProcess(writer, root);
  writer.close();
});

afterEach(() => {
  temp.remove();
});

function withReader<T>(use: (db: BetterSqlite3.Database) => T): T {
  const db = openConnection(dbPath, { mode: 'reader' });
  try {
    return use(db);
  } finally {
    db.close();
  }
}

function searchLines(query: string): { path: string; line: number }[] {
  return withReader((db) => readOps.search(db, { query, mode: 'literal' }).matches.map(({ path, line }) => ({ path, line })));
}

function thrown(work: () => unknown): unknown {
  try {
    work();
    return null;
  } catch (error) {
    return error;
  }
}

describe('a damaged index', () => {
  it('answers a search with the error that says so, never a crash or a wrong result', () => {
    expect(searchLines('needle')).toHaveLength(2);
    const writer = openWriter(dbPath);
    // Flip one bit in every posting row: a search for any gram reads a damaged row.
    writer.function('flip', (data: Buffer) => {
      const copy = Buffer.from(data);
      copy[0]! ^= 1;
      return copy;
    });
    writer.exec('UPDATE postings SET data = flip(data)');
    writer.close();
    const error = thrown(() => searchLines('needle'));
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('database_error');
    expect((error as AppError).message).toMatch(/^The index is damaged: the posting row of segment \d+, bucket \d+ fails its checksum\. Re-index the repository to rebuild it\.$/);
  });

  it('with broken unit lists is refused with the segment named', () => {
    const writer = openWriter(dbPath);
    writer.exec("UPDATE segments SET unit_starts = x'000000'");
    const segment = writer.prepare('SELECT id FROM segments').pluck().get() as number;
    writer.close();
    const error = thrown(() => searchLines('needle'));
    expect((error as AppError).message).toBe(
      `The index is damaged: the unit lists of segment ${segment} are 8 and 3 bytes long (two lists of 4-byte values of one length expected). Re-index the repository to rebuild it.`,
    );
  });

  it('is rewritten whole by the next index run after the repository is re-indexed from scratch', () => {
    const writer = openWriter(dbPath);
    writer.exec("UPDATE postings SET data = x'00'");
    // A rebuild on purpose: the format version says "other", so the next open empties it.
    writer.pragma(`user_version = ${INDEX_FORMAT_VERSION - 1}`);
    writer.close();
    const reopened = openWriter(dbPath);
    indexInProcess(reopened, root);
    reopened.close();
    expect(searchLines('needle')).toEqual(ripgrep(root, 'needle', { fixed: true }).map(({ path, line }) => ({ path, line })));
  });
});

/** Older formats whose tables the rebuild must replace, whatever they hold. */
const OLD_FORMATS = [
  // A format-3 index had NULL unit lists.
  { version: 3, tables: 'ALTER TABLE segments RENAME TO old_segments; CREATE TABLE segments (id INTEGER PRIMARY KEY, file_ids BLOB, unit_starts BLOB)' },
  // A format-7 index counted each document's words in a NOT NULL column that this build's writer no longer fills.
  {
    version: 7,
    tables: `DROP TABLE documents;
      CREATE TABLE documents (id INTEGER PRIMARY KEY AUTOINCREMENT, file_id INTEGER NOT NULL, first_line INTEGER NOT NULL, words INTEGER NOT NULL, content TEXT NOT NULL);
      INSERT INTO documents (file_id, first_line, words, content) SELECT id, 1, 4, 'export const needle = 1;' FROM files`,
  },
];

/** Every table, index and trigger with its SQL: a rebuilt database must hold exactly a new one's. */
function schemaOf(db: BetterSqlite3.Database): unknown[] {
  return db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY type, name').all();
}

function newSchema(): unknown[] {
  const fresh = openWriter(join(temp.path, 'new.sqlite'));
  try {
    return schemaOf(fresh);
  } finally {
    fresh.close();
  }
}

describe('the format version', () => {
  it.each(OLD_FORMATS)('rebuilds an index of format $version on open: roots kept, said in the log line, and it searches correctly once re-indexed', ({ version, tables }) => {
    const old = openWriter(dbPath);
    old.exec(tables);
    old.pragma(`user_version = ${version}`);
    old.close();

    const refused = thrown(() => searchLines('needle'));
    expect((refused as AppError).message).toBe(`The index was written in format ${version}; this build reads format ${INDEX_FORMAT_VERSION}. Index the repository again to rebuild it.`);

    const writer = openConnection(dbPath, { mode: 'writer' });
    const outcome = ensureIndexFormat(writer);
    expect(outcome).toEqual({ kind: 'rebuilt', from: version, repositories: 1 });
    expect(describeFormatOutcome(dbPath, outcome)).toBe(
      `The index ${dbPath} was written in format ${version}; this build uses format ${INDEX_FORMAT_VERSION}. The index is derived from your files, so it was emptied: index its 1 repository again to rebuild it.`,
    );
    expect(writer.pragma('user_version', { simple: true })).toBe(INDEX_FORMAT_VERSION);
    expect(schemaOf(writer)).toEqual(newSchema());
    writer.close();

    // The user sees the repository, not yet indexed, and no stale results.
    expect(withReader((db) => readOps.listRepositories(db))).toEqual([{ root, lastIndexedAt: null, files: 0, bytes: 0, documents: 0, skipped: 0 }]);
    expect(searchLines('needle')).toEqual([]);

    const again = openWriter(dbPath);
    const run = indexInProcess(again, root);
    again.close();
    expect(run.summary.files_indexed).toBe(2);
    expect(searchLines('needle')).toEqual(ripgrep(root, 'needle', { fixed: true }).map(({ path, line }) => ({ path, line })));
  });

  it('leaves an index of this version alone', () => {
    const writer = openConnection(dbPath, { mode: 'writer' });
    expect(ensureIndexFormat(writer)).toEqual({ kind: 'current' });
    writer.close();
    expect(searchLines('needle')).toHaveLength(2);
  });
});
