import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import type { WritableDatabase } from '../base/database-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexInProcess, openWriter } from '../../../../test/helpers/index-in-process';
import { makeTempDir, writeRepo } from '../../../../test/helpers/make-repo';
import { indexSnapshot } from './index-snapshot';
import { wordsSearch } from './words';

let temp: ReturnType<typeof makeTempDir>;
let db: WritableDatabase;

beforeAll(() => {
  temp = makeTempDir();
  const entries: Record<string, string> = {};
  // Equal files (equal scores: ties between files), files of several documents, and others.
  for (let index = 0; index < 6; index += 1) {
    entries[`same-${index}.txt`] = 'alpha beta\n';
    entries[`many-${index}.txt`] = Array.from({ length: 30 }, (_, line) => (line % (index + 2) === 0 ? `alpha line ${line}` : `filler ${line}`)).join('\n');
    entries[`other-${index}.txt`] = `beta ${'gamma '.repeat(index)}\n`;
  }
  writeRepo(join(temp.path, 'repo'), entries);
  db = openWriter(join(temp.path, 'index.sqlite'));
  indexInProcess(db, realpathSync(join(temp.path, 'repo')), { maxContentLength: 60, maxDocumentsPerBatch: 4, chunkSize: 64 });
});

afterAll(() => {
  db.close();
  temp.remove();
});

/** Every matching document in words mode's order, computed from all of FTS5's rows at once. */
function everyDocument(query: string): string[] {
  const snapshot = indexSnapshot(db);
  const rows = db
    .prepare<[string], { id: number; file: number; path: string; line: number; score: number }>(
      `SELECT d.id, d.file_id AS file, f.path, d.first_line AS line, -bm25(word_index) AS score
         FROM word_index w JOIN documents d ON d.id = w.rowid JOIN files f ON f.id = d.file_id WHERE word_index MATCH ?`,
    )
    .all(query);
  const best = new Map<number, number>();
  for (const row of rows) {
    best.set(row.file, Math.max(best.get(row.file) ?? Number.NEGATIVE_INFINITY, row.score));
  }
  rows.sort(
    (left, right) =>
      (best.get(right.file) as number) - (best.get(left.file) as number) ||
      (snapshot.rank[left.file] as number) - (snapshot.rank[right.file] as number) ||
      right.score - left.score ||
      left.id - right.id,
  );
  return rows.map((row) => `${row.path}:${row.score.toPrecision(4)}`);
}

describe('words mode keeps only the documents a page can hold', () => {
  it.each([1, 2, 5, 7, 50])('pages of %i give every document once, in rank order, ties included', (limit) => {
    for (const query of ['alpha', 'beta', 'alpha OR gamma']) {
      const wanted = everyDocument(query.replace(' OR ', ' OR '));
      const terms = query.split(' OR ').join(' ');
      const pages: string[] = [];
      let offset: number | undefined = 0;
      while (offset !== undefined) {
        const page = wordsSearch(db, indexSnapshot(db), { query: terms, repoId: null, limit, offset });
        expect(page.total).toBe(wanted.length);
        pages.push(...page.matches.map((match) => `${match.path.slice(match.path.lastIndexOf('/') + 1)}:${(match.score as number).toPrecision(4)}`));
        offset = page.nextOffset;
      }
      expect(pages, `${query}, pages of ${limit}`).toEqual(wanted.map((entry) => entry.slice(entry.lastIndexOf('/') + 1)));
    }
  });
});
