/**
 * The in-process half of the indexing and search benchmark; `npm run bench` (scripts/bench.mjs)
 * runs each step in a fresh process and prints the tables. Steps, each printing one JSON line:
 *   build CORPUS DB [--workers N] [--source] [--cpu-prof DIR]
 *                                              index CORPUS into DB; time, MB/s, peak RSS (VmHWM);
 *                                              --cpu-prof writes a V8 CPU profile of every indexer thread to DIR
 *   queries DB [--repeats N]                   in-process latency of the query set (median)
 *   incremental CORPUS DB [--runs N] [--touch F]
 *                                              touch a fraction F of the files, re-index, time a
 *                                              query, N times: re-index time and query latency
 * Workers run from the bundle (out/main) unless --source is given (tsx costs about 20%).
 * Run: node --require tsx/cjs scripts/bench-index.ts STEP ARGS
 */
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openConnection } from '../src/main/core/db/open-connection';
import type { ReadonlyDatabase } from '../src/main/core/base/database-types';
import { readOps } from '../src/main/core/query/read-ops';
import { EventHub } from '../src/main/core/base/events';
import { Indexer } from '../src/main/core/indexer/indexer';
import type { Logger } from '../src/main/core/log/logger';
import { silentLogger } from '../src/main/core/log/logger';
import type { SearchArgs } from '../src/main/core/search/search';
import { clearSearchCache } from '../src/main/core/search/search';
import { TaskManager } from '../src/main/core/tasks/task-manager';
import { bundledWorkers, sourceWorkers, type WorkerLocator } from '../src/main/core/base/workers';
import type { IndexDone } from '../src/shared/types';

const MIB = 1024 * 1024;
const [step, ...rest] = process.argv.slice(2);
const positional = rest.filter((value, index) => !value.startsWith('--') && !(rest[index - 1] ?? '').startsWith('--'));
const option = (name: string, fallback: string): string => {
  const index = rest.indexOf(`--${name}`);
  return index >= 0 ? (rest[index + 1] ?? fallback) : fallback;
};
const root = resolve(__dirname, '..');

/** The query set; bench.mjs runs the same ones, in the same order, through the CLI and rg. */
export const QUERIES: readonly (SearchArgs & { readonly name: string })[] = JSON.parse(readFileSync(join(root, 'scripts', 'bench-queries.json'), 'utf8'));

/** Peak resident set of this whole process (every thread) so far, from the kernel. */
function peakRss(): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return match === null ? process.resourceUsage().maxRSS * 1024 : Number(match[1]) * 1024;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** The locator, with --cpu-prof added to each thread's flags when profiling was asked for. */
function profiled(locator: WorkerLocator): WorkerLocator {
  const dir = option('cpu-prof', '');
  if (dir === '') {
    return locator;
  }
  return (name) => {
    const entry = locator(name);
    return { ...entry, execArgv: [...entry.execArgv, '--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-name', `${name}-${process.pid}-${Date.now()}.cpuprofile`] };
  };
}

async function index(corpus: string, dbPath: string, workers: number): Promise<{ done: IndexDone; seconds: number; log: string[] }> {
  const events = new EventHub();
  const tasks = new TaskManager({ logger: silentLogger });
  const log: string[] = [];
  const logger: Logger = { ...silentLogger, info: (message) => log.push(message), warn: (message) => log.push(message) };
  const indexer = new Indexer({
    dbPath,
    config: { MAX_FILE_SIZE: MIB, MAX_CONTENT_LENGTH: 50_000, MAX_DOCUMENTS_PER_BATCH: 100, CHUNK_SIZE: 8192, MEMORY_THRESHOLD_MB: 100, GITBOT_INDEX_WORKERS: workers },
    tasks,
    events,
    logger,
    workers: profiled(rest.includes('--source') ? sourceWorkers(join(root, 'src/main/core')) : bundledWorkers(join(root, 'out/main'))),
  });
  const started = performance.now();
  const done = await new Promise<IndexDone>((resolveDone) => {
    events.subscribe((event, payload) => {
      if (event === 'indexDone') {
        resolveDone(payload as IndexDone);
      }
    });
    indexer.start(corpus);
  });
  const seconds = (performance.now() - started) / 1000;
  await indexer.dispose();
  return { done, seconds, log };
}

function databaseBytes(dbPath: string): number {
  return ['', '-wal'].reduce((sum, suffix) => {
    try {
      return sum + statSync(dbPath + suffix).size;
    } catch {
      return sum;
    }
  }, 0);
}

/** Median in-process latency of one query: first page (100) and all hits, cache cleared. */
function time(db: ReadonlyDatabase, query: SearchArgs, repeats: number): { firstMs: number; fullMs: number; hits: number } {
  const first: number[] = [];
  const full: number[] = [];
  let hits = 0;
  for (let repeat = 0; repeat < repeats; repeat += 1) {
    clearSearchCache(db);
    let started = performance.now();
    readOps.search(db, { ...query, limit: 100 });
    first.push(performance.now() - started);
    clearSearchCache(db);
    started = performance.now();
    hits = readOps.countMatches(db, query).matches;
    full.push(performance.now() - started);
  }
  return { firstMs: median(first), fullMs: median(full), hits };
}

/** Every file path of the corpus that the index would read (no ignore files in the corpus). */
function listFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === '.git') {
      continue;
    }
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      listFiles(path, out);
    } else if (entry.isFile() && statSync(path).size <= MIB) {
      out.push(path);
    }
  }
  return out;
}

async function main(): Promise<void> {
  const workers = Number(option('workers', '0'));
  if (step === 'build') {
    const [corpus, dbPath] = positional as [string, string];
    const { done, seconds, log } = await index(corpus, dbPath, workers);
    const mbPerSec = done.summary.bytes_indexed / MIB / seconds;
    const peak = peakRss();
    const db = openConnection(dbPath, { mode: 'reader' });
    const segments = db.prepare('SELECT count(*) FROM segments').pluck().get() as number;
    db.close();
    console.log(JSON.stringify({ step, status: done.status, seconds, mbPerSec, peakRss: peak, dbBytes: databaseBytes(dbPath), segments, summary: done.summary, log }));
  } else if (step === 'queries') {
    const [dbPath] = positional as [string];
    const db = openConnection(dbPath, { mode: 'reader' });
    const repeats = Number(option('repeats', '5'));
    const results = QUERIES.map((query) => ({ name: query.name, query: query.query, mode: query.mode, ignoreCase: query.ignoreCase === true, ...time(db, query, repeats) }));
    const segments = db.prepare('SELECT count(*) FROM segments').pluck().get() as number;
    db.close();
    console.log(JSON.stringify({ step, segments, results }));
  } else if (step === 'incremental') {
    const [corpus, dbPath] = positional as [string, string];
    const runs = Number(option('runs', '10'));
    const fraction = Number(option('touch', '0.01'));
    const files = listFiles(corpus);
    const out: unknown[] = [];
    for (let run = 0; run < runs; run += 1) {
      // A different 1% each run, changed in content (an appended comment line) and mtime.
      // --touch 0: nothing changed, the cost of a re-index that only compares sizes and mtimes.
      const touched = fraction === 0 ? [] : files.filter((_, position) => position % Math.round(1 / fraction) === run % Math.round(1 / fraction));
      for (const file of touched) {
        writeFileSync(file, `${readFileSync(file, 'utf8')}\n// touched by bench run ${run}\n`);
      }
      const { done, seconds, log } = await index(corpus, dbPath, workers);
      const db = openConnection(dbPath, { mode: 'reader' });
      const literal = time(db, QUERIES[0] as SearchArgs, 3);
      const rare = time(db, QUERIES[1] as SearchArgs, 3);
      const segments = db.prepare('SELECT count(*) FROM segments').pluck().get() as number;
      db.close();
      out.push({
        run: run + 1,
        touched: touched.length,
        seconds,
        indexed: done.summary.files_indexed,
        unchanged: done.summary.files_unchanged,
        segments,
        literalFirstMs: literal.firstMs,
        literalFullMs: literal.fullMs,
        rareMs: rare.fullMs,
        log: log.filter((line) => line.includes('merge')),
      });
    }
    console.log(JSON.stringify({ step, runs: out, peakRss: peakRss() }));
  } else {
    throw new Error('usage: bench-index.ts build CORPUS DB | queries DB | incremental CORPUS DB [--runs N] [--touch F] [--workers N] [--source]');
  }
}

void main();
