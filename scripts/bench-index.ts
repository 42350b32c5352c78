/**
 * Indexing and search benchmark. Usage:
 *   node --require tsx/cjs scripts/bench-index.ts CORPUS_DIR [DB_FILE]
 * Prints the raw read speed of the tree, our index build (MB/s of indexed text, peak RSS of
 * the whole process, database size), then per query our in-process latency (median of
 * repeats, first page and full, cache cleared) next to rg's whole-process time and both hit
 * counts. Build a corpus with: bash ../shared/bench/make-corpus.sh /tmp/corpus-small small
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openConnection } from '../src/main/core/db/open-connection';
import { readOps } from '../src/main/core/db/read-ops';
import { EventHub } from '../src/main/core/events';
import { Indexer } from '../src/main/core/indexer/indexer';
import { silentLogger } from '../src/main/core/log/logger';
import { clearSearchCache } from '../src/main/core/search/search';
import { TaskManager } from '../src/main/core/tasks/task-manager';
import { sourceWorkers } from '../src/main/core/workers';
import type { IndexDone } from '../src/shared/types';

const corpus = process.argv[2];
if (corpus === undefined) {
  throw new Error('usage: bench-index.ts CORPUS_DIR [DB_FILE]');
}
const MIB = 1024 * 1024;
const workDir = mkdtempSync(join(tmpdir(), 'gitbot-bench-'));
const dbPath = process.argv[3] ?? join(workDir, 'index.sqlite');

function rawRead(dir: string): { bytes: number; seconds: number } {
  const started = performance.now();
  let bytes = 0;
  const stack = [dir];
  while (stack.length > 0) {
    const folder = stack.pop() as string;
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.name === '.git') continue;
      if (entry.isDirectory()) stack.push(path);
      else if (entry.isFile() && statSync(path).size <= MIB) bytes += readFileSync(path).length;
    }
  }
  return { bytes, seconds: (performance.now() - started) / 1000 };
}

async function buildIndex(): Promise<{ done: IndexDone; seconds: number; peakRss: number }> {
  const events = new EventHub();
  const tasks = new TaskManager({ logger: silentLogger });
  const indexer = new Indexer({
    dbPath,
    config: { MAX_FILE_SIZE: MIB, MAX_CONTENT_LENGTH: 50_000, MAX_DOCUMENTS_PER_BATCH: 100, CHUNK_SIZE: 8192, MEMORY_THRESHOLD_MB: 100 },
    tasks,
    events,
    logger: silentLogger,
    workers: sourceWorkers(join(__dirname, '../src/main/core')),
  });
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 20);
  const started = performance.now();
  const done = await new Promise<IndexDone>((resolve) => {
    events.subscribe((event, payload) => {
      if (event === 'indexDone') resolve(payload as IndexDone);
    });
    indexer.start(corpus as string);
  });
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  await indexer.dispose();
  return { done, seconds, peakRss };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function rg(query: { query: string; mode: string; ignoreCase: boolean }): { ms: number; hits: number } {
  const args = ['--no-config', '--hidden', '--max-filesize', '1M', '-g', '!.git', '--count-matches', '--no-filename'];
  // rg counts matches; we count lines, so ask for lines (-c) instead.
  args.splice(args.indexOf('--count-matches'), 1, '-c');
  if (query.mode === 'literal') args.push('-F');
  if (query.ignoreCase) args.push('-i');
  args.push('-e', query.query, '.');
  const started = performance.now();
  const result = spawnSync('rg', args, { cwd: corpus, encoding: 'utf8', maxBuffer: 64 * MIB });
  const ms = performance.now() - started;
  const hits = result.stdout.split('\n').filter(Boolean).reduce((sum, line) => sum + Number(line), 0);
  return { ms, hits };
}

async function main(): Promise<void> {
  const raw = rawRead(corpus as string);
  console.log(`raw read (Node walk + read, files <= 1 MiB): ${(raw.bytes / MIB).toFixed(1)} MB in ${raw.seconds.toFixed(2)} s = ${(raw.bytes / MIB / raw.seconds).toFixed(1)} MB/s`);
  const { done, seconds, peakRss } = await buildIndex();
  const size = ['', '-wal'].reduce((sum, suffix) => {
    try {
      return sum + statSync(dbPath + suffix).size;
    } catch {
      return sum;
    }
  }, 0);
  console.log(`index: ${done.status}, ${(done.summary.bytes_indexed / MIB).toFixed(1)} MB of text in ${seconds.toFixed(2)} s = ${(done.summary.bytes_indexed / MIB / seconds).toFixed(1)} MB/s; peak RSS ${(peakRss / MIB).toFixed(0)} MB; db ${(size / MIB).toFixed(1)} MB`);
  console.log(`summary: ${JSON.stringify(done.summary)}`);
  const db = openConnection(dbPath, { mode: 'reader' });
  const queries = [
    { name: 'literal', query: 'function', mode: 'literal' as const, ignoreCase: false },
    { name: 'rare literal', query: 'createElementNS', mode: 'literal' as const, ignoreCase: false },
    { name: 'common word', query: 'return', mode: 'literal' as const, ignoreCase: false },
    { name: 'regex', query: 'use[A-Z]\\w+State', mode: 'regex' as const, ignoreCase: false },
    { name: 'regex no literal', query: '\\d{5}[a-f]', mode: 'regex' as const, ignoreCase: false },
    { name: 'case-insensitive', query: 'REACT', mode: 'literal' as const, ignoreCase: true },
    { name: 'no hit', query: 'zqxjkvbwpy', mode: 'literal' as const, ignoreCase: false },
  ];
  console.log('query | first page ms | full ms | our hits | rg ms | rg hits');
  for (const query of queries) {
    const first: number[] = [];
    const full: number[] = [];
    let hits = 0;
    for (let repeat = 0; repeat < 5; repeat += 1) {
      clearSearchCache(db);
      let started = performance.now();
      readOps.search(db, { ...query, limit: 100 });
      first.push(performance.now() - started);
      clearSearchCache(db);
      started = performance.now();
      hits = readOps.search(db, { ...query, limit: 0 }).total ?? -1;
      full.push(performance.now() - started);
    }
    const theirs = rg(query);
    console.log(`${query.name} "${query.query}" | ${median(first).toFixed(1)} | ${median(full).toFixed(1)} | ${hits} | ${theirs.ms.toFixed(0)} | ${theirs.hits}`);
  }
  db.close();
  if (process.argv[3] === undefined) rmSync(workDir, { recursive: true, force: true });
}

void main();
