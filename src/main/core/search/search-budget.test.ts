import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { indexedFixture, type IndexedFixture } from '../../../../test/helpers/index-in-process';
import { allMatches } from '../../../../test/helpers/all-matches';
import { memoryBudget, searchHold } from '../config/memory-budget';
import { definitions } from '../config/definitions';
import { readOps } from '../query/read-ops';
import { candidateBudgetBytes, MATCH_HEAP_BYTES, pageBudgetBytes, RANGE_HEAP_BYTES, rangesPerLine, useSearchHold } from './search-budget';

let fixture: IndexedFixture;
// 40 lines of 200 one-letter words: each line is 400 characters and 200 ranges of \w+.
const LINES = 40;
const line = Array.from({ length: 200 }, () => 'a').join(' ');
const lineCost = MATCH_HEAP_BYTES + line.length * 2 + 200 * RANGE_HEAP_BYTES;

beforeAll(() => {
  fixture = indexedFixture((repo) => {
    mkdirSync(repo, { recursive: true });
    writeFileSync(join(repo, 'words.txt'), `${Array.from({ length: LINES }, () => line).join('\n')}\n`);
  }, {});
});

afterAll(() => {
  fixture.close();
});

afterEach(() => {
  useSearchHold(searchHold(definitions.MEMORY_THRESHOLD_MB.default));
});

describe('the bytes a search holds come from the memory policy', () => {
  it("uses the default threshold's share until told the settings", () => {
    const budget = memoryBudget({ MEMORY_THRESHOLD_MB: definitions.MEMORY_THRESHOLD_MB.default, MEMORY_LIMIT_MB: 0, ALERT_PERCENT: 80, MAX_DOCUMENTS_PER_BATCH: 100 });
    expect(pageBudgetBytes()).toBe(budget.searchPageBytes);
    expect(candidateBudgetBytes()).toBe(budget.searchHoldBytes);
  });

  it('ends a page once its lines and ranges would pass searchPageBytes, and the cursor goes on', () => {
    useSearchHold({ searchHoldBytes: 1024 * 1024, searchPageBytes: lineCost * 3 });
    const page = readOps.search(fixture.reader, { query: '\\w+', mode: 'regex', limit: 1000 });
    // Three lines fit; the ranges count, not only the text (the text alone would fit 20 lines).
    expect(page.matches).toHaveLength(3);
    expect(page.nextCursor).toBeDefined();
    const all = allMatches(fixture.reader, { query: '\\w+', mode: 'regex' });
    expect(all.map((match) => match.line)).toEqual(Array.from({ length: LINES }, (_, index) => index + 1));
  });

  it.each([
    ['regex on V8', '\\w+', 'regex'],
    ['regex on the linear engine', '(?:a|b)', 'regex'],
    ['literal', 'a', 'literal'],
  ] as const)('keeps at most rangesPerLine() ranges of a line (%s), and still reports the whole line', (_name, query, mode) => {
    useSearchHold({ searchHoldBytes: 1024 * 1024, searchPageBytes: 100 * 4 * RANGE_HEAP_BYTES });
    expect(rangesPerLine()).toBe(100);
    const page = readOps.search(fixture.reader, { query, mode, limit: 3 });
    expect(page.matches).toHaveLength(3);
    for (const match of page.matches) {
      expect(match.text).toBe(line);
      expect(match.ranges).toHaveLength(100);
      expect(match.ranges[99]).toEqual([198, 199]);
    }
  });

  it('still serves one line when that line alone is over the page budget', () => {
    useSearchHold({ searchHoldBytes: 1024 * 1024, searchPageBytes: 1 });
    const page = readOps.search(fixture.reader, { query: '\\w+', mode: 'regex', limit: 1000 });
    expect(page.matches).toHaveLength(1);
    expect(page.nextCursor).toBeDefined();
  });

  it('refuses a line longer than searchHoldBytes with the error a user sees', () => {
    useSearchHold({ searchHoldBytes: 8192, searchPageBytes: 100 });
    expect(() => readOps.search(fixture.reader, { query: '\\w+', mode: 'regex', limit: 1000 })).toThrow(
      'A line of words.txt is longer than the 8 KiB a search holds at once (MEMORY_THRESHOLD_MB / 8)',
    );
  });
});
