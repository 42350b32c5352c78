import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IndexRun } from '../indexer/index-run';
import { IndexWriter } from '../indexer/index-writer';
import { sourceWorkers } from '../base/workers';
import { openConnection } from '../db/open-connection';
import { ReaderPool } from '../db/pool';
import type { ReaderOps } from './reader-ops';
import { coreDir, poolSettings, RecordingLogger } from '../db/pool-test-helpers';
import { ensureIndexFormat } from '../index/schema';

describe('ReaderPool serving the real read ops', () => {
  let dir: string;
  let pool: ReaderPool<ReaderOps> | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gitbot-pool-search-'));
    const repo = join(dir, 'repo');
    mkdirSync(repo);
    writeFileSync(join(repo, 'a.ts'), 'export const needle = 1;\nconst hay = 2;\n');
    writeFileSync(join(repo, 'b.ts'), 'function findNeedle() {\n  return needle;\n}\n');
    const dbPath = join(dir, 'index.sqlite');
    const db = openConnection(dbPath, { mode: 'writer' });
    ensureIndexFormat(db);
    new IndexRun(new IndexWriter(db), repo, { maxFileSize: 1 << 20, maxContentLength: 50_000, maxDocumentsPerBatch: 100, chunkSize: 8192 }, new Set([dbPath]), {
      cancelled: () => false,
      memoryPressure: () => false,
      onProgress: () => {},
    }).run();
    db.close();
    pool = new ReaderPool<ReaderOps>({ dbPath, settings: poolSettings(), workers: sourceWorkers(coreDir), logger: new RecordingLogger() });
  });
  afterEach(async () => {
    await pool?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('searches, lists repositories and clears the search caches through the pool', async () => {
    const page = await pool!.run('search', { query: 'needle', mode: 'literal' });
    expect(page.matches.map((match) => [match.path, match.line])).toEqual([
      ['a.ts', 1],
      ['b.ts', 2],
    ]);
    const repositories = await pool!.run('listRepositories', undefined);
    expect(repositories.map((repository) => [repository.root, repository.files])).toEqual([[join(dir, 'repo'), 2]]);
    await pool!.clearCaches();
    expect((await pool!.run('search', { query: 'NEEDLE', mode: 'literal', ignoreCase: true })).total).toEqual({ matches: 3, files: 2, exact: true });
    await expect(pool!.run('listSkippedFiles', { repo: join(dir, 'other') })).rejects.toMatchObject({
      code: 'not_found',
      message: `Repository not indexed: ${join(dir, 'other')}`,
    });
    expect(pool!.status()).toMatchObject({ size: 1, checked_out: 0, created: 1 });
  });
});
