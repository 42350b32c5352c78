import { realpathSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { indexInProcess, openWriter } from '../../../../test/helpers/index-in-process';
import { makeTempDir, writeRepo } from '../../../../test/helpers/make-repo';
import { WORDS_TABLE } from '../index/words-index';
import type { WritableDatabase } from '../base/database-types';

let temp: ReturnType<typeof makeTempDir>;
let root: string;
let db: WritableDatabase;

/** Rows this connection has inserted, updated or deleted since it opened. */
const changes = (): number => db.prepare('SELECT total_changes()').pluck().get() as number;
const paths = (): string[] => db.prepare('SELECT path FROM files ORDER BY path').pluck().all() as string[];

beforeEach(() => {
  temp = makeTempDir();
  const files: Record<string, string> = { 'blob.bin': 'a\u0000b' };
  for (let index = 0; index < 30; index += 1) {
    files[`src/file-${index}.ts`] = `export const value${index} = ${index};\n`;
  }
  writeRepo(join(temp.path, 'repo'), files);
  root = realpathSync(join(temp.path, 'repo'));
  db = openWriter(join(temp.path, 'index.sqlite'));
  indexInProcess(db, root);
});

afterEach(() => {
  db.close();
  temp.remove();
});

describe('index writer, re-index', () => {
  it('writes no file row when nothing changed, and keeps every file', () => {
    const before = changes();
    const result = indexInProcess(db, root);
    expect(result.summary.files_unchanged).toBe(30);
    expect(result.summary.files_removed).toBe(0);
    // The run counter and the finish time of the repository row: nothing per file.
    expect(changes() - before).toBe(2);
    expect(paths()).toHaveLength(31);
  });

  it('removes the files deleted from disk and keeps the unchanged and the changed ones with their words', () => {
    rmSync(join(root, 'src/file-3.ts'));
    rmSync(join(root, 'blob.bin'));
    writeFileSync(join(root, 'src/file-4.ts'), 'export const renamed = 4;\n');
    utimesSync(join(root, 'src/file-4.ts'), new Date(), new Date(Date.now() + 5000));
    const result = indexInProcess(db, root);
    expect(result.summary).toMatchObject({ files_unchanged: 28, files_indexed: 1, files_removed: 1 });
    expect(paths()).toHaveLength(29);
    expect(paths()).not.toContain('src/file-3.ts');
    expect(paths()).not.toContain('blob.bin');
    const words = db.prepare(`SELECT count(*) FROM ${WORDS_TABLE} WHERE ${WORDS_TABLE} MATCH ?`).pluck();
    expect(words.get('"value3"')).toBe(0);
    expect(words.get('"renamed"')).toBe(1);
    expect(words.get('"value5"')).toBe(1);
  });
});
