import { mkdirSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { FileState } from '../src/main/core/db/schema';
import { indexInProcess, openWriter } from './helpers/index-in-process';
import { makeTempDir } from './helpers/make-repo';

let temp: ReturnType<typeof makeTempDir>;

beforeEach(() => {
  temp = makeTempDir('gitbot-vanish-');
});

afterEach(() => {
  temp.remove();
});

function writeFiles(root: string, count: number): void {
  for (let index = 0; index < count; index += 1) {
    mkdirSync(join(root, `pkg-${index % 10}`), { recursive: true });
    writeFileSync(join(root, `pkg-${index % 10}`, `file-${index}.txt`), `needle ${index}\n`);
  }
}

function counts(db: ReturnType<typeof openWriter>): { indexed: number; skipped: number; documents: number } {
  return {
    indexed: db.prepare(`SELECT count(*) FROM files WHERE state = ${FileState.indexed}`).pluck().get() as number,
    skipped: db.prepare(`SELECT count(*) FROM files WHERE state = ${FileState.skipped}`).pluck().get() as number,
    documents: db.prepare('SELECT count(*) FROM documents').pluck().get() as number,
  };
}

for (const how of ['renamed', 'deleted'] as const) {
  it(`a root ${how} during a re-index fails the run with a clear error and keeps the last good index`, () => {
    const root = join(temp.path, 'repo');
    writeFiles(root, 300);
    const real = realpathSync(root);
    const db = openWriter(join(temp.path, 'index.sqlite'));
    try {
      expect(indexInProcess(db, real).summary.files_indexed).toBe(300);
      const before = counts(db);
      expect(before).toEqual({ indexed: 300, skipped: 0, documents: 300 });
      writeFileSync(join(root, 'pkg-0', 'file-0.txt'), 'changed\n');
      let polls = 0;
      const vanish = (): boolean => {
        // The first poll comes after the walk started and before any file is dispatched.
        polls += 1;
        if (polls === 1) {
          if (how === 'renamed') renameSync(root, join(temp.path, 'moved'));
          else rmSync(root, { recursive: true });
        }
        return false;
      };
      expect(() => indexInProcess(db, real, {}, { cancelled: vanish })).toThrow(
        `The repository folder ${real} disappeared during indexing (renamed or deleted); the index keeps its last complete state`,
      );
      expect(counts(db)).toEqual(before);
    } finally {
      db.close();
    }
  });
}

it('a re-index after every file was deleted completes (the final merge once looped forever) and leaves no postings', () => {
  const root = join(temp.path, 'repo');
  writeFiles(root, 50);
  const real = realpathSync(root);
  const db = openWriter(join(temp.path, 'index.sqlite'));
  try {
    indexInProcess(db, real);
    for (let folder = 0; folder < 10; folder += 1) rmSync(join(root, `pkg-${folder}`), { recursive: true });
    expect(indexInProcess(db, real).summary).toMatchObject({ files_indexed: 0, files_removed: 50 });
    expect(db.prepare('SELECT count(*) FROM segments').pluck().get()).toBe(0);
    expect(counts(db)).toEqual({ indexed: 0, skipped: 0, documents: 0 });
  } finally {
    db.close();
  }
});
