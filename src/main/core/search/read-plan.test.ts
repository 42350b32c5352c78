import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, writeRepo } from '../../../../test/helpers/make-repo';
import { indexInProcess, openWriter } from '../../../../test/helpers/index-in-process';
import { openConnection } from '../db/open-connection';
import { indexSnapshot } from './index-snapshot';
import { documentStatements, GROUP_FILES, GroupedDocuments, plannedDocuments, wholeFiles, type DocumentStatements, type ReadPlan } from './read-plan';

type Row = [number, Buffer];

// Documents of at most 200 characters, so a file of 1,000 is five of them.
const settings = { maxContentLength: 200, maxDocumentsPerBatch: 7, chunkSize: 64 };

let temp: ReturnType<typeof makeTempDir>;
let reader: BetterSqlite3.Database;
let statements: DocumentStatements;
let plan: ReadPlan;

beforeAll(() => {
  temp = makeTempDir();
  const root = join(temp.path, 'repo');
  // More files than two groups: one-document files, five-document files and empty files, mixed.
  const files: Record<string, string> = {};
  for (let index = 0; index < 2 * GROUP_FILES + 9; index += 1) {
    const name = `f${String(index).padStart(3, '0')}.txt`;
    files[name] = index % 7 === 3 ? '' : index % 5 === 0 ? `${`line ${index} `.padEnd(99, '.')}\n`.repeat(10) : `one line ${index}\n`;
  }
  writeRepo(root, files);
  const dbPath = join(temp.path, 'index.sqlite');
  const writer = openWriter(dbPath);
  indexInProcess(writer, root, settings);
  writer.close();
  reader = openConnection(dbPath, { mode: 'reader' });
  statements = documentStatements(reader, 'first_line, CAST(content AS BLOB)');
  plan = wholeFiles(indexSnapshot(reader).ordered);
});

afterAll(() => {
  reader.close();
  temp.remove();
});

/** Each plan file's rows as the per-file statement reads them. */
function oneByOne(from: number): Row[][] {
  const endsLine = (row: Row) => row[1][row[1].length - 1] === 10;
  return Array.from({ length: plan.files.length - from }, (_, offset) => [...plannedDocuments<Row>(statements, plan, from + offset, endsLine)]);
}

describe('GroupedDocuments', () => {
  it('reads every file of a whole-file plan as the per-file statement does, a group of files per statement', () => {
    expect(plan.files.length).toBeGreaterThan(2 * GROUP_FILES);
    for (const from of [0, 1, GROUP_FILES - 1, GROUP_FILES + 5]) {
      const grouped = new GroupedDocuments<Row>(statements, plan);
      const rows = Array.from({ length: plan.files.length - from }, (_, offset) => [...grouped.file(from + offset)]);
      grouped.close();
      expect(rows).toEqual(oneByOne(from));
    }
    // The corpus holds what the groups must keep apart: files of several documents and files of none.
    expect(oneByOne(0).some((rows) => rows.length === 5)).toBe(true);
    expect(oneByOne(0).some((rows) => rows.length === 0)).toBe(true);
  });

  it('goes on after a file left unfinished once it is closed and asked again', () => {
    const grouped = new GroupedDocuments<Row>(statements, plan);
    const many = oneByOne(0).findIndex((rows) => rows.length === 5);
    const first = grouped.file(many).next().value as Row;
    grouped.close();
    expect(first).toEqual(oneByOne(many)[0]?.[0]);
    expect([...grouped.file(many + 1)]).toEqual(oneByOne(many + 1)[0]);
    grouped.close();
  });

  it('fails rather than mix files up when the rows do not come in the plan order', () => {
    const fileA = plan.files[0] as number;
    const fileB = plan.files[1] as number;
    // A statement whose rows put the second file's document before the first's.
    const shuffled: DocumentStatements = {
      ...statements,
      group: {
        iterate: () =>
          [
            [fileB, 1, Buffer.from('b\n')],
            [fileA, 1, Buffer.from('a\n')],
          ][Symbol.iterator](),
      } as unknown as BetterSqlite3.Statement,
    };
    const grouped = new GroupedDocuments<Row>(shuffled, plan);
    expect([...grouped.file(0)]).toEqual([]);
    expect(() => [...grouped.file(1)]).toThrow(`Documents of file ${fileA} came out of plan order (reading file ${fileB})`);
  });
});
