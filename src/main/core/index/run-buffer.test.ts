import { mkdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allMatches } from '../../../../test/helpers/all-matches';
import { indexInProcess, openWriter } from '../../../../test/helpers/index-in-process';
import { killWhenPrinted } from '../../../../test/helpers/kill-child';
import { generateRepo, makeTempDir } from '../../../../test/helpers/make-repo';
import { ripgrep } from '../../../../test/helpers/ripgrep';
import { openConnection } from '../db/open-connection';
import { RUN_BUFFER_BYTES } from './run-buffer';

let temp: ReturnType<typeof makeTempDir>;
let root: string;
let dbPath: string;

beforeEach(() => {
  temp = makeTempDir();
  root = join(temp.path, 'repo');
  dbPath = join(temp.path, 'data', 'index.sqlite');
  mkdirSync(join(temp.path, 'data'));
  generateRepo(root, { seed: 9, files: 300, lines: 60 });
  root = realpathSync(root);
});

afterEach(() => {
  temp.remove();
});

function searchLines(query: string): { path: string; line: number }[] {
  const db = openConnection(dbPath, { mode: 'reader' });
  try {
    return allMatches(db, { query, mode: 'literal' }).map(({ path, line }) => ({ path, line }));
  } finally {
    db.close();
  }
}

const rg = (query: string): { path: string; line: number }[] => ripgrep(root, query, { fixed: true }).map(({ path, line }) => ({ path, line }));

describe('the run buffer', () => {
  it('writes one segment for a run whose postings fit in it, equal to rg', () => {
    const db = openWriter(dbPath);
    const result = indexInProcess(db, root, { maxDocumentsPerBatch: 2 });
    expect(db.prepare('SELECT count(*) FROM segments').pluck().get()).toBe(1);
    db.close();
    expect(result.merges.merges).toBe(0);
    expect(searchLines('search')).toEqual(rg('search'));
  });

  it('keeps buffered files partial until their segment is written: killed -9 in between, nothing is indexed without postings, and the next run reads them', async () => {
    await killWhenPrinted('index-child.ts', [dbPath, root, String(RUN_BUFFER_BYTES)], 'committed');
    const db = openWriter(dbPath);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    // Batches were committed (documents written) but their postings were still in the buffer.
    expect(db.prepare('SELECT count(*) FROM documents').pluck().get()).toBeGreaterThan(0);
    expect(db.prepare('SELECT count(*) FROM segments').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM files WHERE state = 1').pluck().get()).toBe(0);
    expect(searchLines('search')).toEqual([]);
    const resumed = indexInProcess(db, root);
    db.close();
    expect(resumed.summary.files_unchanged).toBe(0);
    expect(searchLines('search')).toEqual(rg('search'));
  });
});
