import { mkdirSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MessageChannel, Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IndexDone } from '../../../shared/types';
import { killWhenPrinted } from '../../../../test/helpers/kill-child';
import { generateRepo, makeTempDir } from '../../../../test/helpers/make-repo';
import { indexInProcess, openWriter } from '../../../../test/helpers/index-in-process';
import { allMatches } from '../../../../test/helpers/all-matches';
import { ripgrep } from '../../../../test/helpers/ripgrep';
import { openConnection } from '../db/open-connection';
import { EventHub } from '../base/events';
import { toDisposable } from '../base/lifecycle';
import { silentLogger, type Logger } from '../log/logger';
import { TaskManager } from '../tasks/task-manager';
import { sourceWorkers } from '../base/workers';
import type { Batch, FileJob } from './batch-builder';
import { MAX_CHUNKS_IN_FLIGHT, ThreadSource } from './batch-source';
import { Indexer } from './indexer';
import type { ReaderWorkerData } from './protocol';
import { createReadingSlot } from './reading-slot';

const coreDir = join(__dirname, '..');

let temp: ReturnType<typeof makeTempDir>;

beforeEach(() => {
  temp = makeTempDir();
  mkdirSync(join(temp.path, 'data'));
});

afterEach(() => {
  temp.remove();
});

function search(dbPath: string, query: string, mode: 'literal' | 'regex', ignoreCase = false): { path: string; line: number }[] {
  const db = openConnection(dbPath, { mode: 'reader' });
  try {
    return allMatches(db, { query, mode, ignoreCase }).map(({ path, line }) => ({ path, line }));
  } finally {
    db.close();
  }
}

/** rg's hits as (path, line); its text is null for lines that are not valid UTF-8. */
function rg(root: string, query: string, mode: 'literal' | 'regex', ignoreCase = false): { path: string; line: number }[] {
  return ripgrep(root, query, { fixed: mode === 'literal', ignoreCase }).map(({ path, line }) => ({ path, line }));
}

describe('reader threads', () => {
  it('index with two reader threads and tiny batches to results equal to rg and to a single-thread index, watching every thread', async () => {
    const root = join(temp.path, 'repo');
    generateRepo(root, { seed: 11, files: 120, lines: 120 });
    const dbPath = join(temp.path, 'data', 'threads.sqlite');
    const events = new EventHub();
    const tasks = new TaskManager({ logger: silentLogger });
    const logged: string[] = [];
    const logger: Logger = { ...silentLogger, info: (message) => logged.push(message) };
    const watched: string[] = [];
    const released: string[] = [];
    const indexer = new Indexer({
      dbPath,
      config: { MAX_FILE_SIZE: 1024 * 1024, MAX_CONTENT_LENGTH: 2000, MAX_DOCUMENTS_PER_BATCH: 3, CHUNK_SIZE: 512, MEMORY_THRESHOLD_MB: 1024, GITBOT_INDEX_WORKERS: 2 },
      tasks,
      events,
      logger,
      workers: sourceWorkers(coreDir),
      onWorker: (name, worker) => {
        expect(worker).toBeInstanceOf(Worker);
        watched.push(name);
        return toDisposable(() => void released.push(name));
      },
    });
    const done = new Promise<IndexDone>((resolve) => events.subscribe((event, payload) => event === 'indexDone' && resolve(payload as IndexDone)));
    indexer.start(root);
    const finished = await done;
    await indexer.dispose();
    expect(finished.status).toBe('completed');
    expect(watched).toEqual(['indexer-writer', 'indexer-reader-1', 'indexer-reader-2']);
    expect([...released].sort()).toEqual([...watched].sort());
    const line = logged.find((message) => message.startsWith('Indexed '));
    expect(line).toMatch(/2 reader thread\(s\), at most [12] chunk\(s\) per reader/);

    const single = join(temp.path, 'data', 'single.sqlite');
    const db = openWriter(single);
    const local = indexInProcess(db, realpathSync(root), { maxContentLength: 2000, maxDocumentsPerBatch: 3, chunkSize: 512 });
    db.close();
    expect(finished.summary).toEqual({ ...local.summary, seconds: finished.summary.seconds });
    for (const [query, mode, ignoreCase] of [
      ['search', 'literal', false],
      ['value', 'literal', true],
      ['se.r?ch [a-z]+', 'regex', false],
      ['line 5999', 'literal', false],
    ] as const) {
      const ours = search(dbPath, query, mode, ignoreCase);
      expect(ours.length).toBeGreaterThan(0);
      expect(ours).toEqual(rg(root, query, mode, ignoreCase));
      expect(search(single, query, mode, ignoreCase)).toEqual(ours);
    }
  });

  it('holds at most MAX_CHUNKS_IN_FLIGHT chunks per reader: a writer that stops taking stops the reader', async () => {
    const root = join(temp.path, 'files');
    mkdirSync(root);
    const jobs: FileJob[] = [];
    for (let index = 0; index < 40; index += 1) {
      const absolute = join(root, `f${index}.txt`);
      writeFileSync(absolute, `file ${index} search\n`.repeat(50));
      const stats = statSync(absolute);
      jobs.push({ seq: index + 1, absolute, size: stats.size, mtimeMs: Math.trunc(stats.mtimeMs) });
    }
    const signal = new SharedArrayBuffer(4);
    const channel = new MessageChannel();
    const entry = sourceWorkers(coreDir)('index-reader-worker');
    const workerData: ReaderWorkerData = { port: channel.port2, signal, reading: createReadingSlot(), settings: { maxContentLength: 50_000, chunkSize: 8192 } };
    const worker = new Worker(entry.filename, { execArgv: [...entry.execArgv], workerData, transferList: [channel.port2] });
    try {
      const source = new ThreadSource([channel.port1], new Int32Array(signal));
      let submitted = 0;
      while (source.canSubmit()) {
        // Two files per chunk, cut into batches of one document: two batches per chunk.
        source.submit({ id: submitted + 1, batchLimit: 1, files: jobs.slice(submitted * 2, submitted * 2 + 2) });
        submitted += 1;
      }
      expect(submitted).toBe(MAX_CHUNKS_IN_FLIGHT);
      expect(() => source.submit({ id: 99, batchLimit: 1, files: jobs.slice(38) })).toThrow('every reader is full');
      // The reader finishes what it holds, then idles: three batches per chunk posted, no more
      // (one per document, then the chunk's last one with the second file's end).
      const counter = new Int32Array(signal);
      while (Atomics.load(counter, 0) < 6) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(Atomics.load(counter, 0)).toBe(6);
      const batches: Batch[] = [];
      for (let batch = source.take(true, () => false); batch !== null; batch = source.take(false, () => false)) {
        batches.push(batch);
      }
      expect(batches.map((batch) => [batch.chunk, batch.last, batch.ops.filter((op) => op.type === 'document').length])).toEqual([
        [1, false, 1],
        [1, false, 1],
        [1, true, 0],
        [2, false, 1],
        [2, false, 1],
        [2, true, 0],
      ]);
      expect(source.pending()).toBe(0);
      expect(source.canSubmit()).toBe(true);
      expect(source.stats()).toMatchObject({ readers: 1, maxChunksInFlight: 2, maxBatchesWaiting: 6 });
    } finally {
      channel.port1.close();
      await worker.terminate();
    }
  });
});

describe('segment merging', () => {
  function segmentsOf(db: Database.Database): { id: number; level: number; fileIds: number[] }[] {
    return (db.prepare('SELECT id, level, file_ids AS fileIds FROM segments ORDER BY id').all() as { id: number; level: number; fileIds: Buffer }[]).map((row) => ({
      id: row.id,
      level: row.level,
      fileIds: [...new Int32Array(row.fileIds.buffer.slice(row.fileIds.byteOffset, row.fileIds.byteOffset + row.fileIds.byteLength))],
    }));
  }

  it('merges one-batch segments as they pile up, drops postings of changed and deleted files, and keeps results equal to rg', () => {
    const root = join(temp.path, 'repo');
    generateRepo(root, { seed: 4, files: 90, lines: 30 });
    const dbPath = join(temp.path, 'data', 'index.sqlite');
    const db = openWriter(dbPath);
    // A segment per batch (a run buffer of 1 byte): about 100 one-file segments, merged 16 at a time.
    const first = indexInProcess(db, realpathSync(root), { maxDocumentsPerBatch: 1, runBufferBytes: 1 });
    expect(first.merges.merges).toBeGreaterThan(0);
    expect(segmentsOf(db).length).toBeLessThan(16);
    for (let file = 0; file < 30; file += 1) {
      writeFileSync(join(root, `src/file-${file * 6}.txt`), `rewritten ${file} search needle\n`);
    }
    // The long files hold most units: removing them leaves the one merged segment mostly stale.
    for (const folder of ['lib', 'long', 'big']) {
      rmSync(join(root, folder), { recursive: true });
    }
    const second = indexInProcess(db, realpathSync(root), { maxDocumentsPerBatch: 1, runBufferBytes: 1 });
    expect(second.summary.files_indexed).toBe(30);
    expect(second.summary.files_removed).toBe(18);
    expect(second.merges.postingsDropped).toBeGreaterThan(0);
    // Every indexed file with text is posted, and no segment is left more than a quarter stale.
    const live = new Set(db.prepare('SELECT id FROM files WHERE state = 1 AND documents > 0').pluck().all() as number[]);
    const segments = segmentsOf(db);
    expect(new Set(segments.flatMap((segment) => segment.fileIds).filter((id) => live.has(id)))).toEqual(live);
    for (const segment of segments) {
      expect(segment.fileIds.filter((id) => !live.has(id)).length).toBeLessThan(segment.fileIds.length * 0.25);
    }
    db.close();
    for (const query of ['search', 'needle', 'rewritten 2']) {
      expect(search(dbPath, query, 'literal')).toEqual(rg(root, query, 'literal'));
    }
  });

  it('leaves a consistent database when killed -9 in the middle of a merge, and the next run finishes the job', async () => {
    const root = join(temp.path, 'repo');
    generateRepo(root, { seed: 6, files: 60, lines: 20 });
    const dbPath = join(temp.path, 'data', 'index.sqlite');
    await killWhenPrinted('merge-child.ts', [dbPath, realpathSync(root)], 'merging');
    const db = openWriter(dbPath);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    // The merge rolled back whole: the segments it was merging are all still there.
    const levels = db.prepare('SELECT level, count(*) AS count FROM segments GROUP BY level').all();
    expect(levels).toEqual([{ level: 1, count: 16 }]);
    expect(db.prepare('SELECT count(*) FROM postings WHERE segment_id NOT IN (SELECT id FROM segments)').pluck().get()).toBe(0);
    const committed = db.prepare('SELECT count(*) FROM files WHERE state = 1').pluck().get() as number;
    expect(committed).toBeGreaterThan(0);
    const resumed = indexInProcess(db, realpathSync(root), { maxDocumentsPerBatch: 1, runBufferBytes: 1 });
    expect(resumed.summary.files_unchanged).toBe(committed);
    expect(resumed.merges.merges).toBeGreaterThan(0);
    expect(db.prepare('SELECT count(*) FROM segments WHERE level = 1').pluck().get()).toBeLessThan(16);
    db.close();
    expect(search(dbPath, 'search', 'literal')).toEqual(rg(root, 'search', 'literal'));
  });
});
