import { realpathSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { indexInProcess, openWriter } from '../../../../test/helpers/index-in-process';
import { makeTempDir, writeRepo } from '../../../../test/helpers/make-repo';
import { removeRepository } from '../indexer/remove-repository';
import type { WritableDatabase } from '../base/database-types';
import { WORDS_TABLE, wordsMatchExpression } from './words-index';

let temp: ReturnType<typeof makeTempDir>;
let root: string;
let db: WritableDatabase;

const lines = (count: number, line: string): string => `${line}\n`.repeat(count);

beforeEach(() => {
  temp = makeTempDir();
  writeRepo(join(temp.path, 'repo'), {
    'a.js': `const snake_case_name = 1;\nfunction Größe() { return naïve; }\n${lines(40, 'filler text here')}`,
    'b.ts': 'SNAKE_CASE_NAME + snake\r\nπ3 日本語 x_1\n',
    'c.txt': 'unrelated words only\n',
    'gone.md': 'ephemeral zyzzyva\n',
  });
  root = realpathSync(join(temp.path, 'repo'));
  db = openWriter(join(temp.path, 'index.sqlite'));
  // Small documents and batches: files cut into several documents, written over several transactions.
  indexInProcess(db, root, { maxContentLength: 200, maxDocumentsPerBatch: 2, chunkSize: 64 });
});

afterEach(() => {
  db.close();
  temp.remove();
});

/** The documents the FTS5 table finds for a word. */
function found(word: string): number[] {
  return db
    .prepare(`SELECT rowid FROM ${WORDS_TABLE} WHERE ${WORDS_TABLE} MATCH ? ORDER BY rowid`)
    .pluck()
    .all(wordsMatchExpression([word])) as number[];
}

/** The documents holding the word as words mode defines it: `[\p{L}\p{N}_]+`, case-insensitive. */
function expected(word: string): number[] {
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}_])${word}(?![\\p{L}\\p{N}_])`, 'iu');
  const rows = db.prepare('SELECT id, content FROM documents ORDER BY id').all() as { id: number; content: string }[];
  return rows.filter((row) => pattern.test(row.content)).map((row) => row.id);
}

describe('words index (FTS5)', () => {
  it.each(['snake_case_name', 'snake', 'größe', 'naïve', 'π3', '日本語', 'x_1', 'filler', 'zyzzyva', 'return'])('finds the documents holding %s as a whole word, any case', (word) => {
    expect(found(word).length).toBeGreaterThan(0);
    expect(found(word)).toEqual(expected(word));
  });

  it('reads a query word as a string, never as FTS5 syntax', () => {
    const count = (terms: string[]): unknown => db.prepare(`SELECT count(*) FROM ${WORDS_TABLE} WHERE ${WORDS_TABLE} MATCH ?`).pluck().get(wordsMatchExpression(terms));
    // Unquoted, `NEAR OR AND` is a syntax error and `snake"` an unterminated string.
    expect(count(['NEAR', 'AND'])).toBe(0);
    expect(count(['snake"'])).toBe(found('snake').length);
  });

  it('follows the documents when a file changes, is deleted, and when the repository is removed', () => {
    writeFileSync(join(root, 'a.js'), 'const replaced_name = 2;\n');
    utimesSync(join(root, 'a.js'), new Date(), new Date(Date.now() + 5000));
    rmSync(join(root, 'gone.md'));
    indexInProcess(db, root, { maxContentLength: 200, maxDocumentsPerBatch: 2, chunkSize: 64 });
    expect(found('zyzzyva')).toEqual([]);
    expect(found('filler')).toEqual([]);
    expect(found('replaced_name')).toEqual(expected('replaced_name'));
    expect(found('snake_case_name')).toEqual(expected('snake_case_name'));
    // One row per live document: nothing of the old a.js or of gone.md is left behind.
    const documents = db.prepare('SELECT count(*) FROM documents').pluck().get() as number;
    expect(db.prepare(`SELECT count(*) FROM ${WORDS_TABLE}_docsize`).pluck().get()).toBe(documents);
    expect(removeRepository(db, root)).toBe(true);
    expect(db.prepare(`SELECT count(*) FROM ${WORDS_TABLE}_docsize`).pluck().get()).toBe(0);
    expect(found('snake')).toEqual([]);
  });
});
