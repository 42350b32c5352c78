import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { loadConfig } from '../src/main/core/config/load-config';
import { FileState } from '../src/main/core/index/format';
import { readerLimits } from '../src/main/core/indexer/indexer';
import { indexThroughApi, valueOf } from './helpers/core-api';
import { createTestCore, testWorkers, type TestCore } from './helpers/test-core';

// Each death is told in the task, the run event and the log, and the last committed index stays whole.

const cores: TestCore[] = [];
let folder: string | undefined;

afterEach(async () => {
  for (const core of cores.splice(0)) await core.close();
  if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
});

/** A repository of two indexed files, in a fresh folder. */
function repo(): string {
  folder = mkdtempSync(join(tmpdir(), 'gitbot-dead-'));
  const root = join(folder, 'repo');
  mkdirSync(join(root, 'src'), { recursive: true });
  writeFileSync(join(root, 'a.txt'), 'needle alpha\n');
  writeFileSync(join(root, 'src', 'b.txt'), 'needle beta\n');
  return realpathSync(root);
}

function core(workers: typeof testWorkers, settings: Record<string, string> = {}): { test: TestCore; errors: string[] } {
  const errors: string[] = [];
  const test = createTestCore(settings, { logToFile: false, workers, logSinks: [(entry) => (entry.level === 'error' ? errors.push(entry.message) : undefined)] });
  cores.push(test);
  return { test, errors };
}

/** What the index holds, read from the file itself. */
function counts(dbPath: string): { indexed: number; documents: number } {
  const db = new Database(dbPath, { readonly: true });
  try {
    return {
      indexed: db.prepare(`SELECT count(*) FROM files WHERE state = ${FileState.indexed}`).pluck().get() as number,
      documents: db.prepare('SELECT count(*) FROM documents').pluck().get() as number,
    };
  } finally {
    db.close();
  }
}

async function needles(test: TestCore): Promise<string[]> {
  const page = await valueOf(test.core.api.search({ query: 'needle', mode: 'literal', limit: 100 }));
  return page.matches.map((match) => match.path).sort();
}

async function expectFailed(test: TestCore, errors: string[], root: string, message: string): Promise<void> {
  const done = await indexThroughApi(test.core.api, root);
  expect(done).toMatchObject({ status: 'failed', error: message });
  // The task settles just after the event.
  while (test.core.tasks.get(done.taskId)?.status === 'running') await new Promise((wait) => setTimeout(wait, 20));
  expect(test.core.tasks.get(done.taskId)).toMatchObject({ status: 'failed', error: message });
  expect(errors).toContain(message);
}

it("a reader thread that runs out of memory names itself and the file it was reading, not the writer's last file", async () => {
  let dyingReaders = false;
  const workers: typeof testWorkers = (name) =>
    name === 'index-reader-worker' && dyingReaders ? { filename: resolve(__dirname, 'helpers', 'out-of-memory-reader.ts'), execArgv: ['--require', 'tsx/cjs'] } : testWorkers(name);
  const { test, errors } = core(workers, { GITBOT_INDEX_WORKERS: '1' });
  const root = repo();
  expect((await indexThroughApi(test.core.api, root)).status).toBe('completed');
  const before = counts(test.dbPath);
  expect(before).toEqual({ indexed: 2, documents: 2 });
  // The writer's last file would be src/b.txt (its last commit); the reader dies on another.
  mkdirSync(join(root, 'src', 'deep'));
  writeFileSync(join(root, 'src', 'deep', 'huge.txt'), 'needle gamma\n');
  dyingReaders = true;
  const defaults = loadConfig({ env: {} }).values;
  const limit = readerLimits({ maxContentLength: defaults.MAX_CONTENT_LENGTH, chunkSize: defaults.CHUNK_SIZE }).maxOldGenerationSizeMb;
  await expectFailed(test, errors, root, `The indexer's reader thread 1 stopped while reading src/deep/huge.txt: it ran out of memory (heap limit ${limit} MB)`);
  expect(counts(test.dbPath)).toEqual(before);
  expect(await needles(test)).toEqual(['a.txt', 'src/b.txt']);
  // Fresh readers take the next run: nothing is left broken.
  dyingReaders = false;
  expect((await indexThroughApi(test.core.api, root)).status).toBe('completed');
  expect(await needles(test)).toEqual(['a.txt', 'src/b.txt', 'src/deep/huge.txt']);
});

it('a writer thread that crashes on an ordinary error says where and what it threw, and the committed index stays whole', async () => {
  const root = repo();
  const first = core(testWorkers);
  expect((await indexThroughApi(first.test.core.api, root)).status).toBe('completed');
  await first.test.core.shutdown();
  const before = counts(first.test.dbPath);
  // The same data folder, now with a writer that throws once its run has begun.
  const crashing: typeof testWorkers = (name) =>
    name === 'indexer-worker' ? { filename: resolve(__dirname, 'helpers', 'crashing-indexer.ts'), execArgv: ['--require', 'tsx/cjs'] } : testWorkers(name);
  const { test, errors } = core(crashing, { GITBOT_DATA_DIR: first.test.dir });
  await expectFailed(test, errors, root, "The indexer's writer thread stopped while indexing notes.txt: it crashed (Cannot read properties of undefined (reading 'ops'))");
  expect(counts(test.dbPath)).toEqual(before);
  expect(await needles(test)).toEqual(['a.txt', 'src/b.txt']);
});
