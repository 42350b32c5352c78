/**
 * The memory-leak suite (the seed's tests/test_memory_leaks.py, for this app). It runs in
 * its own vitest project with --expose-gc, because every figure here is the heap after a
 * full collection: what is still alive, not what the collector has yet to reach.
 */
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PoolStatus } from '../src/shared/health';
import type { RequestArg } from '../src/shared/contract';
import type { IndexDone, SearchPage } from '../src/shared/types';
import { streamFile } from '../src/main/core/indexer/file-reader';
import { silentLogger } from '../src/main/core/log/logger';
import { linearFit } from '../src/main/core/monitor/leak-detector';
import { startLoopbackServer } from '../src/main/core/server/loopback-server';
import { TaskManager } from '../src/main/core/tasks/task-manager';
import { nextEvent, valueOf } from './helpers/core-api';
import { createTestCore, type TestCore } from './helpers/test-core';

const MIB = 1024 * 1024;
const gc = globalThis.gc;

/** The live heap: two full collections, so objects freed by finalizers of the first are gone too. */
function liveHeap(): number {
  if (gc === undefined) throw new Error('The memory-leak suite must run with --expose-gc (vitest project "leaks")');
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** OS threads of this process (Linux): a leaked worker thread shows here even when unref'd. */
function threadCount(): number {
  return readdirSync('/proc/self/task').length;
}

/** Active handles and requests by type, e.g. { Timeout: 2 }. */
function activeResources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

/** Handles and requests of each type beyond what `before` had: what was opened and not closed. */
function newResources(before: Record<string, number>): Record<string, number> {
  const extra: Record<string, number> = {};
  for (const [type, count] of Object.entries(activeResources())) {
    if (count > (before[type] ?? 0)) extra[type] = count - (before[type] ?? 0);
  }
  return extra;
}

const settle = () => new Promise((resolve) => setImmediate(resolve));
/**
 * What each reader thread opened beyond the baseline's one may add to the process's RSS while
 * searches keep it busy: its V8 heap (capped at 50 MB, 15-21 MB measured here), its SQLite page
 * cache (16 MB at most) and what its allocations leave in malloc's arenas. Measured: 132 MB for
 * 4 readers when the suite runs alone, 165 MB on a loaded CI machine, where concurrent marking
 * falls behind and heaps grow further before a collection. A reader that materialised a listing
 * or kept its cache past the budget would go well over.
 */
const RSS_PER_OPENED_READER = 50 * MIB;
/** The searches a round sends at once, so the readers the pool may open. */
const CONCURRENT_SEARCHES = 5;
/**
 * What an idle core may keep over its warmed-up baseline once the readers beyond one have closed
 * and a cleanup ran. Their V8 heaps end with them; what they freed into glibc's malloc arenas
 * (SQLite pages, posting Buffers, message buffers) stayed resident below live allocations until
 * the cleanup ended with malloc_trim (monitor/malloc-trim.ts). Measured since: 10 and 26 MB over
 * a baseline that is itself trimmed (23 MB over an untrimmed one without the lever, so the
 * cleanup's own drop is asserted too); the rest is main's V8 heap not yet shrunk and the kept reader.
 */
const RSS_IDLE_BOUND = 40 * MIB;
const mb = (bytes: number) => Math.round((bytes / MIB) * 100) / 100;

let scratch: string;
beforeAll(() => {
  expect(typeof gc).toBe('function');
  scratch = mkdtempSync(join(tmpdir(), 'gitbot-leaks-'));
});
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe('background tasks', () => {
  it('starts and cancels 100 tasks, five times over, and the heap returns to where it was', async () => {
    const tasks = new TaskManager({ logger: silentLogger, historyLimit: 100 });
    /** One round; the handles die with it, as they do in the app once the caller is done. */
    async function round(index: number, baseline: number): Promise<void> {
      const handles = Array.from({ length: 100 }, (_, i) =>
        tasks.run('leak-check', { round: index, i }, ({ signal }) => {
          // 256 KiB held by each task while it runs: 25 MiB for the hundred.
          const held = new Array<number>(32 * 1024).fill(i + 0.5);
          return new Promise<number>((_, reject) => signal.addEventListener('abort', () => reject(new Error(`stopped ${held.length}`)), { once: true }));
        }),
      );
      await settle();
      expect(tasks.counts().active).toBe(100);
      // The measurement can see what the tasks hold.
      expect(liveHeap() - baseline).toBeGreaterThan(20 * MIB);
      for (const handle of handles) expect(tasks.cancel(handle.id)).toBe(true);
      await Promise.allSettled(handles.map((handle) => handle.done));
      await settle();
    }
    const baseline = liveHeap();
    const afterRounds: number[] = [];
    for (let index = 0; index < 5; index += 1) {
      await round(index, baseline);
      const counts = tasks.counts();
      expect(counts.active).toBe(0);
      expect(counts.cancelled).toBe(index === 0 ? 100 : 200);
      // History stays bounded: cleanup prunes the previous round's records.
      expect(tasks.cleanup()).toBe(index === 0 ? 0 : 100);
      expect(tasks.list()).toHaveLength(100);
      afterRounds.push(liveHeap());
    }
    const growth = afterRounds.at(-1)! - baseline;
    console.info(`[leaks] 100 tasks x5: baseline ${mb(baseline)} MB, after each round ${afterRounds.map(mb).join(', ')} MB`);
    expect(growth).toBeLessThan(2 * MIB);
  });

  it('shutdown with stuck tasks ends within its timeout and leaves no timer behind', async () => {
    const resourcesBefore = activeResources();
    const testCore = createTestCore({ SHUTDOWN_TIMEOUT: '1', STATS_INTERVAL_MS: '100' }, { logToFile: false });
    const { tasks } = testCore.core;
    const deaf = Array.from({ length: 10 }, () => tasks.run('deaf', {}, () => new Promise(() => {})));
    const polite = Array.from({ length: 10 }, () => tasks.run('polite', {}, ({ signal }) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error)))));
    await settle();
    expect(tasks.counts().active).toBe(20);
    const started = performance.now();
    await testCore.close();
    const elapsed = performance.now() - started;
    console.info(`[leaks] shutdown with 10 stuck tasks took ${Math.round(elapsed)} ms (timeout 1000 ms)`);
    expect(elapsed).toBeGreaterThanOrEqual(990);
    expect(elapsed).toBeLessThan(1500);
    expect(deaf.map((handle) => tasks.get(handle.id)?.error)).toEqual(Array(10).fill('Forced: did not stop within 1000 ms of shutdown'));
    expect(polite.map((handle) => tasks.get(handle.id)?.error)).toEqual(Array(10).fill('Shutting down'));
    expect(tasks.counts()).toMatchObject({ active: 0, cancelled: 20 });
    await settle();
    expect(newResources(resourcesBefore)).toEqual({});
  });
});

describe('large-file streaming', () => {
  it('reads a file 8192 times the chunk size with the heap bounded by the chunk, not the file', () => {
    const chunkSize = 8 * 1024;
    const path = join(scratch, 'large.txt');
    const line = `${'the quick brown fox jumps over the lazy dog '.repeat(2)}\n`;
    const block = Buffer.from(line.repeat(Math.ceil(MIB / line.length)).slice(0, MIB));
    const fd = openSync(path, 'w');
    for (let i = 0; i < 64; i += 1) writeSync(fd, block);
    closeSync(fd);
    const { size, mtimeMs } = statSync(path);
    expect(size).toBe(64 * MIB);

    const baseline = liveHeap();
    let peak = 0;
    let characters = 0;
    let chunks = 0;
    const buffer = Buffer.allocUnsafe(chunkSize);
    const outcome = streamFile(path, { size, mtimeMs: Math.trunc(mtimeMs) }, chunkSize, buffer, (text) => {
      characters += text.length;
      chunks += 1;
      if (chunks % 64 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed - baseline);
    });
    const after = liveHeap() - baseline;
    console.info(`[leaks] streamed ${mb(size)} MB in ${chunks} chunks: peak heap +${mb(peak)} MB, after GC +${mb(after)} MB`);
    expect(outcome).toEqual({ ok: true });
    expect(characters).toBe(size);
    expect(chunks).toBeGreaterThanOrEqual(size / chunkSize);
    // Holding the text would take 64 MiB; garbage the scavenger has yet to reach (the young
    // generation, 16 MiB semi-spaces) stays well under half of that.
    expect(peak).toBeLessThan(32 * MIB);
    expect(after).toBeLessThan(1 * MIB);
  });
});

describe('indexing', () => {
  /** A repository of `files` text files in nested folders, one binary and one file over MAX_FILE_SIZE. */
  function generateRepository(root: string, files: number): string[] {
    const paths: string[] = [];
    for (let i = 0; i < files; i += 1) {
      const folder = join(root, 'src', `module${i % 12}`, `part${i % 5}`);
      mkdirSync(folder, { recursive: true });
      const path = join(folder, `file${i}.ts`);
      writeFileSync(path, sourceText(i, 0));
      paths.push(path);
    }
    writeFileSync(join(root, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0, 1, 2, 3]));
    writeFileSync(join(root, 'huge.log'), 'x'.repeat(2 * MIB));
    return paths;
  }

  function sourceText(file: number, version: number): string {
    const lines: string[] = [];
    for (let line = 0; line < 60 + (file % 40); line += 1) {
      lines.push(`export const value_${file}_${line} = computeSomething(${line * version}, "identifier_${file % 97}_${version}");`);
    }
    return `${lines.join('\n')}\n`;
  }

  async function indexOnce(testCore: TestCore, repo: string): Promise<IndexDone> {
    const done = nextEvent(testCore.core.api, 'indexDone');
    const started = await testCore.core.api.startIndexing({ path: repo });
    if (!started.ok) throw new Error(`startIndexing failed: ${started.error.message}`);
    const result = await done;
    expect(result.taskId).toBe(started.value.taskId);
    return result;
  }

  it('indexes a generated repository 20 times in one process: post-GC heap bounded, no task, connection, thread or handle left', async () => {
    const repo = join(scratch, 'repo');
    const files = 300;
    const paths = generateRepository(repo, files);
    const testCore = createTestCore({}, { logToFile: false });
    try {
      const first = await indexOnce(testCore, repo);
      expect(first.status).toBe('completed');
      expect(first.summary.files_indexed).toBe(files);
      expect(first.summary.files_skipped).toMatchObject({ binary: 1, too_large: 1 });
      // A second warm-up run, so statement caches and lazily started threads exist before the baseline.
      await indexOnce(testCore, repo);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const baseline = liveHeap();
      const baselineThreads = threadCount();
      const baselineResources = activeResources();
      const heaps: { time: number; heap: number }[] = [];
      const changedPerRun = 30;
      for (let run = 1; run <= 20; run += 1) {
        // Each run has real work: rewrite a tenth of the files with new content.
        for (let k = 0; k < changedPerRun; k += 1) {
          const index = (run * changedPerRun + k) % files;
          writeFileSync(paths[index]!, sourceText(index, run));
        }
        const result = await indexOnce(testCore, repo);
        expect(result.status).toBe('completed');
        expect(result.summary.files_indexed).toBe(changedPerRun);
        expect(result.summary.files_unchanged).toBe(files - changedPerRun);
        await new Promise((resolve) => setTimeout(resolve, 50));
        const tasks = await valueOf(testCore.core.api.listTasks({}));
        expect(tasks.filter((task) => task.status === 'running' || task.status === 'pending')).toEqual([]);
        const pool = await valueOf(testCore.core.api.getPoolStatus({}));
        expect(pool.checked_out).toBe(0);
        heaps.push({ time: run, heap: liveHeap() });
      }
      const growth = heaps.at(-1)!.heap - baseline;
      const { slope } = linearFit(heaps);
      console.info(
        `[leaks] 20 index runs of ${files} files: baseline ${mb(baseline)} MB, post-GC heap ${heaps.map((point) => mb(point.heap)).join(', ')} MB; ` +
          `growth ${mb(growth)} MB, slope ${Math.round(slope / 1024)} KB per run; threads ${baselineThreads} -> ${threadCount()}`,
      );
      expect(growth).toBeLessThan(4 * MIB);
      expect(slope).toBeLessThan(100 * 1024);
      expect(threadCount()).toBeLessThanOrEqual(baselineThreads);
      expect(newResources(baselineResources)).toEqual({});
    } finally {
      await testCore.close();
    }
  });

  it('serves 500 searches of every mode (paged, cursor, full listing, streamed listing, words) on two repositories, indexed and re-indexed, and is small again when idle: post-GC heap and RSS bounded', async () => {
    const first = join(scratch, 'use-first');
    const second = join(scratch, 'use-second');
    const firstPaths = generateRepository(first, 200);
    generateRepository(second, 120);
    // A short idle timeout, so "idle" takes a second, not half a minute.
    const testCore = createTestCore({ DATABASE_POOL_IDLE_TIMEOUT: '1' }, { logToFile: false });
    const { core } = testCore;
    const search = async (arg: RequestArg<'search'>): Promise<SearchPage> => {
      const result = await core.api.search(arg);
      if (!result.ok) throw new Error(`search ${JSON.stringify(arg)}: ${result.error.message}`);
      return result.value;
    };
    /** Every page of a query, through the cursors. */
    const listing = async (arg: RequestArg<'search'>): Promise<number> => {
      let count = 0;
      let cursor: string | undefined;
      do {
        const page = await search({ ...arg, limit: 1000, ...(cursor === undefined ? {} : { cursor }) });
        count += page.matches.length;
        cursor = page.nextCursor;
      } while (cursor !== undefined);
      return count;
    };
    // The streamed listing's route, as the dashboard's clients reach it.
    const server = await startLoopbackServer({ core, port: 0 });
    /** A full listing through POST /stream/search (NDJSON), read to its end line and dropped. */
    const streamed = async (arg: RequestArg<'search'>): Promise<number> => {
      const response = await fetch(`${server.origin}/stream/search`, { method: 'POST', headers: { authorization: `Bearer ${server.token}` }, body: JSON.stringify(arg) });
      const lines = (await response.text()).trimEnd().split('\n');
      const end = JSON.parse(lines.at(-1) ?? '{}') as { done?: boolean; written?: number };
      if (end.done !== true) throw new Error(`streamed listing ${JSON.stringify(arg)}: ${lines.at(-1)}`);
      return end.written ?? 0;
    };
    const poolStatus = (): Promise<PoolStatus> => valueOf(core.api.getPoolStatus({}));
    /** One round of every mode, CONCURRENT_SEARCHES at once so the pool opens several readers. */
    async function round(index: number): Promise<number> {
      const word = `identifier_${index % 97}`;
      const requests = [
        // Paged: first page, then the page after it.
        async () => {
          const page = await search({ query: 'computeSomething', mode: 'literal', limit: 50 });
          const next = page.nextCursor === undefined ? { matches: [] } : await search({ query: 'computeSomething', mode: 'literal', limit: 50, cursor: page.nextCursor });
          return page.matches.length + next.matches.length;
        },
        async () => (await search({ query: `value_${index % 200}_\\d+`, mode: 'regex', limit: 20 })).matches.length,
        // A full listing through the cursors, and one streamed.
        async () => listing({ query: word, mode: 'literal' }),
        async () => streamed({ query: `value_${index % 50}_1\\d`, mode: 'regex' }),
        async () => (await search({ query: `${word} computeSomething`, mode: 'words', limit: 20 })).matches.length,
      ];
      expect(requests).toHaveLength(CONCURRENT_SEARCHES);
      const counts = await Promise.all(requests.map((request) => request()));
      return counts.reduce((sum, count) => sum + count, 0);
    }
    try {
      for (const repo of [first, second]) expect((await indexOnce(testCore, repo)).status).toBe('completed');
      // Warm-up: statements, snapshots and the lazily started readers exist before the baseline.
      for (let index = 0; index < 20; index += 1) await round(index);
      await core.monitor.relieve();
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const baselineHeap = liveHeap();
      const baselineRss = process.memoryUsage.rss();
      const baselineThreads = threadCount();
      let peakRss = baselineRss;
      let matches = 0;
      for (let index = 0; index < 500; index += 1) {
        matches += await round(index);
        if (index === 250) {
          // Index runs in the middle of use: a tenth of one repository changed, and the other re-checked.
          for (let k = 0; k < 20; k += 1) writeFileSync(firstPaths[k]!, sourceText(k, 1));
          expect((await indexOnce(testCore, first)).summary.files_indexed).toBe(20);
          expect((await indexOnce(testCore, second)).summary.files_unchanged).toBe(120);
        }
        if (index % 25 === 0) peakRss = Math.max(peakRss, process.memoryUsage.rss());
      }
      expect(matches).toBeGreaterThan(500 * 50);
      const busy = await poolStatus();
      expect(busy.size).toBeGreaterThan(1);
      expect(busy.size).toBeLessThanOrEqual(CONCURRENT_SEARCHES);
      // Idle: the readers beyond the first close, and a cleanup gives back what the one kept holds.
      await new Promise((resolve) => setTimeout(resolve, 2500));
      const idle = await poolStatus();
      expect(idle).toMatchObject({ size: 1, checked_out: 0 });
      expect(idle.idle_closed).toBeGreaterThanOrEqual(busy.size - 1);
      const cleanup = await core.monitor.relieve();
      const heap = liveHeap();
      const rss = process.memoryUsage.rss();
      const readers = core.monitor.watchedWorkers().filter((worker) => worker.name.startsWith('reader-worker'));
      console.info(
        `[leaks] 2500 searches (500 each of paged literal, regex, full listing, streamed listing, words), 4 index runs, idle: post-GC heap ${mb(baselineHeap)} -> ${mb(heap)} MB; ` +
          `RSS ${mb(baselineRss)} -> peak ${mb(peakRss)} -> ${mb(rss)} MB (cleanup ${mb(cleanup.rssBefore)} -> ${mb(cleanup.rssAfter)} MB); ` +
          `readers ${busy.size} busy -> ${readers.length} idle; threads ${baselineThreads} -> ${threadCount()}`,
      );
      expect(heap - baselineHeap).toBeLessThan(4 * MIB);
      expect(readers).toHaveLength(1);
      expect(threadCount()).toBeLessThanOrEqual(baselineThreads);
      // RSS: the whole process, every thread; bounded while in use and back near the baseline when idle.
      expect(peakRss - baselineRss).toBeLessThan((busy.size - 1) * RSS_PER_OPENED_READER);
      expect(rss - baselineRss).toBeLessThan(RSS_IDLE_BOUND);
      // The idle cleanup gives back what the closed readers freed (186 -> 160 and 194 -> 170 MB measured; 210 -> 210 MB without malloc_trim).
      expect(cleanup.rssBefore - cleanup.rssAfter).toBeGreaterThan(8 * MIB);
    } finally {
      await server.dispose();
      await testCore.close();
    }
  });
});
