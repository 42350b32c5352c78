import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { indexedFixture, type IndexedFixture } from '../../../../test/helpers/index-in-process';
import { loadConfig } from '../config/load-config';
import { memoryBudget } from '../config/memory-budget';
import { ReaderPool } from '../db/pool';
import { coreDir, poolSettings, RecordingLogger } from '../db/pool-test-helpers';
import { MATCH_HEAP_BYTES } from '../search/search-budget';
import { sourceWorkers } from '../base/workers';
import type { ReaderOps } from './reader-ops';

// 1,000 lines of 900 characters, one match each: about 1.8 MB of page heap in all.
const LINES = 1000;
const line = `needle ${'x'.repeat(893)}`;
const lineCost = MATCH_HEAP_BYTES + line.length * 2 + 48;

let fixture: IndexedFixture;
let pool: ReaderPool<ReaderOps> | undefined;

beforeAll(() => {
  fixture = indexedFixture((repo) => {
    mkdirSync(repo, { recursive: true });
    writeFileSync(join(repo, 'lines.txt'), `${Array.from({ length: LINES }, () => line).join('\n')}\n`);
  }, {});
});

afterAll(() => {
  fixture.close();
});

afterEach(async () => {
  await pool?.dispose();
  pool = undefined;
});

function startPool(thresholdMb: number): ReaderPool<ReaderOps> {
  pool = new ReaderPool<ReaderOps>({
    dbPath: join(fixture.folder, 'index.sqlite'),
    settings: poolSettings(),
    workers: sourceWorkers(coreDir),
    logger: new RecordingLogger(),
    memory: budgetAt(thresholdMb),
  });
  return pool;
}

function budgetAt(thresholdMb: number): ReturnType<typeof memoryBudget> {
  return memoryBudget(loadConfig({ env: {}, overrides: { MEMORY_THRESHOLD_MB: String(thresholdMb) } }).values);
}

describe('a reader thread keeps to the search budget of the configured threshold', () => {
  it("cuts a page at the small threshold's page budget and goes on with the cursor", async () => {
    const budget = budgetAt(1);
    const reader = startPool(1);
    const page = await reader.run('search', { query: 'needle', mode: 'literal', limit: 1000 });
    // The page holds what fits in the 1 MB threshold's page budget (256 KiB), not 1,000 lines.
    expect(page.matches).toHaveLength(Math.floor(budget.searchPageBytes / lineCost));
    expect(page.nextCursor).toBeDefined();
    expect(page.total).toMatchObject({ matches: LINES, files: 1 });
  });

  it('returns the whole page at the default threshold', async () => {
    const reader = startPool(100);
    const page = await reader.run('search', { query: 'needle', mode: 'literal', limit: 1000 });
    expect(page.matches).toHaveLength(LINES);
    expect(page.nextCursor).toBeUndefined();
  });
});
