import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { openConnection } from '../../src/main/core/db/open-connection';
import type { WritableDatabase } from '../../src/main/core/base/database-types';
import { ensureIndexFormat } from '../../src/main/core/index/schema';
import { IndexRun, type RunHooks, type RunResult, type RunSettings } from '../../src/main/core/indexer/index-run';
import { IndexWriter } from '../../src/main/core/indexer/index-writer';
import { makeTempDir } from './make-repo';

export const defaultSettings: RunSettings = { maxFileSize: 1024 * 1024, maxContentLength: 50_000, maxDocumentsPerBatch: 100, chunkSize: 8192 };

/** Opens (creating and migrating) a writer connection, as the indexer worker does. */
export function openWriter(dbPath: string): WritableDatabase {
  const db = openConnection(dbPath, { mode: 'writer' });
  ensureIndexFormat(db);
  return db;
}

/** Runs one indexing run in this thread (the worker's code without the thread). */
export function indexInProcess(db: WritableDatabase, root: string, settings: Partial<RunSettings> = {}, hooks: Partial<RunHooks> = {}): RunResult {
  const run = new IndexRun(new IndexWriter(db), root, { ...defaultSettings, ...settings }, new Set(), {
    cancelled: () => false,
    memoryPressure: () => false,
    onProgress: () => undefined,
    ...hooks,
  });
  return run.run();
}

/** A repository written into a temp folder, indexed in process, and a reader on its index. */
export interface IndexedFixture {
  /** The repository's real path, as the index stores it. */
  readonly root: string;
  readonly reader: BetterSqlite3.Database;
  /** The temp folder holding the repository and the index. */
  readonly folder: string;
  close(): void;
}

/**
 * Writes a repository with `write(repoPath, folder)` (the folder may hold things outside it),
 * indexes it with `settings` and opens a reader: the set-up of the search tests.
 */
export function indexedFixture(write: (repoPath: string, folder: string) => void, settings: Partial<RunSettings>): IndexedFixture {
  const temp = makeTempDir();
  write(join(temp.path, 'repo'), temp.path);
  const root = realpathSync(join(temp.path, 'repo'));
  const dbPath = join(temp.path, 'index.sqlite');
  const writer = openWriter(dbPath);
  indexInProcess(writer, root, settings);
  const reader = openConnection(dbPath, { mode: 'reader' });
  return {
    root,
    reader,
    folder: temp.path,
    close() {
      reader.close();
      writer.close();
      temp.remove();
    },
  };
}
