import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRepo } from '../../../../test/helpers/make-repo';
import { indexedFixture, type IndexedFixture } from '../../../../test/helpers/index-in-process';
import { readerOps } from '../query/reader-ops';
import { MAX_LINE_CHARACTERS } from './file-lines';

let fixture: IndexedFixture;
let root: string;
let reader: BetterSqlite3.Database;

beforeAll(() => {
  // Small documents, so lines are read across document boundaries and long lines span several.
  fixture = indexedFixture((repo) => generateRepo(repo, { seed: 5, files: 24 }), { maxContentLength: 700, maxDocumentsPerBatch: 7, chunkSize: 512 });
  ({ root, reader } = fixture);
});

afterAll(() => {
  fixture.close();
});

/** The file's lines as rg numbers them (CR of CRLF dropped), cut as readLines cuts. */
function linesOnDisk(path: string): string[] {
  const text = readFileSync(join(root, path), 'utf8');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') {
    lines.pop();
  }
  return lines.map((line) => line.replace(/\r$/, '').slice(0, MAX_LINE_CHARACTERS));
}

describe('readLines', () => {
  it.each(['src/file-0.txt', '.hidden/file-3.txt', 'docs/file-4.txt', 'long/many-documents.txt', 'long/one-line.js'])('reads the lines of %s as they are on disk', (path) => {
    const expected = linesOnDisk(path);
    const wanted = [1, 2, Math.ceil(expected.length / 2), expected.length - 1, expected.length].filter((line) => line >= 1);
    const result = readerOps.readLines(reader, { repo: root, path, lines: wanted });
    expect(result.lines.map((line) => [line.line, line.text])).toEqual([...new Set(wanted)].sort((a, b) => a - b).map((line) => [line, expected[line - 1]]));
  });

  it('gives the context around a line in the middle of a many-document file', () => {
    const expected = linesOnDisk('long/many-documents.txt');
    const around = [2998, 2999, 3000, 3001, 3002];
    const result = readerOps.readLines(reader, { repo: root, path: 'long/many-documents.txt', lines: around });
    expect(result.lines.map((line) => line.text)).toEqual(around.map((line) => expected[line - 1]));
  });

  it('cuts a line longer than the limit and says so', () => {
    const result = readerOps.readLines(reader, { repo: root, path: 'long/one-line.js', lines: [1, 2] });
    expect(result.lines[0]?.cut).toBe(true);
    expect(result.lines[0]?.text.length).toBe(MAX_LINE_CHARACTERS);
    expect(result.lines[1]).toEqual({ line: 2, text: 'second line with search here' });
  });

  it('leaves out lines past the end and refuses a file that is not indexed', () => {
    const count = linesOnDisk('src/file-0.txt').length;
    expect(readerOps.readLines(reader, { repo: root, path: 'src/file-0.txt', lines: [count, count + 1, count + 2] }).lines.map((line) => line.line)).toEqual([count]);
    expect(() => readerOps.readLines(reader, { repo: root, path: 'bytes/binary.bin', lines: [1] })).toThrow(`Not in the index: bytes/binary.bin in ${root}`);
  });
});
