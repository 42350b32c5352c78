import { spawn } from 'node:child_process';
import { mkdirSync, realpathSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventPayloads } from '../../../shared/contract';
import type { IndexDone, IndexProgress, IndexSummary } from '../../../shared/types';
import { generateRepo, makeTempDir, writeRepo } from '../../../../test/helpers/make-repo';
import { indexInProcess, openWriter } from '../../../../test/helpers/index-in-process';
import { allMatches } from '../../../../test/helpers/all-matches';
import { ripgrep } from '../../../../test/helpers/ripgrep';
import { writeSymlinkZoo } from '../../../../test/helpers/hostile-repo';
import { openConnection } from '../db/open-connection';
import { readOps } from '../query/read-ops';
import { EventHub } from '../base/events';
import { silentLogger } from '../log/logger';
import { TaskManager } from '../tasks/task-manager';
import { sourceWorkers } from '../base/workers';
import { Indexer } from './indexer';

const coreDir = join(__dirname, '..');

let temp: ReturnType<typeof makeTempDir>;
let dbPath: string;
let events: EventHub;
let tasks: TaskManager;
let indexer: Indexer;
const progress: IndexProgress[] = [];
const done: IndexDone[] = [];

function createIndexer(batch = 100): Indexer {
  return new Indexer({
    dbPath,
    config: { MAX_FILE_SIZE: 1024 * 1024, MAX_CONTENT_LENGTH: 50_000, MAX_DOCUMENTS_PER_BATCH: batch, CHUNK_SIZE: 8192, MEMORY_THRESHOLD_MB: 1024 },
    tasks,
    events,
    logger: silentLogger,
    workers: sourceWorkers(coreDir),
  });
}

beforeEach(() => {
  temp = makeTempDir();
  dbPath = join(temp.path, 'data', 'index.sqlite');
  mkdirSync(join(temp.path, 'data'));
  events = new EventHub();
  tasks = new TaskManager({ logger: silentLogger });
  progress.length = 0;
  done.length = 0;
  events.subscribe(<E extends keyof EventPayloads>(event: E, payload: EventPayloads[E]) => {
    if (event === 'indexProgress') progress.push(payload as IndexProgress);
    if (event === 'indexDone') done.push(payload as IndexDone);
  });
  indexer = createIndexer();
});

afterEach(async () => {
  await indexer.dispose();
  temp.remove();
});

async function index(root: string): Promise<IndexSummary> {
  const { taskId } = indexer.start(root);
  const handle = tasks.get(taskId);
  expect(handle?.type).toBe('indexing');
  return waitForTask(taskId);
}

async function waitForTask(taskId: string): Promise<IndexSummary> {
  for (;;) {
    const finished = done.find((event) => event.taskId === taskId);
    if (finished !== undefined) {
      if (finished.status !== 'completed') {
        throw new Error(`${finished.status}: ${finished.error}`);
      }
      return finished.summary;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function withReader<T>(use: (db: Database.Database) => T): T {
  const db = openConnection(dbPath, { mode: 'reader' });
  try {
    return use(db);
  } finally {
    db.close();
  }
}

function searchAll(query: string): { path: string; line: number }[] {
  return withReader((db) => allMatches(db, { query, mode: 'literal' }).map(({ path, line }) => ({ path, line })));
}

function rgAll(root: string, query: string): { path: string; line: number }[] {
  return ripgrep(root, query, { fixed: true }).map(({ path, line }) => ({ path, line }));
}

describe('skip reasons', () => {
  it('records too_large and binary, indexes invalid UTF-8, and lists every symlink and FIFO without following it', async () => {
    const root = join(temp.path, 'repo');
    const zoo = writeSymlinkZoo(root, join(temp.path, 'outside'));
    writeRepo(root, {
      'big.txt': 'needle\n'.repeat(200_000),
      'exact.txt': `${'n'.repeat(1024 * 1024 - 8)}needle\n`,
      'image.bin': Buffer.from([0x89, 0x50, 0x00, 0x0a, 0x6e, 0x65, 0x65, 0x64, 0x6c, 0x65]),
      'latin1.txt': Buffer.from('caf\xe9 needle\n', 'latin1'),
    });
    const summary = await index(root);
    const links = Object.keys(zoo.links).length;
    expect(summary.files_skipped).toEqual({ too_large: 1, binary: 1, symlink: links, special_file: 1 });
    expect(summary.files_indexed).toBe(4);
    const real = realpathSync(root);
    const skipped = withReader((db) => readOps.listSkippedFiles(db, { repo: real, limit: 100 }));
    const expected = [
      'big.txt too_large 1400000 bytes',
      'image.bin binary NUL byte in the first 8 KB',
      'pipe special_file FIFO',
      ...Object.entries(zoo.links).map(([link, target]) => `${link} symlink -> ${target}`),
    ];
    expect(skipped.files.map(({ path, reason, detail }) => `${path} ${reason} ${detail}`).sort()).toEqual(expected.sort());
    const hits = withReader((db) => allMatches(db, { query: 'needle', mode: 'literal' }));
    // Each file once, by its own path; nothing from outside the root; rg agrees.
    expect(hits.map((hit) => hit.path)).toEqual(['exact.txt', 'latin1.txt', 'src/a.txt', 'src/b.txt']);
    expect(hits[1]?.text).toBe('caf\ufffd needle');
    expect(searchAll('needle')).toEqual(rgAll(root, 'needle'));
  });
});

describe('ignore rules', () => {
  it('honours nested .gitignore, negation, .git/info/exclude and .gitbotignore, and skips .git', async () => {
    const root = join(temp.path, 'repo');
    writeRepo(root, {
      '.gitignore': '*.log\nbuild/\n!keep.log\n',
      '.git/info/exclude': 'excluded.txt\n',
      '.git/HEAD': 'needle in git\n',
      '.gitbotignore': 'private/\n',
      'app.log': 'needle\n',
      'keep.log': 'needle\n',
      'excluded.txt': 'needle\n',
      'build/out.txt': 'needle\n',
      'private/key.txt': 'needle\n',
      '.hidden/visible.txt': 'needle\n',
      'sub/.gitignore': 'local.txt\n/anchored.txt\n',
      'sub/local.txt': 'needle\n',
      'sub/anchored.txt': 'needle\n',
      'sub/deeper/anchored.txt': 'needle\n',
      'sub/deeper/local.txt': 'needle\n',
      'other/local.txt': 'needle\n',
    });
    await index(root);
    expect(searchAll('needle').map((hit) => hit.path)).toEqual(['.hidden/visible.txt', 'keep.log', 'other/local.txt', 'sub/deeper/anchored.txt']);
  });
});

describe('incremental re-index', () => {
  it('touches only changed files, removes deleted ones and sees new ones', async () => {
    const root = join(temp.path, 'repo');
    generateRepo(root, { seed: 3, files: 40 });
    const first = await index(root);
    expect(first.files_indexed).toBeGreaterThan(40);
    writeFileSync(join(root, 'src/file-0.txt'), 'changed needle\n');
    rmSync(join(root, 'lib/file-2.txt'));
    writeFileSync(join(root, 'new.txt'), 'new needle\n');
    const second = await index(root);
    expect(second.files_indexed).toBe(2);
    expect(second.files_removed).toBe(1);
    expect(second.files_unchanged).toBe(first.files_indexed - 2);
    expect(searchAll('needle')).toEqual(rgAll(root, 'needle'));
    expect(searchAll('search')).toEqual(rgAll(root, 'search'));
    const third = await index(root);
    expect(third.files_indexed).toBe(0);
    expect(third.files_unchanged).toBe(second.files_indexed + second.files_unchanged);
  });

  it('re-indexes a file whose mtime changed even if its size did not', async () => {
    const root = join(temp.path, 'repo');
    writeRepo(root, { 'a.txt': 'old needle\n' });
    await index(root);
    writeFileSync(join(root, 'a.txt'), 'new needle\n');
    utimesSync(join(root, 'a.txt'), new Date(), new Date(Date.now() + 5000));
    const second = await index(root);
    expect(second.files_indexed).toBe(1);
    expect(withReader((db) => readOps.search(db, { query: 'needle', mode: 'literal' }).matches[0]?.text)).toBe('new needle');
  });

  it('keeps several repositories in one database', async () => {
    const one = join(temp.path, 'one');
    const two = join(temp.path, 'two');
    writeRepo(one, { 'a.txt': 'needle one\n' });
    writeRepo(two, { 'b.txt': 'needle two\n' });
    await index(one);
    await index(two);
    const roots = withReader((db) => readOps.listRepositories(db).map((repo) => repo.root));
    expect(roots).toEqual([realpathSync(one), realpathSync(two)]);
    expect(withReader((db) => readOps.search(db, { query: 'needle', mode: 'literal', repo: realpathSync(two) }).matches.map((hit) => hit.text))).toEqual(['needle two']);
  });
});

describe('cancel and resume', () => {
  it('keeps whole batches when cancelled and resumes from them', async () => {
    await indexer.dispose();
    indexer = createIndexer(2);
    const root = join(temp.path, 'repo');
    generateRepo(root, { seed: 5, files: 300, lines: 40 });
    const { taskId } = indexer.start(root);
    while (!progress.some((event) => event.filesDone > 0)) {
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    expect(indexer.cancel(taskId)).toBe(true);
    await expect(waitForTask(taskId)).rejects.toThrow('cancelled');
    expect(tasks.get(taskId)?.status).toBe('cancelled');
    const cancelled = done.find((event) => event.taskId === taskId)?.summary;
    expect(cancelled?.files_indexed).toBeGreaterThan(0);
    const resumed = await index(root);
    expect(resumed.files_unchanged).toBeGreaterThanOrEqual((cancelled?.files_indexed ?? 0) - 1);
    expect(resumed.files_indexed).toBeGreaterThan(0);
    expect(searchAll('search')).toEqual(rgAll(root, 'search'));
  });

  it('queues a second run behind the first', async () => {
    const root = join(temp.path, 'repo');
    writeRepo(root, { 'a.txt': 'needle\n' });
    const first = indexer.start(root);
    const second = indexer.start(root);
    const [one, two] = await Promise.all([waitForTask(first.taskId), waitForTask(second.taskId)]);
    expect(one.files_indexed).toBe(1);
    expect(two.files_unchanged).toBe(1);
  });

  it('leaves a database that passes integrity_check and resumes after kill -9', async () => {
    const root = join(temp.path, 'repo');
    generateRepo(root, { seed: 9, files: 400, lines: 60 });
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', join(__dirname, '../../../../test/helpers/index-child.ts'), dbPath, root], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('committed')) {
          child.kill('SIGKILL');
          resolve();
        }
        if (chunk.toString().includes('finished')) {
          reject(new Error('the child finished before it was killed'));
        }
      });
    });
    await new Promise((resolve) => child.once('exit', resolve));
    const db = openWriter(dbPath);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const partial = db.prepare('SELECT count(*) FROM files WHERE state = 1').pluck().get() as number;
    expect(partial).toBeGreaterThan(0);
    const result = indexInProcess(db, realpathSync(root));
    db.close();
    expect(result.summary.files_unchanged).toBeGreaterThanOrEqual(partial);
    expect(searchAll('search')).toEqual(rgAll(root, 'search'));
  });
});

describe('bad input', () => {
  it('refuses a missing folder, a file and a relative path, keeping the index', async () => {
    const root = join(temp.path, 'repo');
    writeRepo(root, { 'a.txt': 'needle\n' });
    await index(root);
    expect(() => indexer.start(join(temp.path, 'missing'))).toThrow(`Folder not found: ${join(temp.path, 'missing')}`);
    expect(() => indexer.start(join(root, 'a.txt'))).toThrow(`Not a folder: ${join(root, 'a.txt')}`);
    expect(() => indexer.start('relative/path')).toThrow('Path must be absolute: relative/path');
    expect(searchAll('needle')).toEqual([{ path: 'a.txt', line: 1 }]);
  });

  it('reports progress while indexing, with the walk finished at the end', async () => {
    const root = join(temp.path, 'repo');
    generateRepo(root, { seed: 2, files: 30 });
    const summary = await index(root);
    const last = progress.at(-1);
    expect(last?.walkDone).toBe(true);
    expect(last?.filesDone).toBe(last?.filesDiscovered);
    expect(last?.bytesDone).toBeGreaterThanOrEqual(summary.bytes_indexed);
  });
});
