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
import { sourceWorkers } from '../workers';
import type { ReaderOps } from './reader-ops';
import { readerTrim, TRIM_EVERY_CHECKS, TRIM_INTERVAL_MS } from './reader-trim';
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

describe('the trim policy (a fake clock and RSS)', () => {
  function policy(rssBytes: number) {
    let time = 0;
    const trims: number[] = [];
    const trim = readerTrim(1000, { now: () => time, rss: () => rssBytes, trim: () => (trims.push(time), true) });
    return { trim, trims, at: (ms: number) => void (time = ms) };
  }
  const scan = (control: { check(): void }, documents: number): void => {
    for (let document = 0; document < documents; document += 1) control.check();
  };

  it('trims every TRIM_EVERY_CHECKS documents and after the op, at most once per TRIM_INTERVAL_MS', () => {
    const { trim, trims, at } = policy(2000);
    const control = trim.wrap(unbounded);
    scan(control, TRIM_EVERY_CHECKS);
    at(TRIM_INTERVAL_MS - 1);
    scan(control, TRIM_EVERY_CHECKS);
    expect(trim.finish()).toBe(1);
    at(TRIM_INTERVAL_MS);
    trim.wrap(unbounded);
    expect(trim.finish()).toBe(1);
    expect(trims).toEqual([0, TRIM_INTERVAL_MS]);
  });

  it('never trims while the RSS is under the threshold', () => {
    const { trim, trims } = policy(1000);
    scan(trim.wrap(unbounded), 4 * TRIM_EVERY_CHECKS);
    expect(trim.finish()).toBe(0);
    expect(trims).toEqual([]);
  });
});
