/**
 * Run as its own process by reader-memory.test.ts (RSS is a process figure): fills a reader's
 * SQLite page cache with pages of a 24 MiB table, then runs the reader's cleanup keeping the same
 * cache_size, so only `PRAGMA shrink_memory` can empty it, and prints the anonymous RSS
 * before and after (each after malloc_trim, so freed pages show) as JSON.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openConnection } from '../db/open-connection';
import { trimMalloc } from '../monitor/malloc-trim';
import { releaseReaderMemory } from './reader-memory';

function anonymousRss(): number {
  return Number(/^RssAnon:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) * 1024;
}

const folder = mkdtempSync(join(tmpdir(), 'gitbot-shrink-memory-'));
try {
  const path = join(folder, 'pages.sqlite');
  const writer = openConnection(path, { mode: 'writer' });
  writer.exec('CREATE TABLE pages (body BLOB); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) INSERT INTO pages SELECT randomblob(8000) FROM n;');
  writer.close();
  const cacheKib = 64 * 1024;
  const reader = openConnection(path, { mode: 'reader', cacheKib });
  // Reads every page into the cache (64 MiB: nothing is evicted).
  reader.prepare('SELECT sum(length(body)) FROM pages').pluck().get();
  trimMalloc();
  const before = anonymousRss();
  releaseReaderMemory(reader, { cacheKib });
  trimMalloc();
  const after = anonymousRss();
  reader.close();
  process.stdout.write(JSON.stringify({ before, after }));
} finally {
  rmSync(folder, { recursive: true, force: true });
}
