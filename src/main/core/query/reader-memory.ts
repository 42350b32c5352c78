import type BetterSqlite3 from 'better-sqlite3';
import { getHeapStatistics } from 'node:v8';
import { collectWorkerGarbage } from '../monitor/gc';
import { forgetSnapshot } from '../search/index-snapshot';
import { clearSearchCache } from '../search/search';
import type { ReleaseMemoryArgs, ReleasedMemory } from '../db/reader-protocol';

type Database = BetterSqlite3.Database;

/**
 * A reader's part of the memory cleanup, run in its own thread: drops the query cache and the
 * index snapshot, shrinks SQLite's page cache and returns its free pages (`PRAGMA
 * shrink_memory`), then collects the thread's heap. The next search rebuilds what it needs.
 */
export function releaseReaderMemory(db: Database, args: ReleaseMemoryArgs): ReleasedMemory {
  const heapBefore = getHeapStatistics().used_heap_size;
  clearSearchCache(db);
  forgetSnapshot(db);
  db.pragma(`cache_size = -${Math.max(1, Math.round(args.cacheKib))}`);
  db.pragma('shrink_memory');
  collectWorkerGarbage();
  return { heapBefore, heapAfter: getHeapStatistics().used_heap_size };
}
