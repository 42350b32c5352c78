import type BetterSqlite3 from 'better-sqlite3';
import { openConnection } from '../../src/main/core/db/open-connection';
import { ensureIndexFormat } from '../../src/main/core/index/schema';
import { IndexRun, type RunHooks, type RunResult, type RunSettings } from '../../src/main/core/indexer/index-run';
import { IndexWriter } from '../../src/main/core/indexer/index-writer';

export const defaultSettings: RunSettings = { maxFileSize: 1024 * 1024, maxContentLength: 50_000, maxDocumentsPerBatch: 100, chunkSize: 8192 };

/** Opens (creating and migrating) a writer connection, as the indexer worker does. */
export function openWriter(dbPath: string): BetterSqlite3.Database {
  const db = openConnection(dbPath, { mode: 'writer' });
  ensureIndexFormat(db);
  return db;
}

/** Runs one indexing run in this thread (the worker's code without the thread). */
export function indexInProcess(db: BetterSqlite3.Database, root: string, settings: Partial<RunSettings> = {}, hooks: Partial<RunHooks> = {}): RunResult {
  const run = new IndexRun(new IndexWriter(db), root, { ...defaultSettings, ...settings }, new Set(), {
    cancelled: () => false,
    memoryPressure: () => false,
    onProgress: () => undefined,
    ...hooks,
  });
  return run.run();
}
