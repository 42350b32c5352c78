/**
 * Benchmark of the reader pool (issue 4).
 * Run: npx tsx --expose-gc scripts/bench-pool.ts [--db FILE] [--corpus DIR] [--workers bundled|source] [--queries N] [--rounds N]
 *
 * --db FILE        the index to search; built from --corpus (default: node_modules) if it does not exist.
 * --workers        `bundled` runs the reader threads from out/main (run `npx electron-vite build` first),
 *                  as the packaged app does; `source` (default) runs them from TypeScript through tsx.
 *
 * 1. Runs the same searches one by one on a single connection in the main thread, then through
 *    the pool with N = 1, 2, 4, 16 concurrent clients: throughput and p50/p95 latency. Every
 *    configuration starts with fresh connections, so none profits from another's query cache.
 * 2. Measures the RSS each added reader connection costs (idle, then after one search each).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '../src/main/core/config/load-config';
import { openConnection } from '../src/main/core/db/open-connection';
import { ReaderPool } from '../src/main/core/db/pool';
import { percentile } from '../src/main/core/db/pool-stats';
import { readOps } from '../src/main/core/query/read-ops';
import type { ReaderOps } from '../src/main/core/query/reader-ops';
import { ensureIndexFormat } from '../src/main/core/index/schema';
import { IndexRun } from '../src/main/core/indexer/index-run';
import { IndexWriter } from '../src/main/core/indexer/index-writer';
import { silentLogger } from '../src/main/core/log/logger';
import type { SearchArgs } from '../src/main/core/search/search';
import { bundledWorkers, sourceWorkers, type WorkerLocator } from '../src/main/core/base/workers';

const root = resolve(__dirname, '..');
const argv = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const index = argv.indexOf(`--${name}`);
  return index >= 0 ? (argv[index + 1] ?? fallback) : fallback;
};
const corpus = resolve(option('corpus', join(root, 'node_modules')));
const queryCount = Number(option('queries', '240'));
const rounds = Number(option('rounds', '3'));
const workerKind = option('workers', 'source');
if (workerKind !== 'bundled' && workerKind !== 'source') {
  console.error(`bench-pool: --workers must be bundled or source, not ${workerKind}`);
  process.exit(2);
}
const bundleDir = join(root, 'out/main');
if (workerKind === 'bundled' && !existsSync(join(bundleDir, 'reader-worker.js'))) {
  console.error(`bench-pool: ${join(bundleDir, 'reader-worker.js')} is missing: run npx electron-vite build first`);
  process.exit(2);
}
const workers: WorkerLocator = workerKind === 'bundled' ? bundledWorkers(bundleDir) : sourceWorkers(join(root, 'src/main/core'));
const tempDir = mkdtempSync(join(tmpdir(), 'gitbot-bench-pool-'));
const dbPath = resolve(option('db', join(tempDir, 'index.sqlite')));

function mb(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}

function buildIndex(): void {
  if (existsSync(dbPath)) {
    console.log(`Using the index ${dbPath}`);
    return;
  }
  const config = loadConfig({ env: {} }).values;
  const db = openConnection(dbPath, { mode: 'writer' });
  ensureIndexFormat(db);
  db.pragma('wal_autocheckpoint = 8192');
  const started = performance.now();
  const run = new IndexRun(
    new IndexWriter(db),
    corpus,
    { maxFileSize: config.MAX_FILE_SIZE, maxContentLength: config.MAX_CONTENT_LENGTH, maxDocumentsPerBatch: config.MAX_DOCUMENTS_PER_BATCH, chunkSize: config.CHUNK_SIZE },
    new Set([dbPath, `${dbPath}-wal`, `${dbPath}-shm`]),
    { cancelled: () => false, memoryPressure: () => false, onProgress: () => {} },
  );
  const { summary } = run.run();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  console.log(`Indexed ${corpus}: ${summary.files_indexed} files, ${mb(summary.bytes_indexed)} MB, ${summary.documents} documents in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** Distinct identifiers taken from the index itself, so every search finds something. */
function pickQueries(): SearchArgs[] {
  const db = openConnection(dbPath, { mode: 'reader' });
  const words = new Set<string>();
  const rows = db.prepare('SELECT content FROM documents WHERE id % 97 = 0 LIMIT 400').pluck().all() as string[];
  db.close();
  for (const content of rows) {
    for (const match of content.matchAll(/\b[A-Za-z_][A-Za-z0-9_]{5,24}\b/g)) {
      words.add(match[0]);
    }
  }
  const all = [...words];
  const step = Math.max(1, Math.floor(all.length / queryCount));
  const queries: SearchArgs[] = [];
  for (let index = 0; queries.length < queryCount && index < all.length; index += step) {
    const word = all[index] as string;
    queries.push(queries.length % 3 === 2 ? { query: word, mode: 'words', ignoreCase: true } : { query: word, mode: 'literal' });
  }
  return queries;
}

interface Figures {
  readonly label: string;
  readonly queriesPerSecond: number;
  readonly p50: number;
  readonly p95: number;
}

function figures(label: string, latencies: number[], wallMs: number): Figures {
  return { label, queriesPerSecond: (latencies.length / wallMs) * 1000, p50: percentile(latencies, 50), p95: percentile(latencies, 95) };
}

function singleConnection(queries: readonly SearchArgs[]): Figures {
  const db = openConnection(dbPath, { mode: 'reader' });
  readOps.search(db, { query: 'warm-up search', mode: 'literal' });
  const latencies: number[] = [];
  const started = performance.now();
  for (const args of queries) {
    const before = performance.now();
    readOps.search(db, args);
    latencies.push(performance.now() - before);
  }
  const wall = performance.now() - started;
  db.close();
  return figures('single connection, main thread, one by one', latencies, wall);
}

function createPool(prePing: boolean): ReaderPool<ReaderOps> {
  const settings = loadConfig({ env: {}, overrides: { DATABASE_POOL_PRE_PING: String(prePing) } }).values;
  return new ReaderPool<ReaderOps>({ dbPath, settings, workers, logger: silentLogger });
}

async function throughPool(queries: readonly SearchArgs[], clients: number, prePing: boolean): Promise<Figures> {
  const pool = createPool(prePing);
  // Open the connections and let each load the index snapshot with a search outside the list:
  // thread start-up and the first search of a connection are not what this measures.
  const leases = await Promise.all(Array.from({ length: clients }, () => pool.acquire('warm-up')));
  await Promise.all(leases.map((lease) => lease.run('search', { query: 'warm-up search', mode: 'literal' })));
  for (const lease of leases) {
    lease.release();
  }
  const latencies: number[] = [];
  let next = 0;
  const client = async (): Promise<void> => {
    while (next < queries.length) {
      const args = queries[next++] as SearchArgs;
      const before = performance.now();
      await pool.run('search', args);
      latencies.push(performance.now() - before);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: clients }, client));
  const wall = performance.now() - started;
  await pool.dispose();
  return figures(`pool, ${clients} concurrent${prePing ? '' : ', no pre-ping'}`, latencies, wall);
}

async function settle(): Promise<number> {
  for (let round = 0; round < 3; round++) {
    global.gc?.();
    await new Promise((resolveWait) => setTimeout(resolveWait, 200));
  }
  return process.memoryUsage().rss;
}

async function memoryPerReader(queries: readonly SearchArgs[], readers: number): Promise<{ idle: number; afterSearch: number }> {
  const pool = createPool(true);
  const base = await settle();
  const leases = await Promise.all(Array.from({ length: readers }, () => pool.acquire('memory')));
  const idle = await settle();
  await Promise.all(leases.map((lease, index) => lease.run('search', queries[index % queries.length] as SearchArgs)));
  const afterSearch = await settle();
  for (const lease of leases) {
    lease.release();
  }
  await pool.dispose();
  return { idle: (idle - base) / readers, afterSearch: (afterSearch - base) / readers };
}

async function main(): Promise<void> {
  console.log(
    `Load average at start: ${loadavg()
      .map((value) => value.toFixed(2))
      .join(', ')} on ${availableParallelism()} cores; ${workerKind} reader workers`,
  );
  buildIndex();
  const queries = pickQueries();
  console.log(`${queries.length} distinct searches (2/3 literal, 1/3 words ignoring case), first page of 100 lines each`);
  singleConnection(queries); // warms the OS page cache so every configuration reads from memory

  // Each configuration runs `rounds` times, interleaved, and reports its median round, so a
  // burst of load from elsewhere on the machine does not decide a row.
  const configurations: (() => Promise<Figures>)[] = [
    async () => singleConnection(queries),
    ...[1, 2, 4, 16].map((clients) => () => throughPool(queries, clients, true)),
    () => throughPool(queries, 1, false),
    () => throughPool(queries, 4, false),
  ];
  const runs: Figures[][] = configurations.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (const [index, configuration] of configurations.entries()) {
      runs[index]?.push(await configuration());
    }
  }
  const results = runs.map((list) => [...list].sort((a, b) => a.queriesPerSecond - b.queriesPerSecond)[Math.floor(list.length / 2)] as Figures);

  console.log('\n| Configuration | Searches/s | p50 ms | p95 ms |\n| --- | ---: | ---: | ---: |');
  for (const result of results) {
    console.log(`| ${result.label} | ${result.queriesPerSecond.toFixed(0)} | ${result.p50.toFixed(2)} | ${result.p95.toFixed(2)} |`);
  }

  const readers = 8;
  const memory = await memoryPerReader(queries, readers);
  console.log(`\nRSS per reader connection (${readers} readers, ${workerKind} workers): ${mb(memory.idle)} MB idle, ${mb(memory.afterSearch)} MB after one search each`);
  console.log(
    `Load average at end: ${loadavg()
      .map((value) => value.toFixed(2))
      .join(', ')}`,
  );
  rmSync(tempDir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
