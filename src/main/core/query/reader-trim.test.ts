import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { indexedFixture, type IndexedFixture } from '../../../../test/helpers/index-in-process';
import { loadConfig } from '../config/load-config';
import { memoryBudget } from '../config/memory-budget';
import { ReaderPool } from '../db/pool';
import type { FromReader } from '../db/reader-protocol';
import { coreDir, poolSettings, RecordingLogger } from '../db/pool-test-helpers';
import { sourceWorkers } from '../base/workers';
import type { ReaderOps } from './reader-ops';
import { readerTrim, TRIM_EVERY_CHECKS } from './reader-trim';
import { unbounded } from '../search/search-control';

const FILES = 2 * TRIM_EVERY_CHECKS + 10;

let fixture: IndexedFixture;
let pool: ReaderPool<ReaderOps> | undefined;

beforeAll(() => {
  fixture = indexedFixture((repo) => {
    mkdirSync(repo, { recursive: true });
    writeFileSync(join(repo, 'a.txt'), 'needle one\nhay\nneedle two\n');
    // Enough one-document files for two trims inside one scan.
    for (let file = 0; file < FILES; file += 1) writeFileSync(join(repo, `many-${String(file).padStart(4, '0')}.txt`), `pin ${file}\n`);
  }, {});
});

afterAll(() => {
  fixture.close();
});

afterEach(async () => {
  await pool?.dispose();
  pool = undefined;
});

/** A pool at this threshold, and every result message its reader threads send. */
function startPool(thresholdMb: number): { pool: ReaderPool<ReaderOps>; results: Extract<FromReader, { type: 'result' }>[] } {
  const results: Extract<FromReader, { type: 'result' }>[] = [];
  pool = new ReaderPool<ReaderOps>({
    dbPath: join(fixture.folder, 'index.sqlite'),
    settings: poolSettings(),
    workers: sourceWorkers(coreDir),
    logger: new RecordingLogger(),
    memory: memoryBudget(loadConfig({ env: {}, overrides: { MEMORY_THRESHOLD_MB: String(thresholdMb) } }).values),
    onWorker: (_name, worker: Worker) => {
      const listener = (message: FromReader): void => {
        if (message.type === 'result') results.push(message);
      };
      worker.on('message', listener);
      return { dispose: () => void worker.off('message', listener) };
    },
  });
  return { pool, results };
}

describe.runIf(process.platform === 'linux')("a reader returns the C allocator's free pages after a search while RSS is over the threshold", () => {
  it('trims after the search when the process is over a 1 MB threshold', async () => {
    const { pool: reader, results } = startPool(1);
    const page = await reader.run('search', { query: 'needle', mode: 'literal', limit: 10 });
    expect(page.matches.map((match) => match.line)).toEqual([1, 3]);
    expect(results.at(-1)?.trims).toBe(1);
  });

  it('does not trim under a threshold far above the process', async () => {
    const { pool: reader, results } = startPool(1_000_000);
    await reader.run('search', { query: 'pin', mode: 'literal', limit: 1000 });
    expect(results.length).toBeGreaterThan(0);
    expect(results.every((message) => message.trims === 0)).toBe(true);
  });
});

describe('the trim policy (a fake RSS)', () => {
  const MB = 1024 * 1024;
  /** A policy over 100 MB with a 10 MB step; `rss` is what the process holds now, each trim returns `returned`. */
  function policy(start: number, returned = 0) {
    let rss = start;
    const trims: number[] = [];
    const trim = readerTrim({ aboveBytes: 100 * MB, stepBytes: 10 * MB }, { rss: () => rss, trim: () => (trims.push(rss), (rss -= returned), true) });
    return { trim, trims, set: (bytes: number) => void (rss = bytes) };
  }
  const scan = (control: { check(): void }, documents: number): void => {
    for (let document = 0; document < documents; document += 1) control.check();
  };

  it('trims inside a scan and after it each time the RSS grew by the step since the last trim', () => {
    const { trim, trims, set } = policy(120 * MB);
    const control = trim.wrap(unbounded);
    // The first look over the threshold trims; the next only after 10 MB more.
    scan(control, TRIM_EVERY_CHECKS);
    set(129 * MB);
    scan(control, TRIM_EVERY_CHECKS);
    set(131 * MB);
    scan(control, TRIM_EVERY_CHECKS);
    expect(trim.finish()).toBe(2);
    trim.wrap(unbounded);
    expect(trim.finish()).toBe(0);
    expect(trims).toEqual([120 * MB, 131 * MB]);
  });

  it('counts growth from the lowest RSS seen since the last trim', () => {
    const { trim, trims, set } = policy(150 * MB, 20 * MB);
    trim.wrap(unbounded);
    expect(trim.finish()).toBe(1);
    set(125 * MB);
    trim.wrap(unbounded);
    expect(trim.finish()).toBe(0);
    set(136 * MB);
    trim.wrap(unbounded);
    expect(trim.finish()).toBe(1);
    expect(trims).toEqual([150 * MB, 136 * MB]);
  });

  it('never trims while the RSS is under the threshold', () => {
    const { trim, trims } = policy(99 * MB);
    scan(trim.wrap(unbounded), 4 * TRIM_EVERY_CHECKS);
    expect(trim.finish()).toBe(0);
    expect(trims).toEqual([]);
  });
});
