import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, writeRepo } from '../../../../test/helpers/make-repo';
import { indexInProcess, openWriter } from '../../../../test/helpers/index-in-process';
import { allMatches } from '../../../../test/helpers/all-matches';
import { ripgrep } from '../../../../test/helpers/ripgrep';
import { openConnection } from '../db/open-connection';
import { indexSnapshot } from './index-snapshot';
import { queryCandidates } from './query-candidates';
import { regexQuery, stringQuery } from './regex-literals';

// Documents of at most 1,000 characters, one per transaction: every unit boundary and batch cut is exercised.
const settings = { maxContentLength: 1000, maxDocumentsPerBatch: 1, chunkSize: 256 };

/** 40 lines of 99 characters plus a newline: 10 lines per document, 4 documents. */
function tallFile(special: Record<number, string>): string {
  return Array.from({ length: 40 }, (_, line) => (special[line] ?? `line ${line} `).padEnd(99, '.')).join('\n') + '\n';
}

let temp: ReturnType<typeof makeTempDir>;
let root: string;
let dbPath: string;
let reader: BetterSqlite3.Database | null = null;

beforeEach(() => {
  temp = makeTempDir();
  root = join(temp.path, 'repo');
  dbPath = join(temp.path, 'index.sqlite');
  writeRepo(root, {
    'tall.txt': tallFile({ 25: 'the needle_in_document_three is here' }),
    // A line of 2,999 characters and its newline cut into 3 documents, each written in its own
    // batch, with "straddling" split by the first cut (after character 1,000).
    'wide.txt': `${'a'.repeat(996)}straddling${'b'.repeat(1993)}\nafter the wide line\n`,
    'other.txt': 'nothing to see\n',
  });
  root = realpathSync(root);
  const writer = openWriter(dbPath);
  indexInProcess(writer, root, settings);
  writer.close();
  reader = openConnection(dbPath, { mode: 'reader' });
});

afterEach(() => {
  reader?.close();
  temp.remove();
});

function open(): BetterSqlite3.Database {
  return reader as BetterSqlite3.Database;
}

function units(query: ReturnType<typeof stringQuery>): { path: string; start: number }[] {
  const db = open();
  const snapshot = indexSnapshot(db);
  const found = queryCandidates(db, snapshot, query, false, null) ?? new Int32Array(0);
  const pathOf = db.prepare('SELECT path FROM files WHERE id = ?').pluck();
  return [...found].map((unit) => ({ path: pathOf.get(snapshot.units.file[unit]) as string, start: snapshot.units.start[unit] as number }));
}

function lines(query: string, mode: 'literal' | 'regex'): { path: string; line: number; ranges: readonly (readonly [number, number])[] }[] {
  return allMatches(open(), { query, mode }).map(({ path, line, ranges }) => ({ path, line, ranges }));
}

describe('posting units', () => {
  it('posts each document that starts a line as its own unit, so a search reads only the documents holding its grams', () => {
    expect(units(stringQuery('needle_in_document_three'))).toEqual([{ path: 'tall.txt', start: 2 }]);
    expect(lines('needle_in_document_three', 'literal')).toEqual([{ path: 'tall.txt', line: 26, ranges: [[4, 28]] }]);
  });

  it('keeps a line longer than a document in one unit across batches, and finds a match cut by a document boundary', () => {
    expect(units(stringQuery('straddling'))).toEqual([{ path: 'wide.txt', start: 0 }]);
    expect(lines('straddling', 'literal')).toEqual([{ path: 'wide.txt', line: 1, ranges: [[996, 1006]] }]);
    // The unit ends with the long line: the next line starts the next unit, in the fourth document.
    expect(units(stringQuery('after the wide'))).toEqual([{ path: 'wide.txt', start: 3 }]);
    expect(lines('after the wide', 'literal')).toEqual([{ path: 'wide.txt', line: 2, ranges: [[0, 14]] }]);
  });

  it('intersects the parts of a regex within a unit: parts in different documents of a file do not make it a candidate', () => {
    // "line 3 " is in the first document, "line 35 " in the fourth: no single line has both.
    expect(units(regexQuery('line 3 .*line 35 '))).toEqual([]);
    expect(units(regexQuery('line 3[0-9]'))).toEqual([
      { path: 'tall.txt', start: 0 },
      { path: 'tall.txt', start: 3 },
    ]);
  });

  it('gives results equal to rg for queries over unit boundaries', () => {
    for (const [query, mode] of [
      ['straddling', 'literal'],
      ['bbb', 'literal'],
      ['a{3}s', 'regex'],
      ['line 1[0-9] ', 'regex'],
      ['needle', 'literal'],
    ] as const) {
      const expected = ripgrep(root, query, { fixed: mode === 'literal' }).map(({ path, line }) => ({ path, line }));
      expect(lines(query, mode).map(({ path, line }) => ({ path, line }))).toEqual(expected);
    }
  });
});
