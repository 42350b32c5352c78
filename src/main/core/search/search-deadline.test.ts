import type BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRepo } from '../../../../test/helpers/make-repo';
import { indexedFixture, type IndexedFixture } from '../../../../test/helpers/index-in-process';
import { ripgrep } from '../../../../test/helpers/ripgrep';
import { clearSearchCache, countMatches, search } from './search';
import { searchControl } from './search-control';

let fixture: IndexedFixture;
let root: string;
let reader: BetterSqlite3.Database;

beforeAll(() => {
  fixture = indexedFixture((repo) => generateRepo(repo, { seed: 11, files: 40 }), { maxContentLength: 2000, maxDocumentsPerBatch: 7, chunkSize: 512 });
  ({ root, reader } = fixture);
});

afterAll(() => {
  fixture.close();
});

/** A clock that moves `step` ms each time it is read: time passes only as the scan polls it. */
function steppingClock(step: number): () => number {
  let now = 0;
  return () => (now += step);
}

describe('search time budget', () => {
  it('stops a scan at its deadline with the timeout error', () => {
    clearSearchCache(reader);
    const control = searchControl({ budgetMs: 50, now: steppingClock(10) });
    expect(() => search(reader, { query: '\\w+', mode: 'regex', limit: 1000 }, control)).toThrow(
      'Search stopped after its time budget of 50 ms (SEARCH_TIMEOUT_MS); narrow the query or raise the setting',
    );
  });

  it('stops a scan whose cancel flag is raised', () => {
    const flag = new Int32Array(new SharedArrayBuffer(4));
    Atomics.store(flag, 0, 7);
    const control = searchControl({ cancelled: () => Atomics.load(flag, 0) === 7 });
    expect(() => search(reader, { query: '\\w+', mode: 'regex' }, control)).toThrow('Search cancelled: it was cancelled');
  });

  it('counts "at least" within a budget, then exactly when given time, equal to rg', () => {
    const lines = ripgrep(root, 'value', { fixed: true });
    clearSearchCache(reader);
    const partial = countMatches(reader, { query: 'value', mode: 'literal' }, searchControl({ budgetMs: 30, now: steppingClock(10) }));
    expect(partial.exact).toBe(false);
    expect(partial.matches).toBeLessThan(lines.length);
    // The next count goes on from where that one stopped.
    expect(countMatches(reader, { query: 'value', mode: 'literal' })).toEqual({ matches: lines.length, files: new Set(lines.map((line) => line.path)).size, exact: true });
  });
});

describe('words mode time budget', () => {
  it('stops at its deadline with the timeout error', () => {
    // Given all the time it needs, the query has many pages of hits.
    expect(search(reader, { query: 'value function', mode: 'words', limit: 1000 }).total.matches).toBeGreaterThan(40);
    const control = searchControl({ budgetMs: 50, now: steppingClock(10) });
    expect(() => search(reader, { query: 'value function', mode: 'words', limit: 1000 }, control)).toThrow(
      'Search stopped after its time budget of 50 ms (SEARCH_TIMEOUT_MS); narrow the query or raise the setting',
    );
  });

  it('stops when its cancel flag is raised', () => {
    const flag = new Int32Array(new SharedArrayBuffer(4));
    Atomics.store(flag, 0, 1);
    const control = searchControl({ cancelled: () => Atomics.load(flag, 0) === 1 });
    expect(() => search(reader, { query: 'value', mode: 'words' }, control)).toThrow('Search cancelled: it was cancelled');
  });
});
